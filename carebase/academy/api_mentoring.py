"""Mentor meetings and role-plays over the REST API.

- Meetings are scoped as on the pages: a mentor's mentees', everyone's for
  managers, one's own for a trainee, who gets their dates and the actions
  agreed only (`notes` and `agenda` are null for them). Whoever runs a
  meeting (its mentor, a manager) prepares its agenda and records it; its
  trainee is refused (403); anyone else gets 404.
- Role-play cards are for mentors and managers: anyone else gets 404, on
  the list as on a card (the client's tricky questions are the exercise).
  A run is graded by the card's rubric: one whole number per criterion,
  0 to its points (422 naming the criterion otherwise).
- Role-play results are listed by the same scope as meetings: a trainee's
  own (score and notes), a mentor's mentees', everyone's for managers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status

from carebase.academy.access import (
    access_assignment,
    access_card,
    access_meeting,
    require_staff,
    runs_meeting,
    visible_cards,
    visible_meetings,
    visible_role_plays,
)
from carebase.academy.actions_mentoring import (
    QUESTION_MAX,
    do_ask_question,
    do_prepare_meeting,
    do_record_meeting,
    do_run_role_play,
)
from carebase.academy.agenda import for_display
from carebase.academy.models import Meeting, RolePlay, RolePlayCard
from carebase.academy.views_mentoring import access_meeting_to_run, require_cards
from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import User
from carebase.api.pagination import ERRORS, Id, Moment, PageParams, paginate

router = Router(tags=["academy"])


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class MeetingOut(Schema):
    id: int
    assignment: int
    trainee: int
    trainee_name: str
    mentor: int
    mentor_name: str
    scheduled_at: datetime
    held_at: datetime | None
    actions: str = Field(description="The actions agreed, once held.")
    notes: str | None = Field(description="The mentor's notes; null for the trainee.")
    agenda_prepared: bool | None = Field(description="Null for the trainee.")
    url: str

    @staticmethod
    def resolve_assignment(meeting: Meeting) -> int:
        return meeting.assignment_id

    @staticmethod
    def resolve_trainee(meeting: Meeting) -> int:
        return meeting.assignment.trainee_id

    @staticmethod
    def resolve_trainee_name(meeting: Meeting) -> str:
        return _name(meeting.assignment.trainee)

    @staticmethod
    def resolve_mentor(meeting: Meeting) -> int:
        return meeting.assignment.mentor_id

    @staticmethod
    def resolve_mentor_name(meeting: Meeting) -> str:
        return _name(meeting.assignment.mentor)

    @staticmethod
    def resolve_notes(meeting: Any) -> str | None:
        return meeting.notes if meeting.runs else None

    @staticmethod
    def resolve_agenda_prepared(meeting: Any) -> bool | None:
        return bool(meeting.agenda) if meeting.runs else None

    @staticmethod
    def resolve_url(meeting: Meeting) -> str:
        return meeting.get_absolute_url()


class MeetingList(Schema):
    items: list[MeetingOut]
    next: str | None


class MeetingDetailOut(MeetingOut):
    agenda: dict[str, Any] | None = Field(
        description="Prepared from evidence (wrong answers with the right ones, weakest "
        "sections, items behind schedule, open questions, prompts with their `text` in the "
        "caller's language); null for the trainee, and empty until prepared."
    )

    @staticmethod
    def resolve_agenda(meeting: Any) -> dict[str, Any] | None:
        if not meeting.runs:
            return None
        return for_display(meeting.agenda, get_language() or "en")


class MeetingFilters(Schema):
    assignment: Id | None = None
    trainee: Id | None = None
    held: bool | None = Field(None, description="Only held (true) or only upcoming (false).")


class RecordIn(Schema):
    notes: str = Field("", max_length=20_000)
    actions: str = Field("", max_length=20_000)
    held_at: Moment | None = Field(None, description="When it was held (default: now).")


class QuestionIn(Schema):
    text: str = Field(min_length=1, max_length=QUESTION_MAX)


class QuestionOut(Schema):
    id: int
    assignment: int
    text: str
    created_at: datetime
    answered_at: datetime | None = Field(description="When a meeting discussed it.")

    @staticmethod
    def resolve_assignment(question: Any) -> int:
        return int(question.assignment_id)


def _with_runs(meeting: Meeting, user: Any) -> Meeting:
    meeting.runs = runs_meeting(user, meeting)  # type: ignore[attr-defined]
    return meeting


def _meeting(user: Any, pk: int) -> Meeting:
    return _with_runs(access_meeting(user, pk), user)


@router.get("/academy/meetings", response={200: MeetingList, **ERRORS}, summary="List meetings")
def list_meetings(
    request: AuthenticatedRequest, filters: Query[MeetingFilters], page: Query[PageParams]
) -> dict:
    """Mentor meetings: a mentor's with their mentees, everyone's for
    managers, a trainee's own (dates and actions agreed only)."""
    require_staff(request.user)
    queryset = visible_meetings(request.user).select_related(
        "assignment", "assignment__trainee", "assignment__mentor"
    )
    if filters.assignment is not None:
        queryset = queryset.filter(assignment_id=filters.assignment)
    if filters.trainee is not None:
        queryset = queryset.filter(assignment__trainee_id=filters.trainee)
    if filters.held is not None:
        queryset = queryset.filter(held_at__isnull=not filters.held)
    result = paginate(queryset, page.cursor, page.limit)
    result["items"] = [_with_runs(meeting, request.user) for meeting in result["items"]]
    return result


@router.get(
    "/academy/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Read a meeting",
)
def read_meeting(request: AuthenticatedRequest, meeting_id: Id) -> Meeting:
    """One meeting; with its agenda and notes for whoever runs it, its date
    and actions only for the trainee."""
    require_staff(request.user)
    return _meeting(request.user, meeting_id)


@router.post(
    "/academy/meetings/{meeting_id}/prepare",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Prepare a meeting's agenda",
)
def prepare_meeting(request: AuthenticatedRequest, meeting_id: Id) -> Meeting:
    """Build the agenda from the evidence as it is now (again: rebuilt).
    409 once the meeting is held: its agenda stays as it was."""
    require_staff(request.user)
    meeting = access_meeting_to_run(request.user, meeting_id)
    do_prepare_meeting(meeting, request.user)
    return _meeting(request.user, meeting_id)


@router.post(
    "/academy/meetings/{meeting_id}/record",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Record a meeting as held",
)
def record_meeting(request: AuthenticatedRequest, meeting_id: Id, body: RecordIn) -> Meeting:
    """The mentor (or a manager) records the meeting, once: notes, actions
    agreed, when it was held. The trainee's questions on its agenda are
    marked discussed. 409 when it was recorded already; 403 for its
    trainee."""
    require_staff(request.user)
    meeting = access_meeting_to_run(request.user, meeting_id)
    do_record_meeting(meeting, body.notes, body.actions, request.user, held_at=body.held_at)
    return _meeting(request.user, meeting_id)


@router.post(
    "/academy/assignments/{assignment_id}/questions",
    response={201: QuestionOut, **ERRORS},
    summary="Ask a question for the next meeting",
)
def ask_question(request: AuthenticatedRequest, assignment_id: Id, body: QuestionIn) -> Status:
    """The trainee of the assignment writes down a question for their next
    meeting (anyone else who sees the assignment: 403)."""
    require_staff(request.user)
    assignment = access_assignment(request.user, assignment_id)
    return Status(201, do_ask_question(assignment, body.text, request.user))


# Role-plays ---------------------------------------------------------------------


class RubricRow(Schema):
    criterion: str
    points: int


class CardOut(Schema):
    id: int
    title: str
    section: str | None = Field(description="The section's short name.")
    language: str
    situation: str
    tricky_questions: list[str]
    rubric: list[RubricRow]
    url: str

    @staticmethod
    def resolve_section(card: RolePlayCard) -> str | None:
        return card.section.slug if card.section else None

    @staticmethod
    def resolve_url(card: RolePlayCard) -> str:
        return card.get_absolute_url()


class CardList(Schema):
    items: list[CardOut]
    next: str | None


class RunIn(Schema):
    trainee: Id
    scores: list[int] = Field(description="One whole number per rubric criterion, in its order.")
    notes: str = Field("", max_length=5000)


class RunOut(Schema):
    id: int
    card: int
    card_title: str
    trainee: int
    trainee_name: str
    mentor: int
    held_at: datetime
    score: int
    max_score: int
    notes: str

    @staticmethod
    def resolve_card(run: RolePlay) -> int:
        return run.card_id

    @staticmethod
    def resolve_card_title(run: RolePlay) -> str:
        return run.card.title

    @staticmethod
    def resolve_trainee(run: RolePlay) -> int:
        return run.trainee_id

    @staticmethod
    def resolve_trainee_name(run: RolePlay) -> str:
        return _name(run.trainee)

    @staticmethod
    def resolve_mentor(run: RolePlay) -> int:
        return run.mentor_id


class RunDetailOut(RunOut):
    rubric_scores: list[int] = Field(description="Per criterion of the card's rubric.")


class RunList(Schema):
    items: list[RunOut]
    next: str | None


class RunFilters(Schema):
    trainee: Id | None = None
    card: Id | None = None


@router.get(
    "/academy/roleplays", response={200: CardList, **ERRORS}, summary="List role-play cards"
)
def list_cards(request: AuthenticatedRequest, page: Query[PageParams]) -> dict:
    """The role-play cards with their situation, tricky questions and rubric:
    mentors and managers only (404 for anyone else)."""
    require_cards(request.user)
    return paginate(visible_cards(request.user).select_related("section"), page.cursor, page.limit)


@router.post(
    "/academy/roleplays/{card_id}/runs",
    response={201: RunDetailOut, **ERRORS},
    summary="Grade a role-play run",
)
def run_card(request: AuthenticatedRequest, card_id: Id, body: RunIn) -> Status:
    """The caller played the client from this card with one of their
    mentees and grades the run by the card's rubric."""
    require_cards(request.user)
    card = access_card(request.user, card_id)
    trainee = User.objects.filter(pk=body.trainee).first()
    if trainee is None:
        raise ValidationError({"trainee": ["Choose one of your mentees."]})
    run = do_run_role_play(card, trainee, request.user, body.scores, body.notes)
    return Status(201, run)


@router.get(
    "/academy/role-play-runs", response={200: RunList, **ERRORS}, summary="List role-play results"
)
def list_runs(
    request: AuthenticatedRequest, filters: Query[RunFilters], page: Query[PageParams]
) -> dict:
    """Role-play results: the caller's own (score and notes), a mentor's
    also their mentees', a manager's everyone's."""
    require_staff(request.user)
    queryset = visible_role_plays(request.user).select_related("card", "trainee")
    if filters.trainee is not None:
        queryset = queryset.filter(trainee_id=filters.trainee)
    if filters.card is not None:
        queryset = queryset.filter(card_id=filters.card)
    return paginate(queryset, page.cursor, page.limit)
