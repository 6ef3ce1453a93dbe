"""The academy's pages for taking quizzes and exams, their reviews and share
links, the mentor's grading, certificates and their public verification.

Views are thin: they load through `academy.access` (404 for what one may not
see), change through `academy.actions` and show what `academy.taking` builds
for the viewer's level. The server keeps the clock: the page's countdown
only displays the deadline the server fixed, and every save or submit is
checked against it here and in the actions, whatever the browser says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebase.academy.access import (
    access_attempt,
    access_attempt_to_grade,
    access_own_attempt,
    access_quiz,
    certificate_by_code,
    may_manage,
    may_teach,
    mentees_of,
    require_staff,
    require_teach,
    sees_keys,
    visible_attempts,
    visible_quizzes,
)
from carebase.academy.actions import (
    RECERTIFY_BEFORE,
    AttemptRefused,
    GivenAnswer,
    close_expired_attempts_of,
    close_if_expired,
    do_grade_answer,
    do_revoke_certificate,
    do_save_answers,
    do_start_attempt,
    do_submit_attempt,
    open_attempt,
    refusal_to_start,
)
from carebase.academy.forms import AnswersInvalid, GradeForm, ShareForm, given_answers
from carebase.academy.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    Certificate,
    QuestionKind,
    Quiz,
    QuizKind,
    Refresher,
    ReviewShows,
)
from carebase.academy.progress import progress_for
from carebase.academy.sharing import ShareRefused, make_link_token, open_link
from carebase.academy.taking import (
    GRADER,
    Item,
    kind_hint,
    quiz_outline,
    review,
    summary,
    taker_questions,
)
from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import is_staff_member
from carebase.core.navigation import Panel

# How many of one's own attempts the academy's home lists.
RECENT_ATTEMPTS = 15


# --- Small helpers ---


def _url(name: str, *args: Any) -> str | None:
    """The address of a page of the academy that another part may not have
    yet (plans, mentoring, the bank): None rather than a broken page."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _language() -> str:
    return (translation.get_language() or "pl")[:2]


def _mark_refresher_done(attempt: Attempt, now: datetime) -> None:
    """A refresher is done once its quiz is submitted (passed or not: it is
    a reading of what changed, not an exam)."""
    if attempt.is_open:
        return
    Refresher.objects.filter(user_id=attempt.user_id, quiz_id=attempt.quiz_id, done_at=None).update(
        done_at=now
    )


def _refuse(request: AuthenticatedRequest, refusal: Exception) -> None:
    messages.error(request, str(refusal))


@dataclass
class CertificateRow:
    certificate: Certificate
    state: str  # "valid", "expired" or "revoked"
    days_left: int | None
    recertify: bool  # valid, and recertification is open (30 days before it expires)


def _certificate_rows(certificates: QuerySet[Certificate], now: datetime) -> list[CertificateRow]:
    rows = []
    for certificate in certificates.select_related("user", "quiz"):
        state = certificate.state_at(now)
        left = certificate.expires_at - now if certificate.expires_at else None
        rows.append(
            CertificateRow(
                certificate=certificate,
                state=state,
                days_left=left.days if left is not None else None,
                recertify=state == "valid" and left is not None and left <= RECERTIFY_BEFORE,
            )
        )
    return rows


def _awaiting_grading(user: Any) -> QuerySet[Attempt]:
    """Attempts of the user's mentees (everyone's, for managers) whose
    scenario answers wait for a mentor, each with `pending`: how many."""
    if not may_teach(user):
        return Attempt.objects.none()
    return (
        visible_attempts(user)
        .filter(status=AttemptStatus.AWAITING_GRADING)
        .exclude(user_id=user.pk)
        .annotate(pending=Count("answers", filter=Q(answers__points__isnull=True)))
    )


# --- Quizzes to take ---


@dataclass
class QuizGroup:
    title: str
    quizzes: list[Quiz]


def _quizzes_to_take(user: Any) -> list[QuizGroup]:
    """Published quizzes, the certification exams and the user's own
    refreshers, grouped by section, each with the user's `my_attempts`,
    `best` (percent) and `open_attempt` (id of one in progress)."""
    mine = Attempt.objects.filter(quiz_id=OuterRef("pk"), user_id=user.pk)
    quizzes = (
        visible_quizzes(user)
        .filter(published=True)
        .select_related("section")
        .annotate(
            my_attempts=Subquery(
                mine.order_by().values("quiz_id").annotate(count=Count("pk")).values("count")[:1]
            ),
            best=Subquery(mine.exclude(percent=None).order_by("-percent").values("percent")[:1]),
            open_attempt=Subquery(mine.filter(status=AttemptStatus.IN_PROGRESS).values("pk")[:1]),
        )
        .order_by("kind", "section__position", "title", "pk")
    )
    language = _language()
    groups: dict[str, QuizGroup] = {}
    for quiz in quizzes:
        if quiz.kind == QuizKind.CERTIFICATION:
            key, title = "~certification", _("Certification")
        elif quiz.kind == QuizKind.REFRESHER:
            key, title = "~refresher", _("Refreshers")
        elif quiz.section is not None:
            key, title = (
                f"{quiz.section.position:05}{quiz.section.slug}",
                quiz.section.name_in(language),
            )
        else:
            key, title = "~other", _("Other quizzes")
        groups.setdefault(key, QuizGroup(title, [])).quizzes.append(quiz)
    return [groups[key] for key in sorted(groups)]


@login_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_staff(user)
    now = timezone.now()
    close_expired_attempts_of(user, now)
    teaches = may_teach(user)
    manages = may_manage(user)
    has_plan = Assignment.objects.filter(trainee=user).exists()
    links = {
        "my_plan": _url("academy:my-plan") if has_plan else None,
        "trainees": _url("academy:trainees") if teaches else None,
        "meetings": _url("academy:meetings") if teaches else None,
        "roleplays": _url("academy:roleplays") if teaches else None,
        "plans": _url("academy:plans") if manages else None,
        "questions": _url("academy:questions") if manages else None,
        "quizzes_manage": _url("academy:quizzes-manage") if manages else None,
    }
    context = {
        "links": links,
        "groups": _quizzes_to_take(user),
        "attempts": Attempt.objects.filter(user=user)
        .select_related("quiz")
        .order_by("-started_at", "-pk")[:RECENT_ATTEMPTS],
        "refreshers": Refresher.objects.filter(user=user, done_at=None).select_related("quiz"),
        "certificates": _certificate_rows(Certificate.objects.filter(user=user), now),
        "teaches": teaches,
        "grading_count": _awaiting_grading(user).count() if teaches else 0,
    }
    return render(request, "academy/home.html", context)


@login_required
@require_GET
def quiz_list(request: AuthenticatedRequest) -> HttpResponse:
    require_staff(request.user)
    return render(request, "academy/quiz_list.html", {"groups": _quizzes_to_take(request.user)})


@login_required
@require_GET
def quiz_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    quiz = access_quiz(request.user, pk)
    close_expired_attempts_of(request.user)
    now = timezone.now()
    current = open_attempt(quiz, request.user)
    if current is not None:
        current = close_if_expired(current, now)
        _mark_refresher_done(current, now)
        if not current.is_open:
            current = None
    held = _certificate_rows(Certificate.objects.filter(quiz=quiz, user=request.user), now)
    context = {
        "quiz": quiz,
        "outline": quiz_outline(quiz),
        "attempts": Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number"),
        "current": current,
        "refusal": None if current is not None else refusal_to_start(quiz, request.user, now),
        "certificates": held,
    }
    return render(request, "academy/quiz_detail.html", context)


@login_required
@require_POST
def start_quiz(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    quiz = access_quiz(request.user, pk)
    try:
        attempt = do_start_attempt(quiz, request.user)
    except AttemptRefused as refusal:
        _refuse(request, refusal)
        return redirect(quiz)
    return redirect(attempt)


# --- Taking an attempt ---


def _input_of(kind: str) -> str:
    inputs: dict[str, str] = {
        QuestionKind.SINGLE: "radio",
        QuestionKind.TRUE_FALSE: "radio",
        QuestionKind.MULTIPLE: "checkbox",
        QuestionKind.SHORT: "short",
        QuestionKind.SCENARIO: "scenario",
    }
    return inputs.get(kind, "short")


def _page_number(request: AuthenticatedRequest, count: int, raw: str | None = None) -> int:
    value = raw if raw is not None else request.GET.get("q", "1")
    number = int(value) if value.isascii() and value.isdigit() and len(value) < 6 else 1
    return min(max(number, 1), max(count, 1))


def _has_answer(item: Item) -> bool:
    """Whether the taker gave an answer: a question saved blank (the whole
    form is saved at once) is still to answer."""
    return (
        any(option.chosen for option in item.options)
        or bool(item.text_answer.strip())
        or bool(item.rationale.strip())
    )


def _whole(points: Decimal) -> int | Decimal:
    """1 rather than 1.00 where points are whole (plural forms need a number)."""
    return int(points) if points == points.to_integral_value() else points.normalize()


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02}:{seconds:02}"
    return f"{minutes}:{seconds:02}"


def _at_page(attempt: Attempt, number: int | None) -> str:
    url = attempt.get_absolute_url()
    return f"{url}?q={number}" if attempt.quiz.one_per_page and number else url


def _taking_page(request: AuthenticatedRequest, attempt: Attempt, now: datetime) -> HttpResponse:
    items = taker_questions(attempt)
    rows = [
        {
            "item": item,
            "hint": kind_hint(item.kind),
            "input": _input_of(item.kind),
            "points": _whole(item.points),
        }
        for item in items
    ]
    one_per_page = attempt.quiz.one_per_page
    number = _page_number(request, len(rows)) if one_per_page else None
    shown = rows[number - 1 : number] if number is not None else rows
    seconds_left = (
        max(0, int((attempt.deadline - now).total_seconds())) if attempt.deadline else None
    )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "rows": shown,
        "count": len(rows),
        "answered": sum(1 for item in items if _has_answer(item)),
        # Unanswered on the other pages: the page counts its own as they change.
        "unanswered_elsewhere": sum(
            1
            for item in items
            if not _has_answer(item) and all(row["item"] is not item for row in shown)
        ),
        "one_per_page": one_per_page,
        "number": number,
        "pages": [{"number": item.position, "answered": _has_answer(item)} for item in items],
        "seconds_left": seconds_left,
        "time_left": _clock(seconds_left) if seconds_left is not None else "",
    }
    return render(request, "academy/attempt_take.html", context)


def _save(request: AuthenticatedRequest, attempt: Attempt, now: datetime) -> HttpResponse:
    """The page's "Save", "Previous" and "Next": keep the answers shown, then
    go to the page asked for (one question per page) or back."""
    count = attempt.answers.count()
    # "Previous", "Next" and the question numbers say where to go; "Save"
    # stays on the page the form came from.
    go = request.POST.get("go") or request.POST.get("page")
    target = _page_number(request, count, go) if go else None
    try:
        answers = given_answers(request.POST)
    except AnswersInvalid:
        messages.error(request, _("The answers sent are not this attempt's form."))
        return redirect(_at_page(attempt, target))
    try:
        do_save_answers(attempt, answers, now)
    except AttemptRefused as refusal:
        _refuse(request, refusal)
        return redirect(_at_page(attempt, target))
    if request.POST.get("action") == "save":
        messages.success(request, _("Your answers are saved."))
    return redirect(_at_page(attempt, target))


def _missing_rationale(attempt: Attempt, posted: dict[int, GivenAnswer]) -> Item | None:
    """The first scenario question answered without the reason why (which
    the mentor grades as much as the answer), with the answers posted now
    taking the place of those saved."""
    for item in taker_questions(attempt):
        if item.kind != QuestionKind.SCENARIO:
            continue
        given = posted.get(item.id)
        text, rationale = (
            (given.text, given.rationale) if given else (item.text_answer, item.rationale)
        )
        if text.strip() and not rationale.strip():
            return item
    return None


@login_required
@require_POST
def submit_attempt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = access_own_attempt(request.user, pk)
    now = timezone.now()
    if not attempt.is_open:
        # A replayed or double-clicked submit: the graded attempt stays as it is.
        messages.info(request, _("This attempt has already been submitted."))
        return redirect(attempt)
    if not attempt.accepts_answers_at(now):
        attempt = close_if_expired(attempt, now)
        _mark_refresher_done(attempt, now)
        messages.error(
            request, _("The time for this attempt ran out; the answers saved before it are kept.")
        )
        return redirect(attempt)
    try:
        answers = given_answers(request.POST)
    except AnswersInvalid:
        messages.error(request, _("The answers sent are not this attempt's form."))
        return redirect(attempt)
    # The page's own submit when the clock reaches zero takes what there is;
    # believed only within the last minute of a timed attempt.
    timed_out = (
        request.POST.get("timeout") == "1"
        and attempt.deadline is not None
        and now >= attempt.deadline - timedelta(minutes=1)
    )
    if not timed_out:
        missing = _missing_rationale(attempt, answers)
        if missing is not None:
            try:
                do_save_answers(attempt, answers, now)
            except AttemptRefused as refusal:
                _refuse(request, refusal)
            messages.error(
                request,
                _("Question %(number)s: say why, then submit.") % {"number": missing.position},
            )
            return redirect(_at_page(attempt, missing.position))
    try:
        attempt = do_submit_attempt(attempt, answers, now)
    except AttemptRefused as refusal:
        _refuse(request, refusal)
        attempt = close_if_expired(attempt, now)
        _mark_refresher_done(attempt, now)
        return redirect(attempt)
    _mark_refresher_done(attempt, now)
    messages.success(request, _("Submitted."))
    return redirect(attempt)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The taker answers an open attempt here (a POST saves), then reads its
    review; the mentor or a manager reads it with its keys and grades it."""
    attempt = access_attempt(request.user, pk)
    now = timezone.now()
    taker = attempt.user_id == request.user.pk
    if not taker and (request.method != "GET" or not sees_keys(request.user, attempt)):
        raise Http404
    just_closed = attempt.is_open and not attempt.accepts_answers_at(now)
    if just_closed:
        # Whoever looks first, the attempt is what the worker would make it:
        # submitted at its deadline with the answers saved before it.
        attempt = close_if_expired(attempt, now)
        _mark_refresher_done(attempt, now)
        if taker:
            messages.warning(
                request,
                _("The time ran out: the attempt was submitted with the answers saved before it."),
            )
    if not taker:
        return _grader_review(request, attempt)
    if request.method == "POST" and not attempt.is_open:
        if not just_closed:
            messages.info(request, _("This attempt has been submitted; its answers cannot change."))
        return redirect(attempt)
    if attempt.is_open:
        if request.method == "POST":
            return _save(request, attempt, now)
        return _taking_page(request, attempt, now)
    return _taker_review(request, attempt)


@dataclass
class ReviewRow:
    item: Item
    points: int | Decimal
    earned: int | Decimal | None
    # (criterion, its points, the score given or None), when the level shows the rubric.
    rubric: list[tuple[str, int, Any]]
    given: bool  # an answer was given (not blank)
    grade_form: GradeForm | None = None


def _review_rows(items: list[Item], forms: dict[int, GradeForm] | None = None) -> list[ReviewRow]:
    rows = []
    for item in items:
        scores = list(item.rubric_scores)
        rubric = [
            (
                str(row.get("criterion", "")),
                int(row.get("points", 0)),
                scores[index] if index < len(scores) else None,
            )
            for index, row in enumerate(item.rubric)
        ]
        rows.append(
            ReviewRow(
                item=item,
                points=_whole(item.points),
                earned=_whole(item.earned) if item.earned is not None else None,
                rubric=rubric,
                given=_has_answer(item),
                grade_form=(forms or {}).get(item.answer_id or 0),
            )
        )
    return rows


def _review_context(attempt: Attempt, level: str) -> dict[str, Any]:
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "summary": summary(attempt),
        "level": level,
        "shows_marks": level != ReviewShows.SCORE,
        "certificate": Certificate.objects.filter(attempt=attempt).first(),
    }


def _taker_review(request: AuthenticatedRequest, attempt: Attempt) -> HttpResponse:
    level = attempt.quiz.review_shows
    context = _review_context(attempt, level)
    context["rows"] = _review_rows(review(attempt, level, request.user))
    context["share_form"] = ShareForm(review_shows=level)
    context["as_taker"] = True
    return render(request, "academy/attempt_review.html", context)


def _grader_review(
    request: AuthenticatedRequest,
    attempt: Attempt,
    bound: dict[int, GradeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _review_context(attempt, GRADER)
    grading = attempt.status == AttemptStatus.AWAITING_GRADING
    items = review(attempt, GRADER, request.user)
    forms: dict[int, GradeForm] = {}
    for item in items:
        if grading and item.pending and item.kind == QuestionKind.SCENARIO and item.answer_id:
            forms[item.answer_id] = (bound or {}).get(item.answer_id) or GradeForm(
                rubric=item.rubric, prefix=f"answer-{item.answer_id}"
            )
    context["rows"] = _review_rows(items, forms)
    context["as_grader"] = True
    return render(request, "academy/attempt_review.html", context, status=status)


@login_required
@require_POST
def share_attempt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = access_own_attempt(request.user, pk)
    form = ShareForm(request.POST, review_shows=attempt.quiz.review_shows)
    if not form.is_valid():
        messages.error(
            request,
            _("Choose what the link shows (no more than your own review) and how long it works."),
        )
        return redirect(attempt)
    level, days = form.cleaned_data["level"], form.cleaned_data["days"]
    now = timezone.now()
    try:
        token = make_link_token(attempt, level, days, now)
    except ShareRefused as refusal:
        _refuse(request, refusal)
        return redirect(attempt)
    context = {
        "attempt": attempt,
        "link": request.build_absolute_uri(reverse("academy:shared", args=[token])),
        "level_label": ReviewShows(level).label,
        "expires_at": now + timedelta(days=days),
    }
    return render(request, "academy/share_link.html", context)


@login_required
@require_POST
def grade_attempt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attempt = access_attempt_to_grade(request.user, pk)
    raw = request.POST.get("answer", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Http404
    answer = attempt.answers.select_related("question").filter(pk=int(raw)).first()
    if answer is None:
        raise Http404
    form = GradeForm(request.POST, rubric=answer.question.rubric, prefix=f"answer-{answer.pk}")
    if not form.is_valid():
        messages.error(request, _("Give each criterion a whole number from 0 to its points."))
        return _grader_review(request, attempt, bound={answer.pk: form}, status=422)
    try:
        do_grade_answer(answer, form.scores(), form.cleaned_data["feedback"], request.user)
    except AttemptRefused as refusal:
        _refuse(request, refusal)
        return redirect(attempt)
    messages.success(request, _("Question %(number)s is graded.") % {"number": answer.position + 1})
    return redirect(attempt)


@login_required
@require_GET
def grading_queue(request: AuthenticatedRequest) -> HttpResponse:
    require_teach(request.user)
    attempts = (
        _awaiting_grading(request.user)
        .select_related("quiz", "user")
        .order_by("submitted_at", "pk")
    )
    return render(request, "academy/grading_queue.html", {"attempts": attempts})


# --- Certificates ---


@login_required
@require_GET
def certificates(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_staff(user)
    now = timezone.now()
    if may_manage(user):
        others: QuerySet[Certificate] | None = Certificate.objects.exclude(user=user)
    elif may_teach(user):
        others = Certificate.objects.filter(user__in=mentees_of(user)).exclude(user=user)
    else:
        others = None
    context = {
        "manages": may_manage(user),
        "mine": _certificate_rows(Certificate.objects.filter(user=user), now),
        "others": _certificate_rows(others.order_by("user__last_name", "-issued_at"), now)
        if others is not None
        else None,
    }
    return render(request, "academy/certificates.html", context)


@login_required
@require_POST
def revoke_certificate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Heads withdraw a certificate; everyone else: 404."""
    if not may_manage(request.user):
        raise Http404
    certificate = get_object_or_404(Certificate, pk=pk)
    do_revoke_certificate(certificate, request.user)
    messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.code})
    return redirect("academy:certificates")


@require_GET
def verify_certificate(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """Public: whether a certificate is valid, whose and for which exam;
    nothing else about its holder."""
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "academy/verify.html", {"code": code[:40]}, status=404)
    context = {
        "code": certificate.code,
        "certificate": certificate,
        "holder": certificate.user.get_full_name() or certificate.user.username,
        "state": certificate.state_at(timezone.now()),
    }
    return render(request, "academy/verify.html", context)


# --- Shared reviews ---


@login_required
@require_GET
def shared_review(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """A review someone shared: for signed-in staff, at the link's level,
    until it expires. An altered or expired link does not exist."""
    if not is_staff_member(request.user):
        raise Http404
    shared = open_link(token[:2000])
    if shared is None:
        return render(request, "academy/shared_invalid.html", status=404)
    attempt = shared.attempt
    context = _review_context(attempt, shared.level)
    context.update(
        {
            "rows": _review_rows(review(attempt, shared.level, request.user)),
            "shared": shared,
            "taker": attempt.user.get_full_name() or attempt.user.username,
            "level_label": ReviewShows(shared.level).label,
            "grader_url": attempt.get_absolute_url() if sees_keys(request.user, attempt) else None,
        }
    )
    return render(request, "academy/shared_review.html", context)


# --- The staff home page's panel ---


def academy_panel(request: AuthenticatedRequest) -> Panel | None:
    """Refreshers to take, a certificate to renew, grading waiting (mentors)
    and the way to one's onboarding plan; nothing when there is none."""
    user = request.user
    if not is_staff_member(user):
        return None
    now = timezone.now()
    refreshers = list(Refresher.objects.filter(user=user, done_at=None).select_related("quiz")[:5])
    renew = [
        row
        for row in _certificate_rows(
            Certificate.objects.filter(
                user=user, revoked_at=None, expires_at__lte=now + RECERTIFY_BEFORE
            ),
            now,
        )
        if row.recertify
    ]
    grading = _awaiting_grading(user).count() if may_teach(user) else 0
    assignment = (
        Assignment.objects.filter(trainee=user, finished_at=None).order_by("-start_date").first()
    )
    plan_url = _url("academy:my-plan") if assignment is not None else None
    progress = progress_for(assignment) if assignment is not None else None
    if not (refreshers or renew or grading or plan_url):
        return None
    context = {
        "refreshers": refreshers,
        "renew": renew,
        "grading": grading,
        "plan_url": plan_url,
        "today": progress.today_left if progress is not None else None,
        "behind": progress.behind_items if progress is not None else 0,
    }
    return Panel("academy/panel.html", context, order=40)
