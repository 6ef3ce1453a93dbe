"""What a person receives about a quiz or an attempt, by disclosure level.

Every page and API response about questions goes through these builders, so
the rule "a taker never receives a key" lives in one place:
- `taker_questions`: the attempt's own questions as the taker sees them
  while answering: text, kind and options in the order fixed at the start;
  never which option is correct, the accepted answers, the rubric or the
  explanation;
- `review`: after submitting, at a level (`ReviewShows`): the score only;
  which answers were right and wrong; or also the right answers, the
  explanations and the article that teaches each question. A taker gets
  their quiz's level; a share link carries a level no higher than that; the
  mentor who grades sees everything (`GRADER`).
Only the questions of the attempt are ever in it: a certification review
never reveals a question of the pool the candidate did not answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from carebase.academy.models import (
    REVIEW_ORDER,
    Answer,
    Attempt,
    AttemptStatus,
    Choice,
    QuestionKind,
    QuestionStatus,
    Quiz,
    ReviewShows,
)

GRADER = "grader"  # above every ReviewShows level: keys and rubrics


def level_rank(level: str) -> int:
    if level == GRADER:
        return len(REVIEW_ORDER)
    return REVIEW_ORDER.index(ReviewShows(level))


def allows(level: str, wanted: str) -> bool:
    return level_rank(level) >= level_rank(wanted)


@dataclass
class Option:
    id: int
    text: str
    chosen: bool = False
    correct: bool | None = None  # None: not disclosed


@dataclass
class Item:
    id: int  # the question's id
    position: int
    kind: str
    text: str
    points: Decimal
    options: list[Option] = field(default_factory=list)
    text_answer: str = ""
    rationale: str = ""
    answered: bool = False
    # Disclosed by level:
    earned: Decimal | None = None
    correct: bool | None = None
    pending: bool = False  # a scenario answer waiting for its mentor
    accepted_answers: list[str] = field(default_factory=list)
    explanation: str = ""
    article_title: str = ""
    article_url: str = ""
    rubric: list[dict[str, Any]] = field(default_factory=list)
    rubric_scores: list[Any] = field(default_factory=list)
    feedback: str = ""
    answer_id: int | None = None


def _answers(attempt: Attempt) -> list[Answer]:
    return list(
        attempt.answers.select_related("question", "question__article").order_by("position")
    )


def _choices(answers: list[Answer]) -> dict[int, Choice]:
    ids = [choice_id for answer in answers for choice_id in answer.choice_order]
    return {choice.pk: choice for choice in Choice.objects.filter(pk__in=ids)}


def taker_questions(attempt: Attempt) -> list[Item]:
    """The attempt's questions for answering: no keys of any kind."""
    answers = _answers(attempt)
    choices = _choices(answers)
    items = []
    for answer in answers:
        question = answer.question
        items.append(
            Item(
                id=question.pk,
                position=answer.position + 1,
                kind=question.kind,
                text=question.text,
                points=answer.max_points,
                options=[
                    Option(id=pk, text=choices[pk].text, chosen=pk in answer.chosen)
                    for pk in answer.choice_order
                    if pk in choices
                ],
                text_answer=answer.text,
                rationale=answer.rationale,
                answered=answer.answered_at is not None,
            )
        )
    return items


def review(attempt: Attempt, level: str, reader: Any = None) -> list[Item]:
    """The attempt's questions after submitting, disclosed to `level`. The
    article that teaches a question is named only to a reader who may read
    it (the taker by default): a regulation restricted to other roles keeps
    even its title."""
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return []
    if not allows(level, ReviewShows.MARKS):
        return []
    answers = _answers(attempt)
    choices = _choices(answers)
    show_keys = allows(level, ReviewShows.ANSWERS)
    readable = _readable_articles(answers, reader if reader is not None else attempt.user)
    items = []
    for answer in answers:
        question = answer.question
        item = Item(
            id=question.pk,
            position=answer.position + 1,
            kind=question.kind,
            text=question.text,
            points=answer.max_points,
            options=[
                Option(
                    id=pk,
                    text=choices[pk].text,
                    chosen=pk in answer.chosen,
                    correct=choices[pk].is_correct if show_keys else None,
                )
                for pk in answer.choice_order
                if pk in choices
            ],
            text_answer=answer.text,
            rationale=answer.rationale,
            answered=answer.answered_at is not None,
            earned=answer.points,
            correct=answer.is_correct,
            pending=answer.points is None,
            feedback=answer.feedback,
            answer_id=answer.pk,
        )
        if show_keys:
            item.accepted_answers = list(question.accepted_answers)
            item.explanation = question.explanation
            if question.article is not None and question.article_id in readable:
                item.article_title = question.article.title
                item.article_url = reverse("kb:article", args=[question.article.pk])
        if level == GRADER or (show_keys and question.kind == QuestionKind.SCENARIO):
            # The rubric is the scenario's key: shown once graded, with its scores.
            item.rubric = list(question.rubric)
            item.rubric_scores = list(answer.rubric_scores)
        items.append(item)
    return items


def _readable_articles(answers: list[Answer], reader: Any) -> set[int]:
    from carebase.kb.access import readable_articles

    cited = {answer.question.article_id for answer in answers if answer.question.article_id}
    if not cited:
        return set()
    return set(readable_articles(reader).filter(pk__in=cited).values_list("pk", flat=True))


def summary(attempt: Attempt) -> dict[str, Any]:
    """What every level shows: the score and the outcome."""
    return {
        "status": attempt.status,
        "status_label": attempt.get_status_display(),
        "score": attempt.score if attempt.status == AttemptStatus.GRADED else None,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "pass_mark": attempt.quiz.pass_mark,
    }


def quiz_outline(quiz: Quiz) -> dict[str, Any]:
    """A quiz as anyone who may take it sees it before starting: settings and
    size, never its questions (a certification exam has none of its own)."""
    if quiz.kind == "certification":
        count = sum(row.count for row in quiz.blueprint.all())
    else:
        # What an attempt gets: questions waiting for review are left out.
        count = quiz.entries.filter(question__status=QuestionStatus.ACTIVE).count()
    return {
        "question_count": count,
        "time_limit_minutes": quiz.time_limit_minutes,
        "max_attempts": quiz.max_attempts,
        "attempt_delay_minutes": quiz.attempt_delay_minutes,
        "pass_mark": quiz.pass_mark,
        "review_shows": quiz.review_shows,
        "review_label": quiz.get_review_shows_display(),
    }


def kind_hint(kind: str) -> str:
    hints: dict[str, str] = {
        QuestionKind.SINGLE: _("Pick one."),
        QuestionKind.MULTIPLE: _("Pick every right option."),
        QuestionKind.TRUE_FALSE: _("True or false?"),
        QuestionKind.SHORT: _("Type a short answer."),
        QuestionKind.SCENARIO: _("Say what you would do, and why."),
    }
    return hints.get(kind, "")
