"""Pages of mentor meetings, the trainee's questions and role-plays.

- `/academy/meetings/`: meetings, upcoming and past: a mentor's across
  their mentees, everyone's for managers; a trainee's own, with their dates
  and the actions agreed only.
- `/academy/meetings/<pk>/`: for whoever runs it (the mentor, managers) the
  agenda prepared from evidence, and the form to record it; for the trainee
  the date and the actions agreed.
- `/academy/assignments/<pk>/ask/`: the trainee writes down a question for
  the next meeting.
- `/academy/roleplays/`: the role-play cards, for mentors and managers only
  (a trainee gets 404: the client's tricky questions are the exercise); a
  card's page is what the mentor reads to play the client, with the form to
  grade a run and the card's past runs.
- `/academy/roleplays/mine/`: one's own role-play results.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebase.academy.access import (
    access_assignment,
    access_card,
    access_meeting,
    may_manage,
    may_teach,
    mentees_of,
    require_staff,
    runs_meeting,
    visible_cards,
    visible_meetings,
    visible_role_plays,
)
from carebase.academy.actions_mentoring import (
    do_ask_question,
    do_create_card,
    do_prepare_meeting,
    do_record_meeting,
    do_run_role_play,
    do_schedule_meeting,
    do_update_card,
)
from carebase.academy.agenda import for_display
from carebase.academy.forms_mentoring import (
    AskForm,
    CardForm,
    RecordMeetingForm,
    RunRolePlayForm,
    ScheduleMeetingForm,
)
from carebase.academy.models import Assignment, Meeting, RolePlay, RolePlayCard
from carebase.accounts.http import AuthenticatedRequest
from carebase.core.errors import Conflict, show_errors

PAST_MEETINGS_SHOWN = 100
RUNS_SHOWN = 50


# --- Access (the mentoring pages' own helpers, over academy.access) ---


def access_meeting_to_run(user: Any, pk: int) -> Meeting:
    """A meeting its mentor (or a manager) prepares and records: 404 for
    whoever may not see it, 403 for its trainee, who sees it but does not
    run it."""
    meeting = access_meeting(user, pk)
    if not runs_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def require_cards(user: Any) -> None:
    """Role-play cards exist only for mentors and managers: 404 for anyone
    else, trainees first of all."""
    if not may_teach(user):
        raise Http404


def assignments_run_by(user: Any) -> QuerySet[Assignment]:
    """The running assignments whose meetings the user schedules: a mentor's
    mentees', every one for managers."""
    running = Assignment.objects.filter(finished_at=None)
    if may_manage(user):
        return running
    if may_teach(user):
        return running.filter(mentor_id=user.pk)
    return Assignment.objects.none()


def role_play_partners(user: Any) -> QuerySet[Any]:
    """Whom the user may run a role-play with: their mentees (a manager: any
    trainee who has a plan)."""
    return (
        mentees_of(user)
        .filter(training__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Meetings ---


@login_required
@require_GET
def meetings(request: AuthenticatedRequest) -> HttpResponse:
    require_staff(request.user)
    user = request.user
    rows = visible_meetings(user).select_related(
        "assignment", "assignment__trainee", "assignment__mentor", "assignment__plan"
    )
    upcoming = list(rows.filter(held_at=None).order_by("scheduled_at", "pk"))
    past = list(rows.exclude(held_at=None).order_by("-held_at", "-pk")[:PAST_MEETINGS_SHOWN])
    for meeting in (*upcoming, *past):
        meeting.runs = runs_meeting(user, meeting)  # type: ignore[attr-defined]
    assignments = assignments_run_by(user)
    context = {
        "upcoming": upcoming,
        "past": past,
        "now": timezone.now(),
        "schedule_form": ScheduleMeetingForm(assignments=assignments)
        if assignments.exists()
        else None,
        "teaches": may_teach(user),
    }
    return render(request, "academy/mentoring/meetings.html", context)


@login_required
@require_POST
def schedule_meeting(request: AuthenticatedRequest) -> HttpResponse:
    require_staff(request.user)
    form = ScheduleMeetingForm(request.POST, assignments=assignments_run_by(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("academy:meetings")
    try:
        meeting = do_schedule_meeting(
            form.cleaned_data["assignment"], form.cleaned_data["scheduled_at"], request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("academy:meetings")
    messages.success(request, _("Meeting scheduled."))
    return redirect(meeting.get_absolute_url())


def _meeting_page(
    request: AuthenticatedRequest, meeting: Meeting, form: RecordMeetingForm | None = None
) -> HttpResponse:
    runs = runs_meeting(request.user, meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "assignment": meeting.assignment,
        "runs": runs,
    }
    if runs:
        # Only those who run the meeting receive its agenda and notes.
        context["agenda"] = for_display(meeting.agenda, get_language() or "en")
        if meeting.held_at is None:
            context["form"] = form or RecordMeetingForm()
    return render(request, "academy/mentoring/meeting.html", context)


@login_required
@require_GET
def meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    return _meeting_page(request, access_meeting(request.user, pk))


@login_required
@require_POST
def prepare_meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    meeting = access_meeting_to_run(request.user, pk)
    try:
        do_prepare_meeting(meeting, request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agenda is prepared from the evidence as it is now."))
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def record_meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    meeting = access_meeting_to_run(request.user, pk)
    form = RecordMeetingForm(request.POST)
    if form.is_valid():
        try:
            do_record_meeting(
                meeting, form.cleaned_data["notes"], form.cleaned_data["actions"], request.user
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect(meeting.get_absolute_url())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The meeting is recorded as held."))
            return redirect(meeting.get_absolute_url())
    return _meeting_page(request, meeting, form)


# --- The trainee's questions ---


@login_required
@require_POST
def ask(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    assignment = access_assignment(request.user, pk)
    form = AskForm(request.POST)
    if form.is_valid():
        try:
            do_ask_question(assignment, form.cleaned_data["text"], request.user)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Your question waits for the next meeting."))
    else:
        for field_problem in form.errors.get("text", []):
            messages.error(request, str(field_problem))
    return redirect(assignment.get_absolute_url())


# --- Role-plays ---


@login_required
@require_GET
def roleplays(request: AuthenticatedRequest) -> HttpResponse:
    require_cards(request.user)
    cards = (
        visible_cards(request.user)
        .select_related("section")
        .annotate(runs=Count("sessions"))
        .order_by("section__position", "section__slug", "title", "pk")
    )
    return render(request, "academy/mentoring/roleplays.html", {"cards": cards})


@login_required
@require_http_methods(["GET", "POST"])
def roleplay_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    require_cards(request.user)
    card = access_card(request.user, pk) if pk is not None else None
    if request.method == "POST":
        form = CardForm(request.POST)
        if form.is_valid():
            try:
                if card is None:
                    saved = do_create_card(form.card_data(), request.user)
                else:
                    saved = do_update_card(card, form.card_data(), request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Card saved."))
                return redirect(saved.get_absolute_url())
    elif card is not None:
        form = CardForm.for_card(card)
    else:
        form = CardForm(initial={"language": request.user.language or "pl"})
    used = card is not None and card.sessions.exists()
    return render(
        request, "academy/mentoring/card_edit.html", {"form": form, "card": card, "used": used}
    )


def _card_page(
    request: AuthenticatedRequest, card: RolePlayCard, form: RunRolePlayForm | None = None
) -> HttpResponse:
    runs = (
        visible_role_plays(request.user)
        .filter(card=card)
        .select_related("trainee", "mentor")
        .order_by("-held_at", "-pk")[:RUNS_SHOWN]
    )
    form = form or RunRolePlayForm(card=card, trainees=role_play_partners(request.user))
    score_fields = [form[f"score_{index}"] for index in range(len(card.rubric))]
    context = {
        "card": card,
        "form": form,
        "score_fields": score_fields,
        "runs": runs,
        "rubric_total": sum(int(row.get("points", 0)) for row in card.rubric),
    }
    return render(request, "academy/mentoring/card.html", context)


@login_required
@require_GET
def roleplay(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_cards(request.user)
    return _card_page(request, access_card(request.user, pk))


@login_required
@require_POST
def roleplay_run(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_cards(request.user)
    card = access_card(request.user, pk)
    form = RunRolePlayForm(request.POST, card=card, trainees=role_play_partners(request.user))
    if form.is_valid():
        try:
            run = do_run_role_play(
                card,
                form.cleaned_data["trainee"],
                request.user,
                form.scores(),
                form.cleaned_data["notes"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            trainee = run.trainee
            messages.success(
                request,
                _("Role-play graded: %(name)s scored %(score)s of %(most)s.")
                % {
                    "name": trainee.get_full_name() or trainee.username,
                    "score": run.score,
                    "most": run.max_score,
                },
            )
            return redirect(card.get_absolute_url())
    return _card_page(request, card, form)


@login_required
@require_GET
def my_roleplays(request: AuthenticatedRequest) -> HttpResponse:
    """One's own role-play results: the score and the mentor's notes; never
    the card's situation, questions or rubric."""
    require_staff(request.user)
    runs = (
        RolePlay.objects.filter(trainee=request.user)
        .select_related("card", "card__section", "mentor")
        .order_by("-held_at", "-pk")
    )
    return render(request, "academy/mentoring/my_roleplays.html", {"runs": runs})
