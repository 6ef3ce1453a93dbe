"""The agents' inbox and ticket page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.core.access import Perm, has_perm
from carebase.core.errors import Conflict
from carebase.core.navigation import Panel
from carebase.crm.actions import find_or_create_contact_by_email
from carebase.tickets.access import access_ticket, tickets_for
from carebase.tickets.actions import (
    do_add_reply,
    do_bulk_update,
    do_create_ticket,
    do_update_ticket,
)
from carebase.tickets.attachments import download_response
from carebase.tickets.forms import BulkForm, NewTicketForm, ReplyForm, TicketFieldsForm
from carebase.tickets.models import (
    Channel,
    EventKind,
    Message,
    Priority,
    RequestType,
    Status,
    Ticket,
    TicketEvent,
)
from carebase.tickets.queues import DEFAULT_QUEUE, QUEUES, queue_condition, queue_counts

PAGE_SIZE = 50
SORTS = {
    "priority": ("priority_rank", "created_at", "id"),
    "newest": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}


def _require_agent(request: AuthenticatedRequest) -> None:
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        raise Http404


def _show_errors(form: BaseForm, error: ValidationError | Conflict) -> None:
    if isinstance(error, Conflict):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    _require_agent(request)
    visible = tickets_for(request.user)
    queue = request.GET.get("queue", DEFAULT_QUEUE)
    if queue not in {q.slug for q in QUEUES}:
        queue = DEFAULT_QUEUE
    tickets = visible.filter(queue_condition(queue, request.user))
    filters: dict[str, str] = {}
    for field, choices in (("priority", Priority), ("type", RequestType), ("channel", Channel)):
        value = request.GET.get(field, "")
        if value in choices.values:
            tickets = tickets.filter(**{field: value})
            filters[field] = value
    team = request.GET.get("team", "")
    if team.isdigit():
        tickets = tickets.filter(team_id=int(team))
        filters["team"] = team
    query = request.GET.get("q", "").strip()
    if query:
        number = query.lstrip("#")
        condition = Q(subject__icontains=query) | Q(requester__name__icontains=query)
        if number.isdigit():
            condition |= Q(pk=int(number))
        tickets = tickets.filter(condition)
    sort = request.GET.get("sort", "priority")
    tickets = tickets.order_by(*SORTS.get(sort, SORTS["priority"]))
    tickets = tickets.select_related(
        "requester", "organization", "assignee", "team"
    ).prefetch_related("tags")
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "queues": QUEUES,
        "queue": queue,
        "counts": queue_counts(visible, request.user),
        "filters": filters,
        "query": query,
        "sort": sort,
        "priorities": Priority.choices,
        "types": RequestType.choices,
        "channels": Channel.choices,
        "teams": Team.objects.all(),
        "can_work": has_perm(request.user, Perm.WORK_TICKETS),
        "bulk_form": BulkForm(visible_ids=[]),
    }
    template = (
        "tickets/_rows.html"
        if request.headers.get("HX-Request") and request.GET.get("partial")
        else "tickets/inbox.html"
    )
    return render(request, template, context)


@dataclass
class TimelineItem:
    at: datetime
    message: Message | None = None
    event: TicketEvent | None = None
    old: str = ""
    new: str = ""


def _timeline(ticket: Ticket) -> list[TimelineItem]:
    """Messages and changes as one list in time order; the reply/note events are
    shown by their messages."""
    items = [
        TimelineItem(at=message.created_at, message=message)
        for message in ticket.messages.select_related(
            "author_user", "author_contact"
        ).prefetch_related("attachments")
    ]
    events = list(
        ticket.events.exclude(
            kind__in=[EventKind.REPLY_ADDED, EventKind.NOTE_ADDED]
        ).select_related("actor")
    )
    user_ids = {
        int(v)
        for e in events
        if e.kind == EventKind.ASSIGNED
        for v in (e.old_value, e.new_value)
        if v
    }
    team_ids = {
        int(v)
        for e in events
        if e.kind == EventKind.TEAM_CHANGED
        for v in (e.old_value, e.new_value)
        if v
    }
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    labels: dict[str, dict[str, Any]] = {
        EventKind.STATUS_CHANGED: dict(Status.choices),
        EventKind.PRIORITY_CHANGED: dict(Priority.choices),
        EventKind.TYPE_CHANGED: dict(RequestType.choices),
    }

    def show(event: TicketEvent, value: str) -> str:
        if not value:
            return "—"
        if event.kind == EventKind.ASSIGNED:
            return users.get(int(value), value)
        if event.kind == EventKind.TEAM_CHANGED:
            return teams.get(int(value), value)
        if event.kind in (
            EventKind.MERGED_INTO,
            EventKind.MERGED_FROM,
            EventKind.FOLLOW_UP_CREATED,
        ):
            return f"#{value}"
        return str(labels.get(event.kind, {}).get(value, value))

    for event in events:
        items.append(
            TimelineItem(
                at=event.created_at,
                event=event,
                old=show(event, event.old_value),
                new=show(event, event.new_value),
            )
        )
    return sorted(items, key=lambda item: (item.at, 0 if item.message else 1))


def _ticket_page(
    request: AuthenticatedRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    fields_form: TicketFieldsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    others = (
        tickets_for(request.user)
        .filter(requester=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .order_by("-created_at")[:10]
    )
    context = {
        "ticket": ticket,
        "timeline": _timeline(ticket),
        "reply_form": reply_form or ReplyForm(),
        "fields_form": fields_form or TicketFieldsForm(ticket=ticket),
        "other_tickets": others,
        "can_work": has_perm(request.user, Perm.WORK_TICKETS),
    }
    return render(request, "tickets/ticket.html", context, status=status)


@login_required
def ticket_detail(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    _require_agent(request)
    return _ticket_page(request, access_ticket(request.user, ticket_id))


@login_required
@require_POST
def ticket_reply(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    _require_agent(request)
    ticket = access_ticket(request.user, ticket_id, work=True)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_add_reply(
                ticket,
                body=form.cleaned_data["body"],
                public=form.cleaned_data["public"],
                author_user=request.user,
                status=form.cleaned_data["status"] or None,
                attachments=form.cleaned_data["attachments"],
            )
        except (ValidationError, Conflict) as error:
            _show_errors(form, error)
        else:
            sent = _("Reply sent.") if form.cleaned_data["public"] else _("Note added.")
            messages.success(request, sent)
            return redirect("tickets:ticket_detail", ticket.pk)
    return _ticket_page(request, ticket, reply_form=form, status=422)


@login_required
@require_POST
def ticket_update(request: AuthenticatedRequest, ticket_id: int) -> HttpResponse:
    _require_agent(request)
    ticket = access_ticket(request.user, ticket_id, work=True)
    form = TicketFieldsForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            do_update_ticket(ticket, actor=request.user, **form.cleaned_data)
        except (ValidationError, Conflict) as error:
            ticket.refresh_from_db()
            _show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("tickets:ticket_detail", ticket.pk)
    return _ticket_page(request, ticket, fields_form=form, status=422)


@login_required
@require_POST
def bulk_update(request: AuthenticatedRequest) -> HttpResponse:
    _require_agent(request)
    if not has_perm(request.user, Perm.WORK_TICKETS):
        raise Http404
    chosen = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    visible = tickets_for(request.user).filter(pk__in=chosen)
    form = BulkForm(request.POST, visible_ids=visible.values_list("pk", flat=True))
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    else:
        data = form.cleaned_data
        tickets = visible.filter(pk__in=data["ids"]).select_related("team")
        updated, skipped = do_bulk_update(
            tickets,
            actor=request.user,
            status=data["status"] or None,
            assignee=data["assignee"],
            add_tags=[data["add_tag"]] if data["add_tag"] else [],
        )
        messages.success(request, _("%(count)s conversations updated.") % {"count": updated})
        for ticket, reason in skipped:
            messages.error(request, f"{ticket.reference}: {reason}")
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/tickets/"):
        next_url = "/tickets/"
    return redirect(next_url)


@login_required
def ticket_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_agent(request)
    if not has_perm(request.user, Perm.WORK_TICKETS):
        raise Http404
    form = NewTicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            requester = find_or_create_contact_by_email(
                data["requester_email"], name=data["requester_name"], actor=request.user
            )
            ticket = do_create_ticket(
                subject=data["subject"],
                body=data["body"],
                requester=requester,
                channel=data["channel"],
                type=data["type"],
                priority=data["priority"],
                team=data["team"],
                actor=request.user,
                from_customer=False,
            )
        except (ValidationError, Conflict) as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("%(reference)s created.") % {"reference": ticket.reference})
            return redirect("tickets:ticket_detail", ticket.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "tickets/new.html", {"form": form}, status=status)


@login_required
def attachment_download(request: AuthenticatedRequest, attachment_id: int) -> FileResponse:
    return download_response(request.user, attachment_id)


def inbox_panel(request: AuthenticatedRequest) -> Panel | None:
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        return None
    return Panel(
        template="tickets/panel_inbox.html",
        context={"counts": queue_counts(tickets_for(request.user), request.user), "queues": QUEUES},
        order=50,
    )
