"""Taking quizzes and exams: start, save answers, submit, grade, certify.

Integrity rules kept here, whatever page or request calls them:
- the server fixes an attempt's questions, their order and its deadline when
  it starts; answers are accepted only for those questions, only while the
  attempt is open and only until the deadline plus `GRACE`;
- an attempt is locked (`select_for_update`) while it changes, so a replayed
  or concurrent submit finds it submitted and changes nothing;
- a graded answer never changes: scenario answers are graded once, by a
  mentor, and the attempt's score is computed from its answers when the
  last one is graded.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from carebase.academy import certification
from carebase.academy.grading import score_choices, score_rubric, score_short
from carebase.academy.models import (
    GRACE,
    Answer,
    Attempt,
    AttemptStatus,
    Certificate,
    EventKind,
    Question,
    QuestionKind,
    QuestionStatus,
    Quiz,
    QuizKind,
)
from carebase.core.events import record_event

_random = secrets.SystemRandom()

# A certified agent may sit the exam again this long before the certificate
# expires, so that recertification never leaves a gap.
RECERTIFY_BEFORE = timedelta(days=30)


class AttemptRefused(Exception):
    """The attempt cannot start or change; the message says why."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class GivenAnswer:
    chosen: list[int] = field(default_factory=list)
    text: str = ""
    rationale: str = ""


# Starting ------------------------------------------------------------------


def next_start(quiz: Quiz, user: Any, now: datetime) -> datetime | None:
    """When the user may start the quiz again (None: now)."""
    if not quiz.attempt_delay_minutes:
        return None
    last = (
        Attempt.objects.filter(quiz=quiz, user=user)
        .exclude(submitted_at=None)
        .aggregate(last=Max("submitted_at"))["last"]
    )
    if last is None:
        return None
    ready = last + timedelta(minutes=quiz.attempt_delay_minutes)
    return ready if ready > now else None


def valid_certificate(quiz: Quiz, user: Any, now: datetime) -> Certificate | None:
    return (
        Certificate.objects.filter(quiz=quiz, user=user, revoked_at=None)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .order_by("-issued_at")
        .first()
    )


def refusal_to_start(quiz: Quiz, user: Any, now: datetime) -> str | None:
    """Why the user may not start a new attempt now, or None."""
    if not quiz.published:
        return _("This quiz is not published.")
    attempts = Attempt.objects.filter(quiz=quiz, user=user)
    if quiz.kind == QuizKind.CERTIFICATION:
        # Each certification has its own attempts: recertifying starts afresh.
        last = Certificate.objects.filter(quiz=quiz, user=user).aggregate(at=Max("issued_at"))["at"]
        if last is not None:
            attempts = attempts.filter(started_at__gt=last)
    used = attempts.count()
    if quiz.max_attempts and used >= quiz.max_attempts:
        return _("You have used all %(count)s attempts of this quiz.") % {
            "count": quiz.max_attempts
        }
    ready = next_start(quiz, user, now)
    if ready is not None:
        return _("You may try again from %(moment)s.") % {
            "moment": formats.date_format(timezone.localtime(ready), "SHORT_DATETIME_FORMAT")
        }
    if quiz.kind == QuizKind.CERTIFICATION:
        held = valid_certificate(quiz, user, now)
        if held is not None and (
            held.expires_at is None or held.expires_at - now > RECERTIFY_BEFORE
        ):
            return _(
                "You hold a valid certificate; recertification opens 30 days before it expires."
            )
    return None


def open_attempt(quiz: Quiz, user: Any) -> Attempt | None:
    return Attempt.objects.filter(quiz=quiz, user=user, status=AttemptStatus.IN_PROGRESS).first()


def do_start_attempt(quiz: Quiz, user: Any, now: datetime | None = None) -> Attempt:
    """The user's open attempt, or a new one with its questions fixed."""
    now = now or timezone.now()
    current = open_attempt(quiz, user)
    if current is not None:
        current = close_if_expired(current, now)
        if current.is_open:
            return current  # resumed
        # Its time ran out unseen: closed as the worker would, and a new one may start.
    refusal = refusal_to_start(quiz, user, now)
    if refusal is not None:
        raise AttemptRefused(refusal)
    try:
        with transaction.atomic():
            return _create_attempt(quiz, user, now)
    except IntegrityError:
        # Two starts at once: the other one made the attempt; resume it.
        current = open_attempt(quiz, user)
        if current is None:
            raise
        return current
    except certification.PoolExhausted as error:
        raise AttemptRefused(str(error), status=503) from error


def _create_attempt(quiz: Quiz, user: Any, now: datetime) -> Attempt:
    number = (Attempt.objects.filter(quiz=quiz, user=user).aggregate(n=Max("number"))["n"] or 0) + 1
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = Attempt.objects.create(
        quiz=quiz, user=user, number=number, started_at=now, deadline=deadline
    )
    if quiz.kind == QuizKind.CERTIFICATION:
        questions = certification.draw(quiz, user)
    else:
        # Only active questions: one waiting for review may hold a key that a
        # change in the product made wrong.
        questions = [
            entry.question
            for entry in quiz.entries.select_related("question").filter(
                question__status=QuestionStatus.ACTIVE
            )
        ]
    if quiz.shuffle:
        _random.shuffle(questions)
    choice_ids = _choice_ids([question.pk for question in questions])
    answers = []
    for position, question in enumerate(questions):
        order = list(choice_ids.get(question.pk, []))
        if quiz.shuffle and question.kind != QuestionKind.TRUE_FALSE:
            _random.shuffle(order)
        answers.append(
            Answer(
                attempt=attempt,
                question=question,
                position=position,
                choice_order=order,
                max_points=Decimal(question.points),
            )
        )
    Answer.objects.bulk_create(answers)
    attempt.max_score = sum((answer.max_points for answer in answers), Decimal(0))
    attempt.save(update_fields=["max_score"])
    return attempt


def _choice_ids(question_ids: list[int]) -> dict[int, list[int]]:
    from carebase.academy.models import Choice

    ids: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "pk"
    ):
        ids.setdefault(question_id, []).append(choice_id)
    return ids


# Answering -----------------------------------------------------------------


def _check_answer(answer: Answer, given: GivenAnswer) -> None:
    question = answer.question
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(given.chosen) > 1:
        raise AttemptRefused(_("Pick one option."), status=422)
    if not set(given.chosen) <= set(answer.choice_order):
        raise AttemptRefused(_("An option picked is not one of this question's."), status=422)
    if "\x00" in given.text or "\x00" in given.rationale:
        raise AttemptRefused(_("An answer holds a character that cannot be stored."), status=422)
    if len(given.text) > 5000 or len(given.rationale) > 5000:
        raise AttemptRefused(_("An answer is longer than 5000 characters."), status=422)


def do_save_answers(
    attempt: Attempt, answers: Mapping[int, GivenAnswer], now: datetime | None = None
) -> Attempt:
    """Keep the answers given so far (keyed by question id), while the
    attempt is open and its time has not run out."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not attempt.is_open:
            raise AttemptRefused(_("This attempt has been submitted; its answers cannot change."))
        if not attempt.accepts_answers_at(now):
            raise AttemptRefused(_("The time for this attempt has run out."))
        rows = {
            answer.question_id: answer
            for answer in attempt.answers.select_related("question").filter(
                question_id__in=list(answers)
            )
        }
        unknown = set(answers) - set(rows)
        if unknown:
            raise AttemptRefused(_("A question answered is not in this attempt."), status=422)
        for question_id, given in answers.items():
            answer = rows[question_id]
            _check_answer(answer, given)
            answer.chosen = sorted(set(given.chosen))
            answer.text = given.text.strip()
            answer.rationale = given.rationale.strip()
            given_something = bool(answer.chosen or answer.text or answer.rationale)
            answer.answered_at = now if given_something else None
        Answer.objects.bulk_update(
            list(rows.values()), ["chosen", "text", "rationale", "answered_at"]
        )
    return attempt


def do_submit_attempt(
    attempt: Attempt,
    answers: Mapping[int, GivenAnswer] | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Submit: keep the last answers (refused once the time with its grace
    has run out), grade what can be graded, and close the attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            raise AttemptRefused(_("This attempt has already been submitted."))
        in_time = locked.accepts_answers_at(now)
        if in_time and answers:
            do_save_answers(locked, answers, now)
        # Late: closed at its deadline with what was saved in time.
        closed = _close(locked, now if in_time else (locked.deadline or now))
    if not in_time and answers:
        raise AttemptRefused(
            _("The time for this attempt ran out; the answers saved before it are kept.")
        )
    return closed


def close_if_expired(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """An open attempt whose time and grace are over is submitted with the
    answers saved before the deadline."""
    now = now or timezone.now()
    if not attempt.is_open or attempt.accepts_answers_at(now):
        return attempt
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            return locked
        return _close(locked, locked.deadline or now)


def close_expired_attempts_of(user: Any, now: datetime | None = None) -> None:
    """Before listing a person's attempts: none still shows "in progress"
    after its time ran out (the worker may not have passed yet)."""
    now = now or timezone.now()
    for attempt in Attempt.objects.filter(
        user=user, status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE
    ):
        close_if_expired(attempt, now)


def close_expired_attempts(now: datetime | None = None) -> int:
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE
    ):
        close_if_expired(attempt, now)
        closed += 1
    return closed


def _close(attempt: Attempt, now: datetime) -> Attempt:
    answers = list(attempt.answers.select_related("question"))
    keys = _keys([answer.question_id for answer in answers])
    for answer in answers:
        question = answer.question
        if question.kind == QuestionKind.SCENARIO:
            if not answer.text and not answer.rationale:
                answer.points = Decimal(0)  # nothing to grade
                answer.graded_at = now
            continue
        if question.kind == QuestionKind.SHORT:
            # Scored out of the points fixed when the attempt started: a
            # question edited meanwhile cannot make a score exceed its maximum.
            answer.points = score_short(
                points=answer.max_points, accepted=question.accepted_answers, given=answer.text
            )
        else:
            answer.points = score_choices(
                kind=question.kind,
                scoring=question.scoring,
                points=answer.max_points,
                correct=keys.get(question.pk, ()),
                chosen=answer.chosen,
            )
        answer.graded_at = now
    Answer.objects.bulk_update(answers, ["points", "graded_at"])
    attempt.submitted_at = now
    attempt.status = AttemptStatus.AWAITING_GRADING
    attempt.save(update_fields=["submitted_at", "status"])
    record_event(EventKind.ATTEMPT_SUBMITTED, attempt, attempt.user, number=attempt.number)
    return _finish_if_graded(attempt, answers, now)


def _keys(question_ids: list[int]) -> dict[int, list[int]]:
    from carebase.academy.models import Choice

    keys: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=question_ids, is_correct=True
    ).values_list("question_id", "pk"):
        keys.setdefault(question_id, []).append(choice_id)
    return keys


def _finish_if_graded(attempt: Attempt, answers: list[Answer], now: datetime) -> Attempt:
    if any(answer.points is None for answer in answers):
        return attempt  # a scenario answer waits for its mentor
    attempt.score = sum((answer.points or Decimal(0) for answer in answers), Decimal(0))
    attempt.percent = (
        (attempt.score * 100 / attempt.max_score).quantize(Decimal("0.1"))
        if attempt.max_score
        else Decimal(0)
    )
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.save(update_fields=["score", "percent", "passed", "status", "graded_at"])
    record_event(
        EventKind.ATTEMPT_GRADED, attempt, None, percent=str(attempt.percent), passed=attempt.passed
    )
    if attempt.passed and attempt.quiz.kind == QuizKind.CERTIFICATION:
        _issue_certificate(attempt, now)
    transaction.on_commit(lambda: _after_graded(attempt.pk))
    return attempt


def _after_graded(attempt_pk: int) -> None:
    from carebase.academy.actions_plans import on_attempt_graded

    attempt = Attempt.objects.select_related("quiz").get(pk=attempt_pk)
    on_attempt_graded(attempt)


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _issue_certificate(attempt: Attempt, now: datetime) -> Certificate:
    quiz = attempt.quiz
    # At most ten years, whatever the setting says: a date past the calendar's
    # end would make passing the exam fail.
    expires = now + timedelta(days=min(quiz.valid_days, 3650)) if quiz.valid_days else None
    certificate = Certificate.objects.create(
        user=attempt.user,
        quiz=quiz,
        attempt=attempt,
        code=new_certificate_code(),
        issued_at=now,
        expires_at=expires,
    )
    record_event(EventKind.CERTIFIED, certificate, None, code=certificate.code)
    return certificate


def do_revoke_certificate(
    certificate: Certificate, actor: Any, now: datetime | None = None
) -> Certificate:
    """A head withdraws a certificate (issued in error, or its holder's
    knowledge no longer trusted). The public page then says "revoked"; once
    revoked it stays revoked, and the holder may sit the exam again."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            return certificate
        certificate.revoked_at = now or timezone.now()
        certificate.save(update_fields=["revoked_at"])
        record_event(EventKind.CERTIFICATE_REVOKED, certificate, actor, code=certificate.code)
    return certificate


# Grading by the mentor -----------------------------------------------------


def do_grade_answer(
    answer: Answer, scores: list[Any], feedback: str, grader: Any, now: datetime | None = None
) -> Answer:
    """Grade one scenario answer by its rubric. Once graded it stays graded."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=answer.attempt_id)
        answer = Answer.objects.select_related("question").get(pk=answer.pk)
        if attempt.status != AttemptStatus.AWAITING_GRADING:
            raise AttemptRefused(_("This attempt is not waiting for grading."))
        if answer.question.kind != QuestionKind.SCENARIO:
            raise AttemptRefused(_("Only scenario answers are graded by hand."), status=422)
        if answer.points is not None:
            raise AttemptRefused(_("This answer has been graded."))
        try:
            points = score_rubric(
                points=answer.max_points, rubric=answer.question.rubric, scores=scores
            )
        except ValueError as error:
            raise AttemptRefused(str(error), status=422) from error
        answer.points = points
        answer.rubric_scores = list(scores)
        answer.feedback = feedback.strip()[:5000]
        answer.graded_by = grader
        answer.graded_at = now
        answer.save(update_fields=["points", "rubric_scores", "feedback", "graded_by", "graded_at"])
        _finish_if_graded(attempt, list(attempt.answers.all()), now)
    return answer


# The question bank ---------------------------------------------------------


def do_flag_question(question: Question, note: str, actor: Any = None) -> Question:
    if question.status == QuestionStatus.RETIRED:
        return question
    question.status = QuestionStatus.NEEDS_REVIEW
    question.status_note = note[:300]
    question.updated_at = timezone.now()
    question.save(update_fields=["status", "status_note", "updated_at"])
    record_event(EventKind.QUESTION_FLAGGED, question, actor, note=note[:300])
    return question


def do_retire_question(
    question: Question, note: str, actor: Any = None, leaked: bool = False
) -> Question:
    question.status = QuestionStatus.RETIRED
    question.status_note = note[:300]
    question.leaked = question.leaked or leaked
    question.updated_at = timezone.now()
    question.save(update_fields=["status", "status_note", "leaked", "updated_at"])
    record_event(EventKind.QUESTION_RETIRED, question, actor, note=note[:300], leaked=leaked)
    release_refreshers(question)
    return question


def do_clear_question(question: Question, actor: Any = None) -> Question:
    """A reviewed question goes back into use, against the article's current version."""
    question.status = QuestionStatus.ACTIVE
    question.status_note = ""
    if question.article_id is not None:
        question.article_version = question.article.version if question.article else None
    question.updated_at = timezone.now()
    question.save(update_fields=["status", "status_note", "article_version", "updated_at"])
    release_refreshers(question)
    return question


# Refreshers ----------------------------------------------------------------


def certified_users(now: datetime | None = None) -> Any:
    from carebase.accounts.models import User

    now = now or timezone.now()
    valid = Certificate.objects.filter(revoked_at=None).filter(
        Q(expires_at=None) | Q(expires_at__gt=now)
    )
    return User.objects.filter(is_active=True, certificates__in=valid).distinct()


@transaction.atomic
def do_refresh_after_change(article: Any, version: Any) -> Quiz | None:
    """A significant new version of an article: the questions that cite it
    are flagged for review, and a refresher quiz of those (outside the
    certification pool) is prepared for every certified agent. It is
    released once a manager has reviewed its questions against the new
    version (`release_refreshers`): before that, a question may still hold
    the old key and mark the new fact wrong. Made once per version."""
    cited = list(
        Question.objects.filter(article=article)
        .exclude(status=QuestionStatus.RETIRED)
        .exclude(article_version__gte=version.number)  # written for this version already
    )
    if not cited:
        return None
    if Quiz.objects.filter(
        kind=QuizKind.REFRESHER, article=article, article_version=version.number
    ).exists():
        return None
    # Stored text, read by the article's readers: in the article's language.
    with translation.override(article.language):
        note = _("“%(title)s” changed in version %(number)s.") % {
            "title": article.title,
            "number": version.number,
        }
        title = _("Refresher: %(title)s (version %(number)s)") % {
            "title": article.title,
            "number": version.number,
        }
    for question in cited:
        do_flag_question(question, note)
    # Pool questions stay in the pool: shown in a quiz, they would leak.
    taught = [question for question in cited if not question.in_pool]
    if not taught:
        return None
    from carebase.academy.models import QuizQuestion

    quiz = Quiz.objects.create(
        kind=QuizKind.REFRESHER,
        section=taught[0].section,
        language=article.language,
        title=title,
        description=version.note or "",
        published=False,
        shuffle=True,
        pass_mark=0,
        article=article,
        article_version=version.number,
    )
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, position=index)
        for index, question in enumerate(taught)
    )
    return quiz


def release_refreshers(question: Question) -> list[Quiz]:
    """Publish the waiting refreshers of a question once none of their
    questions waits for review, and give them to every certified agent."""
    from carebase.academy.models import Refresher

    released = []
    waiting = Quiz.objects.filter(
        kind=QuizKind.REFRESHER, published=False, entries__question=question
    )
    for quiz in waiting.distinct():
        statuses = set(quiz.questions.values_list("status", flat=True))
        if QuestionStatus.NEEDS_REVIEW in statuses or QuestionStatus.ACTIVE not in statuses:
            continue
        quiz.published = True
        quiz.save(update_fields=["published"])
        Refresher.objects.bulk_create(
            [Refresher(user=user, quiz=quiz) for user in certified_users()],
            ignore_conflicts=True,
        )
        released.append(quiz)
    return released
