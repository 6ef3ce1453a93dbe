"""The agenda of a mentor meeting, prepared from evidence.

`build_agenda(assignment, now)` gathers what happened since the previous
held meeting (or since the assignment started):
- the trainee's wrong answers (graded answers that earned less than their
  points), newest first, with what they answered and the right answer;
- their weakest sections, by the percent of points earned there, computed
  by the database;
- the items of their plan that are behind schedule (as of now);
- the questions they wrote down and nobody has discussed yet;
- prompts for the mentor made from the above.

The result is plain JSON, stored in `Meeting.agenda` when the mentor
prepares the meeting and kept as it was: the notes refer to it after the
evidence has moved on. Words that depend on the reader's language (section
names, the prompts' sentences) are stored as data and put into words by
`for_display` when the agenda is shown.

The agenda carries answer keys (the right answers) and is only ever shown
to those who run the meeting (`access.runs_meeting`), never to the trainee.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.academy.models import (
    BREAK_KINDS,
    Answer,
    Assignment,
    AssignmentItem,
    Choice,
    QuestionKind,
    QuizKind,
    RolePlayCard,
    Section,
    TraineeQuestion,
)
from carebase.academy.progress import plan_dates, working_day_number

AGENDA_VERSION = 1
WRONG_ANSWERS_SHOWN = 15
# Prompts about single wrong answers: a meeting has time for a few.
EXPLAIN_PROMPTS = 3
# A section where the trainee earned less than this is worth a prompt.
WEAK_PERCENT = 80.0


def evidence_since(assignment: Assignment, now: datetime) -> datetime:
    """The moment the previous held meeting took place, or the start of the
    assignment's first day (its creation, if that was earlier: a trainee may
    take a quiz on the day they are assigned, before the start date)."""
    previous = (
        assignment.meetings.filter(held_at__isnull=False, held_at__lte=now)
        .order_by("-held_at")
        .values_list("held_at", flat=True)
        .first()
    )
    if previous is not None:
        return previous
    start = datetime.combine(assignment.start_date, time.min, timezone.get_current_timezone())
    return min(start, assignment.created_at)


def _trainee_answers(assignment: Assignment, since: datetime) -> QuerySet[Answer]:
    return Answer.objects.filter(
        attempt__user_id=assignment.trainee_id,
        points__isnull=False,
        graded_at__gte=since,
    )


# Wrong answers -----------------------------------------------------------------


def _options(answers: list[Answer]) -> dict[int, Choice]:
    question_ids = {answer.question_id for answer in answers}
    return {choice.pk: choice for choice in Choice.objects.filter(question_id__in=question_ids)}


def _given_in_words(answer: Answer, options: dict[int, Choice]) -> str:
    kind = answer.question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE):
        picked = [options[pk].text for pk in answer.choice_order if pk in answer.chosen]
        picked += [options[pk].text for pk in answer.chosen if pk not in answer.choice_order]
        return "; ".join(text for text in picked if text)
    if kind == QuestionKind.SCENARIO:
        return "\n".join(part for part in (answer.text, answer.rationale) if part)
    return answer.text


def _right_in_words(answer: Answer, options: dict[int, Choice]) -> str:
    question = answer.question
    if question.kind == QuestionKind.SHORT:
        return " / ".join(question.accepted_answers)
    if question.kind == QuestionKind.SCENARIO:
        return "; ".join(
            f"{row.get('criterion', '')} ({row.get('points', 0)})" for row in question.rubric
        )
    right = sorted(
        (choice for choice in options.values() if choice.question_id == question.pk),
        key=lambda choice: (choice.position, choice.pk),
    )
    return "; ".join(choice.text for choice in right if choice.is_correct)


def wrong_answers(assignment: Assignment, since: datetime) -> tuple[list[dict[str, Any]], int]:
    """The newest wrong answers (at most WRONG_ANSWERS_SHOWN) and how many
    there are in all. Certification exams are left out: their questions are
    the rotating pool, and going through them with the trainee would leak
    the pool; their points still count in the sections' percents."""
    wrong = (
        _trainee_answers(assignment, since)
        .filter(points__lt=F("max_points"))
        .exclude(attempt__quiz__kind=QuizKind.CERTIFICATION)
    )
    total = wrong.count()
    answers = list(
        wrong.select_related("question", "question__section", "attempt", "attempt__quiz").order_by(
            "-graded_at", "-pk"
        )[:WRONG_ANSWERS_SHOWN]
    )
    options = _options(answers)
    rows = []
    for answer in answers:
        question = answer.question
        attempt = answer.attempt
        rows.append(
            {
                "answer": answer.pk,
                "question": question.pk,
                "question_text": question.text,
                "kind": question.kind,
                "section": question.section_id,
                "given": _given_in_words(answer, options),
                "right": _right_in_words(answer, options),
                "feedback": answer.feedback,
                "points": str(answer.points),
                "max_points": str(answer.max_points),
                "quiz": attempt.quiz.title,
                "attempt": attempt.pk,
                "attempt_url": reverse("academy:attempt", args=[attempt.pk]),
                "graded_at": answer.graded_at.isoformat() if answer.graded_at else None,
            }
        )
    return rows, total


# Sections ----------------------------------------------------------------------


def section_results(assignment: Assignment, since: datetime) -> list[dict[str, Any]]:
    """Per section, the percent of the points the trainee earned in graded
    answers (sum of points over sum of the most they could earn), lowest
    first, with the number of answers and of wrong ones."""
    rows = (
        _trainee_answers(assignment, since)
        .values("question__section")
        .annotate(
            earned=Sum("points"),
            most=Sum("max_points"),
            answers=Count("pk"),
            wrong=Count("pk", filter=Q(points__lt=F("max_points"))),
            percent=Cast(Sum("points"), FloatField())
            * Value(100.0)
            / NullIf(Cast(Sum("max_points"), FloatField()), Value(0.0)),
        )
        .order_by(F("percent").asc(nulls_last=True), "question__section__position")
    )
    results = list(rows)
    sections = Section.objects.in_bulk([row["question__section"] for row in results])
    return [
        {
            "section": row["question__section"],
            "slug": sections[row["question__section"]].slug,
            "name_pl": sections[row["question__section"]].name_pl,
            "name_en": sections[row["question__section"]].name_en,
            "percent": round(row["percent"], 1) if row["percent"] is not None else None,
            "earned": str(Decimal(row["earned"]).quantize(Decimal("0.01"))),
            "most": str(Decimal(row["most"]).quantize(Decimal("0.01"))),
            "answers": row["answers"],
            "wrong": row["wrong"],
        }
        for row in results
    ]


# Items behind schedule -----------------------------------------------------------


def items_behind(assignment: Assignment, now: datetime) -> list[dict[str, Any]]:
    """Items not done whose plan day has passed, counted in working days as
    the progress pages count them (`academy.progress`); today's items are
    today's work, not yet a delay. Lunch and admin time are nobody's
    progress and are left out."""
    today_day = working_day_number(assignment.start_date, timezone.localdate(now))
    behind = list(
        AssignmentItem.objects.filter(assignment=assignment, done_at=None, day__lt=today_day)
        .exclude(kind__in=BREAK_KINDS)
        .order_by("day", "position", "pk")
    )
    dates = plan_dates(assignment.start_date, today_day) if behind else {}
    return [
        {
            "item": item.pk,
            "title": item.title,
            "kind": item.kind,
            "day": item.day,
            "planned_for": dates[item.day].isoformat() if item.day in dates else None,
            "working_days_late": today_day - item.day,
            "minutes": item.minutes,
        }
        for item in behind
    ]


# Questions and prompts -----------------------------------------------------------


def open_questions(assignment: Assignment) -> list[dict[str, Any]]:
    return [
        {"id": question.pk, "text": question.text, "asked_at": question.created_at.isoformat()}
        for question in TraineeQuestion.objects.filter(assignment=assignment, answered_at=None)
    ]


def _card_for(section_id: int) -> RolePlayCard | None:
    return RolePlayCard.objects.filter(section_id=section_id).order_by("pk").first()


def suggested_prompts(
    wrong: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    behind: list[dict[str, Any]],
    questions: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """What the mentor might do, as data (`kind` and what it names); the
    sentence is written in the reader's language by `prompt_text`."""
    prompts: list[dict[str, Any]] = []
    for question in questions:
        prompts.append({"kind": "answer_question", "question": question["text"]})
    seen: set[int] = set()
    for row in wrong:
        if row["question"] in seen:
            continue
        seen.add(row["question"])
        prompts.append({"kind": "explain", "question": row["question_text"]})
        if len(seen) == EXPLAIN_PROMPTS:
            break
    weak = [row for row in sections if row["percent"] is not None and row["percent"] < WEAK_PERCENT]
    if weak:
        weakest = weak[0]
        card = _card_for(weakest["section"])
        if card is not None:
            prompts.append(
                {
                    "kind": "role_play",
                    "card": card.pk,
                    "card_title": card.title,
                    "section_pl": weakest["name_pl"],
                    "section_en": weakest["name_en"],
                }
            )
        else:
            prompts.append(
                {
                    "kind": "review_section",
                    "section_pl": weakest["name_pl"],
                    "section_en": weakest["name_en"],
                    "percent": weakest["percent"],
                }
            )
    if behind:
        prompts.append(
            {
                "kind": "catch_up",
                "count": len(behind),
                "minutes": sum(row["minutes"] for row in behind),
            }
        )
    if not prompts:
        prompts.append({"kind": "open"})
    return prompts


def build_agenda(assignment: Assignment, now: datetime) -> dict[str, Any]:
    """The agenda for the assignment's next meeting, from the evidence since
    the previous held one (see the module's description)."""
    since = evidence_since(assignment, now)
    wrong, wrong_total = wrong_answers(assignment, since)
    sections = section_results(assignment, since)
    behind = items_behind(assignment, now)
    questions = open_questions(assignment)
    return {
        "version": AGENDA_VERSION,
        "prepared_at": now.isoformat(),
        "since": since.isoformat(),
        "wrong_answers": wrong,
        "wrong_answers_total": wrong_total,
        "sections": sections,
        "behind": behind,
        "questions": questions,
        "prompts": suggested_prompts(wrong, sections, behind, questions),
    }


# Display -------------------------------------------------------------------------


def _in_language(row: dict[str, Any], key: str, language: str) -> str:
    return str(row.get(f"{key}_pl") if language == "pl" else row.get(f"{key}_en")) or ""


def prompt_text(prompt: dict[str, Any], language: str) -> str:
    kind = prompt.get("kind")
    if kind == "answer_question":
        return _("Answer their question: “%(question)s”.") % {"question": prompt["question"]}
    if kind == "explain":
        return _("Ask them to explain the topic of “%(question)s” in their own words.") % {
            "question": prompt["question"]
        }
    if kind == "role_play":
        return _("Run the role-play card “%(card)s” for %(section)s.") % {
            "card": prompt["card_title"],
            "section": _in_language(prompt, "section", language),
        }
    if kind == "review_section":
        return _("Go through %(section)s together: they earned %(percent)s%% of the points.") % {
            "section": _in_language(prompt, "section", language),
            "percent": prompt["percent"],
        }
    if kind == "catch_up":
        return _(
            "Agree how to catch up: %(count)s items are behind schedule (%(minutes)s minutes)."
        ) % {"count": prompt["count"], "minutes": prompt["minutes"]}
    return _(
        "No wrong answers, nothing behind and no questions: ask what was hardest since last time."
    )


def for_display(agenda: dict[str, Any], language: str) -> dict[str, Any]:
    """A stored agenda with its words in the reader's language: each
    section's `name`, each prompt's `text` (and `card_url` for a card)."""
    if not agenda:
        return {}
    shown = dict(agenda)
    shown["sections"] = [
        {**row, "name": _in_language(row, "name", language)} for row in agenda.get("sections", [])
    ]
    names = {row["section"]: row["name"] for row in shown["sections"]}
    shown["wrong_answers"] = [
        {**row, "section_name": names.get(row.get("section"), "")}
        for row in agenda.get("wrong_answers", [])
    ]
    shown["prompts"] = [
        {
            **prompt,
            "text": prompt_text(prompt, language),
            "card_url": reverse("academy:roleplay", args=[prompt["card"]])
            if prompt.get("kind") == "role_play"
            else "",
        }
        for prompt in agenda.get("prompts", [])
    ]
    for moment in ("prepared_at", "since"):
        if agenda.get(moment):
            shown[moment] = datetime.fromisoformat(agenda[moment])
    return shown
