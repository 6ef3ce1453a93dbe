"""Mentor meetings, the trainee's questions for them, and role-plays.

- A meeting is scheduled (weekly ones are made when a plan is assigned),
  prepared (its agenda built from evidence, again as often as the mentor
  likes until it is held) and recorded once: notes, actions agreed, the
  moment it was held. Recorded, it never changes; the trainee's questions
  its agenda listed are marked discussed.
- A trainee writes down questions for the next meeting.
- A mentor plays the client from a role-play card and grades the run with
  the card's rubric: one whole-number score per criterion, 0 to its points.
- Mentors and managers write the cards; once a card has been used its
  rubric stays as it was, so that past scores keep their meaning.

Who may call what is decided by the pages and the API through the access
helpers; the checks here are those no caller may skip (the trainee of the
assignment asks; a role-play is run with one's own mentee).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.academy.access import mentees_of
from carebase.academy.agenda import build_agenda
from carebase.academy.models import (
    Assignment,
    EventKind,
    Meeting,
    RolePlay,
    RolePlayCard,
    Section,
    TraineeQuestion,
)
from carebase.core.access import is_staff_member
from carebase.core.errors import Conflict
from carebase.core.events import record_event

QUESTION_MAX = 2000
NOTES_MAX = 20_000
ROLE_PLAY_NOTES_MAX = 5000
# A meeting recorded as held "now" by a clock a little ahead is still now.
CLOCK_SLACK = timedelta(minutes=5)


# Meetings ------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("assignment").get(pk=meeting.pk)


def do_schedule_meeting(assignment: Assignment, when: datetime, actor: Any) -> Meeting:
    if timezone.is_naive(when):
        raise ValidationError({"scheduled_at": [_("Give the time with its time zone.")]})
    if abs(when - timezone.now()) > timedelta(days=366):
        raise ValidationError({"scheduled_at": [_("A meeting is within a year of today.")]})
    with transaction.atomic():
        return Meeting.objects.create(assignment=assignment, scheduled_at=when)


def do_prepare_meeting(meeting: Meeting, actor: Any, now: datetime | None = None) -> Meeting:
    """Build the agenda from the evidence as it is now and keep it in the
    meeting. A held meeting keeps the agenda it was held with."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.held_at is not None:
            raise Conflict(_("This meeting has been held; its agenda stays as it was."))
        meeting.agenda = build_agenda(meeting.assignment, now)
        meeting.save(update_fields=["agenda"])
    return meeting


def do_record_meeting(
    meeting: Meeting,
    notes: str,
    actions: str,
    actor: Any,
    held_at: datetime | None = None,
) -> Meeting:
    """Record the meeting as held, once: its notes and the actions agreed.
    The trainee's questions on its agenda are marked discussed. A meeting
    recorded without preparing it first gets its agenda now, so that the
    notes always have the evidence they were written against."""
    now = timezone.now()
    held_at = held_at or now
    notes, actions = notes.strip(), actions.strip()
    problems: dict[str, list[str]] = {}
    if len(notes) > NOTES_MAX:
        problems["notes"] = [_("Notes are at most %(count)s characters.") % {"count": NOTES_MAX}]
    if len(actions) > NOTES_MAX:
        problems["actions"] = [
            _("Actions are at most %(count)s characters.") % {"count": NOTES_MAX}
        ]
    if timezone.is_naive(held_at):
        problems["held_at"] = [_("Give the time with its time zone.")]
    elif held_at > now + CLOCK_SLACK:
        problems["held_at"] = [_("A meeting cannot be held in the future.")]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.held_at is not None:
            raise Conflict(_("This meeting has already been recorded; its notes stay as they are."))
        if not meeting.agenda:
            meeting.agenda = build_agenda(meeting.assignment, held_at)
        listed = [row["id"] for row in meeting.agenda.get("questions", [])]
        discussed = TraineeQuestion.objects.filter(
            assignment=meeting.assignment, pk__in=listed, answered_at=None
        ).update(answered_at=held_at)
        meeting.held_at = held_at
        meeting.notes = notes
        meeting.actions = actions
        meeting.save(update_fields=["held_at", "notes", "actions", "agenda"])
        record_event(
            EventKind.MEETING_HELD,
            meeting,
            actor,
            assignment=meeting.assignment_id,
            questions_discussed=discussed,
        )
    return meeting


# The trainee's questions ----------------------------------------------------


def do_ask_question(assignment: Assignment, text: str, user: Any) -> TraineeQuestion:
    """The trainee writes down a question for the next meeting."""
    if assignment.trainee_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the trainee asks questions for their meetings."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write your question.")]})
    if len(text) > QUESTION_MAX:
        raise ValidationError(
            {"text": [_("A question is at most %(count)s characters.") % {"count": QUESTION_MAX}]}
        )
    return TraineeQuestion.objects.create(assignment=assignment, text=text)


# Role-plays ------------------------------------------------------------------


def rubric_total(rubric: Sequence[dict[str, Any]]) -> int:
    return sum(int(row.get("points", 0)) for row in rubric)


def check_scores(rubric: Sequence[dict[str, Any]], scores: Sequence[Any]) -> list[int]:
    """The scores, one whole number per criterion between 0 and its points,
    or a ValidationError on `scores` that names the criterion at fault.
    (The rule of `grading.score_rubric`, with messages for people.)"""
    if not rubric:
        raise ValidationError({"scores": [_("This card has no rubric to grade with.")]})
    if len(scores) != len(rubric):
        raise ValidationError(
            {
                "scores": [
                    _("Give one score per criterion: %(count)s scores.") % {"count": len(rubric)}
                ]
            }
        )
    problems = []
    for row, given in zip(rubric, scores, strict=True):
        most = int(row.get("points", 0))
        whole = isinstance(given, int) and not isinstance(given, bool)
        if not whole or not 0 <= given <= most:
            problems.append(
                _("“%(criterion)s”: give a whole number from 0 to %(most)s.")
                % {"criterion": row.get("criterion", ""), "most": most}
            )
    if problems:
        raise ValidationError({"scores": problems})
    return [int(given) for given in scores]


def may_run_role_play_with(mentor: Any, trainee: Any) -> bool:
    """A mentor runs role-plays with their mentees; a manager with any staff member."""
    return is_staff_member(trainee) and mentees_of(mentor).filter(pk=trainee.pk).exists()


REPLAY_WINDOW = timedelta(minutes=10)


def do_run_role_play(
    card: RolePlayCard,
    trainee: Any,
    mentor: Any,
    scores: Sequence[Any],
    notes: str,
    held_at: datetime | None = None,
) -> RolePlay:
    """Grade a role-play run with the card's rubric."""
    if not may_run_role_play_with(mentor, trainee):
        raise ValidationError({"trainee": [_("Choose one of your mentees.")]})
    checked = check_scores(card.rubric, scores)
    notes = notes.strip()
    if len(notes) > ROLE_PLAY_NOTES_MAX:
        raise ValidationError(
            {
                "notes": [
                    _("Notes are at most %(count)s characters.") % {"count": ROLE_PLAY_NOTES_MAX}
                ]
            }
        )
    with transaction.atomic():
        # A form sent twice (a double click, a replayed request) is one run:
        # the same grades for the same pair moments apart.
        same = (
            RolePlay.objects.select_for_update()
            .filter(
                card=card,
                trainee=trainee,
                mentor=mentor,
                rubric_scores=checked,
                notes=notes,
                held_at__gte=timezone.now() - REPLAY_WINDOW,
            )
            .first()
        )
        if same is not None and held_at is None:
            return same
        run = RolePlay.objects.create(
            card=card,
            trainee=trainee,
            mentor=mentor,
            held_at=held_at or timezone.now(),
            rubric_scores=checked,
            score=sum(checked),
            max_score=rubric_total(card.rubric),
            notes=notes,
        )
        record_event(
            EventKind.ROLE_PLAY_GRADED,
            run,
            mentor,
            card=card.pk,
            trainee=trainee.pk,
            score=run.score,
            max_score=run.max_score,
        )
    return run


@dataclass
class CardData:
    title: str
    situation: str
    section: Section | None = None
    language: str = "pl"
    tricky_questions: list[str] = field(default_factory=list)
    # [{"criterion": str, "points": int}, ...], as a scenario question's rubric.
    rubric: list[dict[str, Any]] = field(default_factory=list)


def _check_card(data: CardData) -> None:
    problems: dict[str, list[str]] = {}
    if not data.title.strip():
        problems["title"] = [_("Give the card a title.")]
    if not data.situation.strip():
        problems["situation"] = [_("Describe the client's situation.")]
    if not data.rubric:
        problems["rubric"] = [_("Give at least one criterion of a good answer.")]
    for row in data.rubric:
        points = row.get("points")
        if not str(row.get("criterion", "")).strip():
            problems.setdefault("rubric", []).append(_("Every criterion needs its words."))
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
            problems.setdefault("rubric", []).append(
                _("A criterion is worth a whole number of points from 1 to 100.")
            )
    if problems:
        raise ValidationError(problems)


def _clean_rubric(rubric: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"criterion": str(row["criterion"]).strip(), "points": int(row["points"])} for row in rubric
    ]


def do_create_card(data: CardData, actor: Any) -> RolePlayCard:
    _check_card(data)
    with transaction.atomic():
        return RolePlayCard.objects.create(
            section=data.section,
            language=data.language,
            title=data.title.strip(),
            situation=data.situation.strip(),
            tricky_questions=[text.strip() for text in data.tricky_questions if text.strip()],
            rubric=_clean_rubric(data.rubric),
        )


def do_update_card(card: RolePlayCard, data: CardData, actor: Any) -> RolePlayCard:
    """Change a card. Its rubric stays as it was once the card has been
    used: past runs' scores are per criterion of that rubric."""
    _check_card(data)
    rubric = _clean_rubric(data.rubric)
    with transaction.atomic():
        card = RolePlayCard.objects.select_for_update().get(pk=card.pk)
        if rubric != card.rubric and card.sessions.exists():
            raise ValidationError(
                {
                    "rubric": [
                        _(
                            "This card has been used in role-plays: its rubric stays as it was. "
                            "Make a new card for a new rubric."
                        )
                    ]
                }
            )
        card.section = data.section
        card.language = data.language
        card.title = data.title.strip()
        card.situation = data.situation.strip()
        card.tricky_questions = [text.strip() for text in data.tricky_questions if text.strip()]
        card.rubric = rubric
        card.save(
            update_fields=[
                "section",
                "language",
                "title",
                "situation",
                "tricky_questions",
                "rubric",
            ]
        )
    return card
