"""The question bank, the quizzes' settings with the certification pool, and
exam quality: pages for managers (heads, admins).

- `/academy/questions/`: the bank, filtered, with counts by status;
- `/academy/questions/<pk>/`: a question with its key, what cites it, where
  it is used, its item statistics and the review buttons;
- `/academy/questions/new/`, `/academy/questions/<pk>/edit/`: the form;
- `/academy/manage/quizzes/`: quizzes and exams with their settings, the
  exam's blueprint and the state of the pool's bands;
- `/academy/manage/quizzes/<pk>/analysis/`: item analysis (and as CSV).

Who may: `access.may_manage` — anyone else is refused (403) on the lists,
and a question is not found (404), as `access.access_question` says.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebase.academy.access import access_question, require_manage, visible_questions
from carebase.academy.actions import do_clear_question, do_flag_question, do_retire_question
from carebase.academy.actions_bank import do_save_question, do_save_quiz, is_answered
from carebase.academy.analysis import (
    BAND_RESERVE,
    analysis_csv,
    do_apply_flags,
    pool_bands,
    question_analyses,
    quiz_analysis,
)
from carebase.academy.forms_bank import (
    QuestionFilterForm,
    QuestionForm,
    QuizForm,
    ReviewAction,
    band_formset,
    choice_formset,
    question_data,
    quiz_data,
)
from carebase.academy.models import (
    Attempt,
    AttemptStatus,
    BlueprintRow,
    Question,
    QuestionStatus,
    Quiz,
    QuizKind,
    QuizQuestion,
)
from carebase.academy.statistics import LOW_CONFIDENCE_TAKERS
from carebase.accounts.http import AuthenticatedRequest

BANK_PAGE_SIZE = 50


# The bank ------------------------------------------------------------------


@login_required
@require_GET
def questions(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    form = QuestionFilterForm(request.GET or None)
    bank = visible_questions(request.user)
    counts = form.narrow(bank, status=False).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=QuestionStatus.ACTIVE)),
        needs_review=Count("pk", filter=Q(status=QuestionStatus.NEEDS_REVIEW)),
        retired=Count("pk", filter=Q(status=QuestionStatus.RETIRED)),
        leaked=Count("pk", filter=Q(leaked=True)),
    )
    rows = (
        form.narrow(bank)
        .select_related("section", "article")
        .order_by("section__position", "section__slug", "pk")
    )
    page = Paginator(rows, BANK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "academy/bank/questions.html",
        {"form": form, "page": page, "counts": counts},
    )


@login_required
@require_GET
def question_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    question = access_question(request.user, pk)
    entries = QuizQuestion.objects.filter(question=question).select_related("quiz")
    article = question.article
    context = {
        "question": question,
        "choices": list(question.choices.all()),
        "entries": entries,
        "newer_version": (
            article is not None
            and question.article_version is not None
            and article.version > question.article_version
        ),
        "analyses": question_analyses(question),
        "answered": is_answered(question),
        "review_form": ReviewAction(),
        "low_confidence_takers": LOW_CONFIDENCE_TAKERS,
    }
    return render(request, "academy/bank/question.html", context)


@login_required
@require_POST
def question_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The review buttons: clear (back in use against the article's current
    version), flag for review, retire, or retire as leaked."""
    question = access_question(request.user, pk)
    form = ReviewAction(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the question."))
        return redirect(question)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"].strip()
    if action == ReviewAction.CLEAR and question.leaked:
        # Its text is out there: it stays retired; a new question replaces it.
        messages.error(request, _("A leaked question stays retired."))
    elif action == ReviewAction.CLEAR:
        do_clear_question(question, request.user)
        messages.success(request, _("The question is back in use."))
    elif action == ReviewAction.FLAG:
        do_flag_question(question, note or _("Flagged for review."), request.user)
        messages.success(request, _("The question is flagged for review."))
    elif action == ReviewAction.RETIRE:
        do_retire_question(question, note or _("Retired."), request.user)
        messages.success(request, _("The question is retired."))
    else:
        do_retire_question(question, note or _("Leaked."), request.user, leaked=True)
        messages.success(
            request, _("The question is retired as leaked: no exam will draw it again.")
        )
    return redirect(question)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    return _question_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _question_form(request, access_question(request.user, pk))


def _question_form(request: AuthenticatedRequest, question: Question | None) -> HttpResponse:
    if request.method == "POST":
        form = QuestionForm(request.POST, instance=question, editor=request.user)
        formset = choice_formset(question, request.POST)
        data = question_data(form, formset, question)
        if data is not None:
            saved = do_save_question(question, data, request.user)
            messages.success(request, _("Question saved."))
            return redirect(saved)
    else:
        form = QuestionForm(instance=question, editor=request.user)
        formset = choice_formset(question)
    return render(
        request,
        "academy/bank/question_form.html",
        {
            "form": form,
            "formset": formset,
            "question": question,
            "answered": bool(question and is_answered(question)),
        },
    )


# Quizzes and the pool --------------------------------------------------------


def _count(rows: QuerySet[Any]) -> Coalesce:
    counted = rows.order_by().values("quiz").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
@require_GET
def quizzes_manage(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    # Counted by subqueries, not joins: three joins would multiply a quiz's
    # entries by its attempts before counting.
    quizzes = (
        Quiz.objects.select_related("section")
        .annotate(
            question_count=_count(QuizQuestion.objects.filter(quiz=OuterRef("pk"))),
            band_total=_count(BlueprintRow.objects.filter(quiz=OuterRef("pk"))),
            first_attempts=_count(
                Attempt.objects.filter(quiz=OuterRef("pk"), number=1, status=AttemptStatus.GRADED)
            ),
        )
        .order_by("kind", "section__position", "language", "pk")
    )
    return render(request, "academy/bank/quizzes.html", {"quizzes": quizzes})


@login_required
@require_http_methods(["GET", "POST"])
def quiz_new(request: AuthenticatedRequest) -> HttpResponse:
    require_manage(request.user)
    return _quiz_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def quiz_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_manage(request.user)
    return _quiz_form(request, _managed_quiz(pk))


def _managed_quiz(pk: int) -> Quiz:
    quiz = Quiz.objects.select_related("section").filter(pk=pk).first()
    if quiz is None:
        raise Http404
    return quiz


def _warn_of_thin_bands(request: AuthenticatedRequest, quiz: Quiz) -> None:
    """Saved, but a candidate would be refused: say so where it is seen."""
    if quiz.kind != QuizKind.CERTIFICATION:
        return
    for band in pool_bands(quiz):
        if band.wanted and band.eligible < band.wanted:
            messages.warning(
                request,
                _(
                    "%(section)s, %(band)s: the blueprint asks for %(wanted)s questions but "
                    "only %(eligible)s can be drawn. Candidates are refused until the pool "
                    "has more."
                )
                % {
                    "section": band.section,
                    "band": band.difficulty_label,
                    "wanted": band.wanted,
                    "eligible": band.eligible,
                },
            )


def _quiz_form(request: AuthenticatedRequest, quiz: Quiz | None) -> HttpResponse:
    # A new quiz may become either kind: both the question picker and the
    # blueprint are offered. An existing one shows what its kind uses.
    with_blueprint = quiz is None or quiz.kind == QuizKind.CERTIFICATION
    if request.method == "POST":
        form = QuizForm(request.POST, instance=quiz)
        bands = band_formset(quiz, request.POST) if with_blueprint else None
        data = quiz_data(form, bands, quiz)
        if data is not None:
            values, picked, blueprint = data
            saved = do_save_quiz(quiz, values, request.user, questions=picked, blueprint=blueprint)
            messages.success(request, _("Quiz saved."))
            _warn_of_thin_bands(request, saved)
            return redirect("academy:quiz-manage-edit", saved.pk)
    else:
        form = QuizForm(instance=quiz)
        bands = band_formset(quiz) if with_blueprint else None
    certification = quiz is not None and quiz.kind == QuizKind.CERTIFICATION
    return render(
        request,
        "academy/bank/quiz_form.html",
        {
            "form": form,
            "bands": bands,
            "with_picker": "questions" in form.fields,
            "quiz": quiz,
            "settings_fields": [
                field for field in form.visible_fields() if field.name != "questions"
            ],
            "pool": pool_bands(quiz) if certification and quiz else [],
            "reserve": BAND_RESERVE,
        },
    )


# Exam quality ----------------------------------------------------------------


@login_required
@require_GET
def analysis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_manage(request.user)
    quiz = _managed_quiz(pk)
    result = quiz_analysis(quiz)
    if request.GET.get("format") == "csv":
        return analysis_csv(result)
    return render(request, "academy/bank/analysis.html", {"quiz": quiz, "analysis": result})


@login_required
@require_POST
def analysis_flags(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_manage(request.user)
    quiz = _managed_quiz(pk)
    flagged = do_apply_flags(quiz, request.user)
    if flagged:
        messages.success(
            request,
            _("%(count)s questions flagged for review.") % {"count": len(flagged)},
        )
    else:
        messages.info(request, _("No question to flag: nothing new is suspect."))
    return redirect("academy:analysis", quiz.pk)
