"""The call log, a call's page with its recording, and the agent call report."""

from __future__ import annotations

import mimetypes
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import User
from carebase.core.access import Perm, has_perm, require_perm
from carebase.core.errors import Conflict, show_errors
from carebase.crm.access import contacts_for
from carebase.telephony.access import access_call, calls_for, can_hear, sees_every_agent
from carebase.telephony.actions import do_add_call_summary, do_start_call_import
from carebase.telephony.forms import CallFilterForm, CallImportForm, PeriodForm, SummaryForm
from carebase.telephony.models import (
    Call,
    Callback,
    CallImport,
    Direction,
    ImportFormat,
    MissedReason,
    Pbx,
)
from carebase.telephony.report import agent_report
from carebase.tickets.access import access_ticket, tickets_for

PAGE = 50


def _agents() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, calls__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@login_required
def call_list(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.VIEW_CALLS)
    form = CallFilterForm(request.GET or None, agents=_agents())
    calls = calls_for(request.user).select_related("agent", "contact", "ticket")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["agent"]:
            calls = calls.filter(agent=data["agent"])
        for name in ("direction", "disposition", "line"):
            if data[name]:
                calls = calls.filter(**{name: data[name]})
        zone = timezone.get_current_timezone()
        if data["since"]:
            calls = calls.filter(started_at__gte=datetime.combine(data["since"], time.min, zone))
        if data["until"]:
            end = datetime.combine(data["until"] + timedelta(days=1), time.min, zone)
            calls = calls.filter(started_at__lt=end)
    elif form.is_bound:
        calls = calls.none()
    contact = None
    if request.GET.get("contact", "").isdigit():
        contact = contacts_for(request.user).filter(pk=int(request.GET["contact"])).first()
        calls = calls.filter(contact=contact) if contact is not None else calls.none()
    # Newest first, a page at a time without counting millions of rows.
    page = max(int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1, 1)
    rows = list(calls.order_by("-started_at", "-id")[(page - 1) * PAGE : page * PAGE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    callbacks = (
        Callback.objects.filter(done_at__isnull=True, ticket__status__in=["new", "open"])
        .select_related("ticket", "ticket__requester")
        .order_by("due_at")[:20]
    )
    context = {
        "form": form,
        "calls": rows[:PAGE],
        "page": page,
        "has_next": len(rows) > PAGE,
        "query": query.urlencode(),
        "callbacks": callbacks,
        "now": timezone.now(),
        "can_import": has_perm(request.user, Perm.MANAGE_CHANNELS),
        "contact": contact,
    }
    return render(request, "telephony/call_list.html", context)


def _call_page(
    request: AuthenticatedRequest, call: Call, *, form: SummaryForm | None = None, status: int = 200
) -> HttpResponse:
    visible = call.ticket_id is not None and tickets_for(request.user).filter(pk=call.ticket_id)
    context = {
        "call": call,
        "ticket_visible": bool(visible and visible.exists()),
        "rings": call.rings.select_related("agent", "extension"),
        "can_hear": can_hear(request.user, call),
        "can_work": has_perm(request.user, Perm.WORK_TICKETS),
        "summary_form": form or SummaryForm(),
    }
    return render(request, "telephony/call_detail.html", context, status=status)


@login_required
def call_detail(request: AuthenticatedRequest, call_id: int) -> HttpResponse:
    return _call_page(request, access_call(request.user, call_id))


@login_required
@require_POST
def call_summary(request: AuthenticatedRequest, call_id: int) -> HttpResponse:
    call = access_call(request.user, call_id)
    require_perm(request.user, Perm.WORK_TICKETS)
    if call.ticket_id is not None:
        # A note goes only into a conversation the agent may work.
        access_ticket(request.user, call.ticket_id, work=True)
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            ticket = do_add_call_summary(call, body=form.cleaned_data["body"], author=request.user)
        except (ValidationError, Conflict) as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Summary added to %(reference)s.") % {"reference": ticket.reference}
            )
            back = request.POST.get("next", "")
            if back == "ticket":
                return redirect("tickets:ticket_detail", ticket.pk)
            return redirect("telephony:call_detail", call.pk)
    return _call_page(request, call, form=form, status=422)


@login_required
def recording(request: AuthenticatedRequest, call_id: int) -> HttpResponseBase:
    """The recording, for whom may hear it (404 for anyone else): the file
    stored here, played inline as audio; or the PBX's address for it."""
    call = access_call(request.user, call_id)
    if not call.has_recording or not can_hear(request.user, call):
        raise Http404
    if not call.recording:
        return HttpResponseRedirect(call.recording_url)
    guessed = mimetypes.guess_type(call.recording.name or "")[0] or ""
    content_type = guessed if guessed.startswith("audio/") else "application/octet-stream"
    response = FileResponse(call.recording.open("rb"), content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def call_report(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.VIEW_CALLS)
    form = PeriodForm(request.GET or None)
    since, until = form.period()
    everyone = sees_every_agent(request.user)
    agents = None if everyone else User.objects.filter(pk=request.user.pk)
    lines = agent_report(since, until, agents)
    totals = calls_for(request.user).filter(started_at__gte=since, started_at__lt=until)
    context = {
        "form": form,
        "lines": lines,
        "everyone": everyone,
        "since": since,
        "until": until - timedelta(days=1),
        "missed_by_reason": _missed_by_reason(totals) if everyone else [],
    }
    return render(request, "telephony/call_report.html", context)


def _missed_by_reason(calls: QuerySet[Call]) -> list[tuple[str, int]]:
    rows = (
        calls.filter(direction=Direction.INBOUND, answered_at__isnull=True)
        .exclude(missed_reason="")
        .values("missed_reason")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    labels = dict(MissedReason.choices)
    return [
        (str(labels.get(row["missed_reason"], row["missed_reason"])), row["count"]) for row in rows
    ]


@login_required
def call_imports(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a CDR file (admins: MANAGE_CHANNELS); the worker imports it."""
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    if not Pbx.objects.exists():
        Pbx.objects.create(name="pbx")  # the first import of a new installation
    form = CallImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = do_start_call_import(
                pbx=form.cleaned_data["pbx"],
                upload=form.cleaned_data["file"],
                format=form.cleaned_data["format"],
                columns=form.columns() if form.cleaned_data["format"] == ImportFormat.CSV else {},
                file_recent_hours=form.cleaned_data["file_recent_hours"],
                actor=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The import of %(file)s has started.") % {"file": started})
            return redirect("telephony:call_import_detail", started.pk)
    context = {"form": form, "imports": CallImport.objects.select_related("pbx")[:20]}
    status = 422 if request.method == "POST" else 200
    return render(request, "telephony/imports.html", context, status=status)


@login_required
def call_import_detail(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    job = CallImport.objects.select_related("pbx", "created_by").filter(pk=import_id).first()
    if job is None:
        raise Http404
    return render(request, "telephony/import_detail.html", {"job": job})
