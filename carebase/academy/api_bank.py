"""The question bank and exam quality over the REST API (managers only).

- `GET /academy/questions`: the bank, with keys (options marked correct,
  accepted answers, rubrics) — anyone but a manager is refused (403);
- `POST /academy/questions`, `GET`/`PATCH /academy/questions/{id}`: one
  question, written by the same rules as the page (`actions_bank`); a
  question is not found (404) by anyone who may not see the bank;
- `GET /academy/quizzes/{id}/analysis`: item analysis over first attempts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from carebase.academy.access import (
    access_question,
    require_manage,
    visible_questions,
)
from carebase.academy.actions_bank import (
    ChoiceData,
    QuestionData,
    do_save_question,
    question_data_of,
)
from carebase.academy.analysis import QuestionAnalysis, quiz_analysis
from carebase.academy.models import (
    Difficulty,
    Question,
    QuestionKind,
    QuestionStatus,
    Quiz,
    Scoring,
    Section,
)
from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.crm.models import Language
from carebase.kb.access import readable_articles
from carebase.kb.models import Article

router = Router(tags=["academy"])


class ChoiceOut(Schema):
    id: int
    text: str
    correct: bool = Field(validation_alias="is_correct")


class RubricRow(Schema):
    criterion: str = Field(min_length=1, max_length=500)
    points: int = Field(ge=1, le=100)


class QuestionOut(Schema):
    id: int
    section: int = Field(validation_alias="section_id")
    language: str
    kind: QuestionKind
    text: str
    explanation: str
    points: int
    scoring: Scoring
    difficulty: Difficulty
    choices: list[ChoiceOut] = Field(description="Choice kinds: the options, the key marked.")
    accepted_answers: list[str] = Field(description="Short answer: what is accepted.")
    rubric: list[RubricRow] = Field(description="Scenario: the rubric the mentor grades by.")
    article: int | None = Field(validation_alias="article_id")
    article_version: int | None = Field(description="The article's version it was written for.")
    article_current_version: int | None = Field(
        description="The article's live version now: newer than `article_version` means the "
        "question should be checked against it."
    )
    in_pool: bool
    status: QuestionStatus
    status_note: str
    leaked: bool
    exposure: int = Field(description="Candidates the question was shown to (pool).")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_choices(question: Question) -> list[Any]:
        return list(question.choices.all())

    @staticmethod
    def resolve_article_current_version(question: Question) -> int | None:
        return question.article.version if question.article is not None else None


class QuestionList(Schema):
    items: list[QuestionOut]
    next: str | None


class QuestionFilters(Schema):
    section: Id | None = None
    kind: QuestionKind | None = None
    difficulty: Difficulty | None = None
    status: QuestionStatus | None = None
    leaked: bool | None = None
    in_pool: bool | None = Field(None, description="true: the pool; false: quizzes' questions.")
    language: Language | None = None
    q: str | None = Field(None, max_length=200, description="Words of the question's text.")


class ChoiceIn(Schema):
    id: Id | None = Field(None, description="An existing option of the question; omit for new.")
    text: str = Field(min_length=1, max_length=500)
    correct: bool = False


class QuestionIn(Schema):
    section: Id
    kind: QuestionKind
    text: str = Field(min_length=1, max_length=5000)
    language: Language = Language.POLISH
    explanation: str = Field("", max_length=5000)
    points: int = Field(1, ge=1, le=100, description="Scenario: the rubric's sum instead.")
    scoring: Scoring = Scoring.PARTIAL
    difficulty: Difficulty = Difficulty.MEDIUM
    in_pool: bool = False
    accepted_answers: list[str] = Field(default_factory=list, max_length=50)
    rubric: list[RubricRow] = Field(default_factory=list, max_length=30)
    article: Id | None = Field(None, description="A live article the caller may read.")
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=20)


class QuestionPatch(Schema):
    section: Id | None = None
    kind: QuestionKind | None = None
    text: str | None = Field(None, min_length=1, max_length=5000)
    language: Language | None = None
    explanation: str | None = Field(None, max_length=5000)
    points: int | None = Field(None, ge=1, le=100)
    scoring: Scoring | None = None
    difficulty: Difficulty | None = None
    in_pool: bool | None = None
    accepted_answers: list[str] | None = Field(None, max_length=50)
    rubric: list[RubricRow] | None = Field(None, max_length=30)
    article: Id | None = Field(None, description="null removes the citation.")
    choices: list[ChoiceIn] | None = Field(
        None,
        description="Every option, in order: existing ones by `id`, new ones without; an "
        "existing option left out is removed (refused once takers were shown it).",
    )


class OptionCountOut(Schema):
    id: int = Field(validation_alias="choice_id")
    text: str
    correct: bool
    count: int


class CohortOut(Schema):
    label: str = Field(description="The calendar quarter of submission, e.g. 2025-Q1.")
    takers: int
    facility: float | None


class ItemOut(Schema):
    question: int
    takers: int
    facility: float | None
    discrimination: float | None
    low_confidence: bool
    likely_wrong_key: bool
    possibly_leaked: bool
    options: list[OptionCountOut]
    cohorts: list[CohortOut]


class ExamOut(Schema):
    takers: int
    alpha: float | None
    alpha_takers: int
    mean: float | None
    median: float | None
    stdev: float | None
    distribution: list[int] = Field(
        description="Takers per 10-point band of percent score; the last holds 90-100."
    )
    low_confidence: bool


class AnalysisOut(Schema):
    quiz: int
    exam: ExamOut
    items: list[ItemOut]


def _questions() -> Any:
    return Question.objects.select_related("section", "article").prefetch_related("choices")


def _section(pk: int) -> Section:
    section = Section.objects.filter(pk=pk).first()
    if section is None:
        raise ValidationError({"section": ["There is no such section."]})
    return section


def _article(user: Any, pk: int | None, current: Question | None) -> Article | None:
    if pk is None:
        return None
    if current is not None and current.article_id == pk:
        return current.article  # kept as cited, even if no longer live
    article = readable_articles(user).filter(pk=pk).first()
    if article is None:
        raise ValidationError({"article": ["Not a live article you may read."]})
    return article


def _choices(given: list[ChoiceIn]) -> list[ChoiceData]:
    return [ChoiceData(text=row.text, is_correct=row.correct, id=row.id) for row in given]


def _rubric(rows: list[RubricRow]) -> list[dict[str, Any]]:
    return [{"criterion": row.criterion, "points": row.points} for row in rows]


@router.get(
    "/academy/questions",
    response={200: QuestionList, **ERRORS},
    summary="List the question bank (with keys)",
)
def list_questions(
    request: AuthenticatedRequest, filters: Query[QuestionFilters], page: Query[PageParams]
) -> dict[str, Any]:
    """Managers only (403 for anyone else): the keys are in every item."""
    require_manage(request.user)
    questions = visible_questions(request.user).select_related("section", "article")
    for name in ("kind", "difficulty", "status", "leaked", "in_pool", "language"):
        value = getattr(filters, name)
        if value is not None:
            questions = questions.filter(**{name: value})
    if filters.section is not None:
        questions = questions.filter(section_id=filters.section)
    if filters.q:
        questions = questions.filter(text__icontains=filters.q)
    return paginate(questions.prefetch_related("choices"), page.cursor, page.limit)


@router.post(
    "/academy/questions", response={201: QuestionOut, **ERRORS}, summary="Write a question"
)
def create_question(request: AuthenticatedRequest, body: QuestionIn) -> Status:
    """422 naming each field that breaks a rule (e.g. two correct options
    for a single-choice question)."""
    require_manage(request.user)
    data = QuestionData(
        section=_section(body.section),
        kind=body.kind,
        text=body.text,
        language=body.language,
        explanation=body.explanation,
        points=body.points,
        scoring=body.scoring,
        difficulty=body.difficulty,
        in_pool=body.in_pool,
        accepted_answers=list(body.accepted_answers),
        rubric=_rubric(body.rubric),
        article=_article(request.user, body.article, None),
        choices=_choices(body.choices),
    )
    question = do_save_question(None, data, request.user)
    return Status(201, _questions().get(pk=question.pk))


@router.get(
    "/academy/questions/{question_id}",
    response={200: QuestionOut, **ERRORS},
    summary="Get a question with its key",
)
def get_question(request: AuthenticatedRequest, question_id: Id) -> Question:
    return _questions().get(pk=access_question(request.user, question_id).pk)


@router.patch(
    "/academy/questions/{question_id}",
    response={200: QuestionOut, **ERRORS},
    summary="Change a question",
)
def update_question(
    request: AuthenticatedRequest, question_id: Id, body: QuestionPatch
) -> Question:
    """Only the fields given change. Once answered, its kind cannot change
    and an option takers were shown cannot be removed (422); correcting the
    key is allowed and recorded."""
    question = access_question(request.user, question_id)
    data = question_data_of(question)
    given = body.model_fields_set
    for name in ("kind", "text", "language", "explanation", "points", "scoring", "difficulty"):
        if name in given and getattr(body, name) is not None:
            setattr(data, name, getattr(body, name))
    if "in_pool" in given and body.in_pool is not None:
        data.in_pool = body.in_pool
    if "section" in given and body.section is not None:
        data.section = _section(body.section)
    if "accepted_answers" in given and body.accepted_answers is not None:
        data.accepted_answers = list(body.accepted_answers)
    if "rubric" in given and body.rubric is not None:
        data.rubric = _rubric(body.rubric)
    if "article" in given:
        data.article = _article(request.user, body.article, question)
    if "choices" in given and body.choices is not None:
        data.choices = _choices(body.choices)
    do_save_question(question, data, request.user)
    return _questions().get(pk=question.pk)


def _item(item: QuestionAnalysis) -> dict[str, Any]:
    stats = item.stats
    return {
        "question": item.question.pk,
        "takers": stats.takers,
        "facility": stats.facility,
        "discrimination": stats.discrimination,
        "low_confidence": stats.low_confidence,
        "likely_wrong_key": item.likely_wrong_key,
        "possibly_leaked": item.possibly_leaked,
        "options": item.options,
        "cohorts": item.cohorts,
    }


@router.get(
    "/academy/quizzes/{quiz_id}/analysis",
    response={200: AnalysisOut, **ERRORS},
    summary="Item analysis of a quiz or exam",
)
def get_analysis(request: AuthenticatedRequest, quiz_id: Id) -> dict[str, Any]:
    """On each taker's first attempt, once graded (managers only, 403 for
    anyone else): per question facility, discrimination, distractor counts
    and flags; per exam Cronbach's alpha and the score distribution."""
    require_manage(request.user)
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    result = quiz_analysis(quiz)
    exam = result.exam
    return {
        "quiz": quiz.pk,
        "exam": {
            "takers": exam.takers,
            "alpha": exam.alpha,
            "alpha_takers": exam.alpha_takers,
            "mean": exam.mean,
            "median": exam.median,
            "stdev": exam.stdev,
            "distribution": list(exam.distribution),
            "low_confidence": exam.low_confidence,
        },
        "items": [_item(item) for item in result.questions],
    }
