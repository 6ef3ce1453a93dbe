"""The business calendars' pages, for those who set the queue's rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, require_perm
from carebase.core.errors import show_errors
from carebase.core.models import Calendar
from carebase.crm.models import Tier
from carebase.workflow.calendars import (
    CalendarData,
    do_delete_calendar,
    do_save_calendar,
    tiers_of,
)
from carebase.workflow.forms import CalendarForm


@login_required
def calendars(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    now = timezone.now()
    rows = []
    for calendar in Calendar.objects.prefetch_related("teams", "days_off", "tiers"):
        schedule = calendar.schedule()
        rows.append(
            {
                "calendar": calendar,
                "open": schedule.is_open(now),
                "opens": schedule.next_open(now),
                "tiers": [Tier(tier).label for tier in tiers_of(calendar)],
            }
        )
    return render(request, "workflow/calendars.html", {"rows": rows})


@login_required
def calendar_edit(request: AuthenticatedRequest, calendar_id: int | None = None) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    calendar = get_object_or_404(Calendar, pk=calendar_id) if calendar_id else None
    if request.method == "POST":
        form = CalendarForm(request.POST)
        if form.is_valid():
            try:
                saved = do_save_calendar(
                    CalendarData(**form.values()), actor=request.user, instance=calendar
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Saved the calendar %(name)s.") % {"name": saved})
                return redirect("workflow:calendars")
    else:
        form = CalendarForm.for_calendar(calendar) if calendar else CalendarForm()
    status = 422 if request.method == "POST" else 200
    return render(
        request, "workflow/calendar_form.html", {"form": form, "calendar": calendar}, status=status
    )


@login_required
@require_POST
def calendar_delete(request: AuthenticatedRequest, calendar_id: int) -> HttpResponse:
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    calendar = get_object_or_404(Calendar, pk=calendar_id)
    try:
        do_delete_calendar(calendar, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workflow:calendar_edit", calendar_id)
    messages.success(request, _("Deleted the calendar %(name)s.") % {"name": calendar.name})
    return redirect("workflow:calendars")
