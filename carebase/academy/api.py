"""Quizzes, results and certificates over the REST API.

- `GET /academy/quizzes` and `/academy/quizzes/{id}` are a stable interface:
  what they return never holds an answer key, for anyone (the question bank
  with its keys is `/academy/questions`, for managers only). A quiz's
  questions are not listed to those who take it: seen before starting, a
  timed quiz would not be timed.
- Results (`/academy/attempts`) are scoped: one's own, a mentor's mentees',
  everyone's for managers. One attempt's review is disclosed at the
  caller's level: the taker's quiz setting, or everything for its grader.
- Certificates are listed by the same scope and verified by anyone, without
  a token, by their code.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from carebase.academy.access import (
    access_attempt,
    access_quiz,
    certificate_by_code,
    may_manage,
    mentees_of,
    require_staff,
    sees_keys,
    visible_attempts,
    visible_quizzes,
)
from carebase.academy.actions import refusal_to_start
from carebase.academy.models import (
    Attempt,
    AttemptStatus,
    Certificate,
    QuestionKind,
    Quiz,
    QuizKind,
    ReviewShows,
)
from carebase.academy.taking import GRADER, review
from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate

router = Router(tags=["academy"])


class QuizOut(Schema):
    id: int
    kind: QuizKind
    section: str | None = Field(description="The section's short name.")
    language: str
    title: str
    description: str
    published: bool
    question_count: int = Field(
        description="Questions in one attempt (for an exam: drawn per candidate)."
    )
    time_limit_minutes: int | None
    max_attempts: int | None
    attempt_delay_minutes: int
    pass_mark: int = Field(description="Percent needed to pass.")
    review_shows: ReviewShows = Field(
        description="What the taker sees after submitting: `score`, `marks` (right and wrong) "
        "or `answers` (the right answers and explanations)."
    )
    can_start: bool = Field(description="Whether the caller may start an attempt now.")
    refusal: str | None = Field(description="Why not, when they may not.")
    url: str

    @staticmethod
    def resolve_section(quiz: Quiz) -> str | None:
        return quiz.section.slug if quiz.section else None

    @staticmethod
    def resolve_question_count(quiz: Any) -> int:
        if quiz.kind == QuizKind.CERTIFICATION:
            return int(quiz.drawn or 0)
        return int(quiz.entry_count)

    @staticmethod
    def resolve_can_start(quiz: Any) -> bool:
        return quiz.refusal is None

    @staticmethod
    def resolve_url(quiz: Quiz) -> str:
        return quiz.get_absolute_url()


class QuizList(Schema):
    items: list[QuizOut]
    next: str | None


class QuizQuestionOut(Schema):
    id: int
    kind: QuestionKind
    text: str
    points: int


class QuizDetailOut(QuizOut):
    questions: list[QuizQuestionOut] | None = Field(
        description="The questions, without keys, for managers only; null for everyone else."
    )

    @staticmethod
    def resolve_questions(quiz: Any) -> list[Any] | None:
        return quiz.listed


class QuizFilters(Schema):
    section: str | None = Field(None, max_length=60, description="A section's short name.")
    kind: QuizKind | None = None
    language: Literal["pl", "en"] | None = None


def _quizzes(user: Any) -> QuerySet[Quiz]:
    return (
        visible_quizzes(user)
        .select_related("section")
        .annotate(
            # What an attempt gets: questions waiting for review are left out.
            entry_count=Count(
                "entries", filter=Q(entries__question__status="active"), distinct=True
            ),
            drawn=Sum("blueprint__count"),
        )
    )


def _with_refusal(quiz: Any, user: Any) -> Any:
    quiz.refusal = refusal_to_start(quiz, user, timezone.now())
    return quiz


@router.get("/academy/quizzes", response={200: QuizList, **ERRORS}, summary="List quizzes")
def list_quizzes(
    request: AuthenticatedRequest, filters: Query[QuizFilters], page: Query[PageParams]
) -> dict:
    """The quizzes and exams the caller may take (managers: also drafts),
    with their settings and whether the caller may start one now. Never a
    question's key."""
    require_staff(request.user)
    queryset = _quizzes(request.user)
    if filters.section:
        queryset = queryset.filter(section__slug=filters.section)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    result = paginate(queryset, page.cursor, page.limit)
    result["items"] = [_with_refusal(quiz, request.user) for quiz in result["items"]]
    return result


@router.get(
    "/academy/quizzes/{quiz_id}", response={200: QuizDetailOut, **ERRORS}, summary="Read a quiz"
)
def read_quiz(request: AuthenticatedRequest, quiz_id: Id) -> Any:
    """One quiz's settings. Managers also get its questions (text, kind and
    points, never the keys); those who take it do not."""
    require_staff(request.user)
    access_quiz(request.user, quiz_id)
    quiz = _with_refusal(_quizzes(request.user).get(pk=quiz_id), request.user)
    quiz.listed = None
    if may_manage(request.user) and quiz.kind != QuizKind.CERTIFICATION:
        quiz.listed = [entry.question for entry in quiz.entries.select_related("question")]
    return quiz


class AttemptOut(Schema):
    id: int
    quiz: int
    quiz_title: str
    user: int
    user_name: str
    number: int
    status: AttemptStatus
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    graded_at: datetime | None
    score: Decimal | None = Field(description="Points earned, once graded.")
    max_score: Decimal
    percent: Decimal | None
    passed: bool | None
    url: str

    @staticmethod
    def resolve_quiz(attempt: Attempt) -> int:
        return attempt.quiz_id

    @staticmethod
    def resolve_quiz_title(attempt: Attempt) -> str:
        return attempt.quiz.title

    @staticmethod
    def resolve_user(attempt: Attempt) -> int:
        return attempt.user_id

    @staticmethod
    def resolve_user_name(attempt: Attempt) -> str:
        return str(attempt.user.get_full_name() or attempt.user.username)

    @staticmethod
    def resolve_score(attempt: Attempt) -> Decimal | None:
        return attempt.score if attempt.status == AttemptStatus.GRADED else None

    @staticmethod
    def resolve_url(attempt: Attempt) -> str:
        return attempt.get_absolute_url()


class AttemptList(Schema):
    items: list[AttemptOut]
    next: str | None


class AttemptFilters(Schema):
    quiz: Id | None = None
    user: Id | None = Field(None, description="One person's results (within the caller's scope).")
    status: AttemptStatus | None = None


class OptionOut(Schema):
    id: int
    text: str
    chosen: bool
    correct: bool | None = Field(description="Disclosed only at the `answers` level.")


class ReviewItemOut(Schema):
    question: int
    position: int
    kind: QuestionKind
    text: str
    points: Decimal
    earned: Decimal | None
    correct: bool | None
    pending: bool = Field(description="A scenario answer waiting for its mentor.")
    options: list[OptionOut]
    text_answer: str
    rationale: str
    accepted_answers: list[str]
    explanation: str
    article_title: str = Field(
        description="The article that teaches it (at the `answers` level, to readers who may "
        "read it); empty otherwise."
    )
    article_url: str
    rubric: list[dict[str, Any]]
    rubric_scores: list[Any]
    feedback: str

    @staticmethod
    def resolve_question(item: Any) -> int:
        return int(item.id)


class AttemptDetailOut(AttemptOut):
    review_level: str = Field(
        description="What this answer discloses: `score`, `marks`, `answers`, or `grader` "
        "(keys and rubrics, for the taker's mentor and managers)."
    )
    review: list[ReviewItemOut]


@router.get("/academy/attempts", response={200: AttemptList, **ERRORS}, summary="List quiz results")
def list_attempts(
    request: AuthenticatedRequest, filters: Query[AttemptFilters], page: Query[PageParams]
) -> dict:
    """Attempts and their results: the caller's own; a mentor's also those
    of their mentees; a manager's everyone's."""
    require_staff(request.user)
    queryset = visible_attempts(request.user).select_related("quiz", "user")
    if filters.quiz is not None:
        queryset = queryset.filter(quiz_id=filters.quiz)
    if filters.user is not None:
        queryset = queryset.filter(user_id=filters.user)
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    return paginate(queryset, page.cursor, page.limit)


@router.get(
    "/academy/attempts/{attempt_id}",
    response={200: AttemptDetailOut, **ERRORS},
    summary="Read a result with its review",
)
def read_attempt(request: AuthenticatedRequest, attempt_id: Id) -> Any:
    """One attempt with its review, disclosed as the quiz's review setting
    says for its taker, completely for their mentor and managers. Nothing of
    an attempt still in progress is disclosed here."""
    require_staff(request.user)
    attempt = access_attempt(request.user, attempt_id)
    level = GRADER if sees_keys(request.user, attempt) else attempt.quiz.review_shows
    attempt.review_level = level  # type: ignore[attr-defined]
    attempt.review = review(attempt, level, request.user)  # type: ignore[attr-defined]
    return attempt


class CertificateOut(Schema):
    id: int
    code: str
    user: int
    user_name: str
    quiz: int
    quiz_title: str
    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    valid: bool
    verify_url: str

    @staticmethod
    def resolve_user(certificate: Certificate) -> int:
        return certificate.user_id

    @staticmethod
    def resolve_user_name(certificate: Certificate) -> str:
        return str(certificate.user.get_full_name() or certificate.user.username)

    @staticmethod
    def resolve_quiz(certificate: Certificate) -> int:
        return certificate.quiz_id

    @staticmethod
    def resolve_quiz_title(certificate: Certificate) -> str:
        return certificate.quiz.title

    @staticmethod
    def resolve_valid(certificate: Certificate) -> bool:
        return certificate.is_valid_at(timezone.now())

    @staticmethod
    def resolve_verify_url(certificate: Certificate) -> str:
        return certificate.get_absolute_url()


class CertificateList(Schema):
    items: list[CertificateOut]
    next: str | None


class CertificateFilters(Schema):
    user: Id | None = None
    valid: bool | None = Field(None, description="Only valid (true) or only lapsed (false) ones.")


def visible_certificates(user: Any) -> QuerySet[Certificate]:
    if may_manage(user):
        return Certificate.objects.all()
    return Certificate.objects.filter(Q(user_id=user.pk) | Q(user__in=mentees_of(user)))


@router.get(
    "/academy/certificates", response={200: CertificateList, **ERRORS}, summary="List certificates"
)
def list_certificates(
    request: AuthenticatedRequest, filters: Query[CertificateFilters], page: Query[PageParams]
) -> dict:
    """The caller's certificates; a mentor's also their mentees'; a
    manager's everyone's."""
    require_staff(request.user)
    queryset = visible_certificates(request.user).select_related("user", "quiz")
    if filters.user is not None:
        queryset = queryset.filter(user_id=filters.user)
    if filters.valid is not None:
        now = timezone.now()
        valid = Q(revoked_at=None) & (Q(expires_at=None) | Q(expires_at__gt=now))
        queryset = queryset.filter(valid) if filters.valid else queryset.exclude(valid)
    return paginate(queryset, page.cursor, page.limit)


class VerificationOut(Schema):
    code: str
    holder: str
    exam: str
    issued_at: datetime
    expires_at: datetime | None
    status: Literal["valid", "expired", "revoked"]


@router.get(
    "/academy/certificates/verify/{code}",
    response={200: VerificationOut, **ERRORS},
    auth=None,
    summary="Verify a certificate",
)
def verify_certificate(request: AuthenticatedRequest, code: str) -> dict:
    """Anyone, without a token: whether a certificate code is valid, whose it
    is and for which exam. 404 for a code that was never issued."""
    certificate = certificate_by_code(code)
    if certificate is None:
        raise Http404
    return {
        "code": certificate.code,
        "holder": certificate.user.get_full_name() or certificate.user.username,
        "exam": certificate.quiz.title,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
        "status": certificate.state_at(timezone.now()),
    }
