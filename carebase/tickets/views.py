"""The agents' inbox and ticket page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any, NamedTuple, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.core.access import Perm, has_perm
from carebase.core.errors import Conflict, show_errors
from carebase.core.navigation import Panel
from carebase.core.search import Among
from carebase.crm.actions import find_or_create_contact_by_email
from carebase.crm.models import Organization, name_key
from carebase.tickets import channels, timeline
from carebase.tickets.access import (
    access_ticket,
    access_view_to_delete,
    can_delete_view,
    saved_views_for,
    tickets_for,
)
from carebase.tickets.actions import (
    do_add_reply,
    do_bulk_update,
    do_create_ticket,
    do_update_ticket,
)
from carebase.tickets.attachments import download_response
from carebase.tickets.collision import replies_since
from carebase.tickets.filters import (
    KEYS,
    SORTS,
    filter_condition,
    filter_parts,
    read_filters,
    sort_key,
)
from carebase.tickets.forms import (
    BulkForm,
    NewTicketForm,
    ReplyForm,
    SaveViewForm,
    TicketFieldsForm,
    assignable_users,
)
from carebase.tickets.models import (
    Channel,
    EventKind,
    Message,
    Priority,
    RequestType,
    SavedView,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)
from carebase.tickets.panels import panels_for, row_notes
from carebase.tickets.queues import DEFAULT_QUEUE, QUEUES, queue_counts
from carebase.tickets.saved_views import do_delete_view, do_save_view, view_query

PAGE_SIZE = 50
# What an inbox row reads of a ticket and its relations (see _prepare_rows).
ROW_FIELDS = (
    "subject", "channel", "type", "status", "priority", "created_at", "requester__name",
    "organization__name", "assignee__first_name", "assignee__last_name", "assignee__username",
)  # fmt: skip
# The organization filter suggests this many names that contain what was typed.
SUGGESTIONS = 15


class CappedPaginator(Paginator):
    """A paginator told its count: the inbox counts up to CAP conversations
    only. An exact count of a search that matches half of the history costs
    more than the page itself, and nobody pages through twenty pages of an
    inbox; they narrow it."""

    CAP = 1000

    def __init__(self, object_list: Any, per_page: int, *, found: int, capped: bool) -> None:
        super().__init__(object_list, per_page)
        self.found = found
        self.capped = capped

    @cached_property
    def count(self) -> int:
        return self.found


class ListedTicket(NamedTuple):
    """What an inbox row shows of a conversation (ROW_FIELDS, in order)."""

    pk: int
    subject: str
    channel: str
    type: str
    status: str
    priority: str
    created_at: datetime
    requester_name: str
    organization_name: str | None
    assignee_first_name: str | None
    assignee_last_name: str | None
    assignee_username: str | None
    tag_names: list[str]

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    @property
    def assignee(self) -> str:
        """As User.__str__ says it; "" for nobody."""
        full = f"{self.assignee_first_name or ''} {self.assignee_last_name or ''}".strip()
        return full or self.assignee_username or ""


class PageRows:
    """What the inbox's paginator slices: the ids of a filtered list in its
    order, and for a page only that page's rows, fetched by id.

    Up to CAP ids are fetched with their sort keys, unordered, in whichever
    plan is cheapest, and sorted here; only a longer list is ordered by the
    database, which walks an order index for a page's worth of ids (dense
    matches, few rows read). Either way the joins and the tags are done for
    fifty rows, never for every match."""

    ids: list[int] | None  # None: more than CAP, paged by the database
    capped: bool

    def __init__(
        self,
        tickets: QuerySet[Ticket],
        ordering: tuple[str, ...],
        *,
        known: QuerySet[Ticket] | bool | None = None,
    ) -> None:
        """known: some rows known to be in the list (the first matches that a
        search of common words found, under the list's other filters): when
        more than CAP, the list is long, and the walk through the table that
        would find as many is saved. True: more than CAP are known to be."""
        self.tickets = tickets.order_by()
        self.ordering = ordering
        if known is True or (
            isinstance(known, QuerySet)
            and len(known.order_by().values_list("pk")[: CappedPaginator.CAP + 1])
            > CappedPaginator.CAP
        ):
            self.capped, self.ids = True, None
            return
        descending = {field.startswith("-") for field in ordering}
        assert len(descending) == 1, "one direction for every sort key"
        keys = {f"key_{n}": sort_key(field.lstrip("-")) for n, field in enumerate(ordering)}
        keyed = list(
            self.tickets.annotate(**keys).values_list("pk", *keys)[: CappedPaginator.CAP + 1]
        )
        self.capped = len(keyed) > CappedPaginator.CAP
        keyed.sort(key=lambda row: row[1:], reverse=descending.pop())
        self.ids = None if self.capped else [row[0] for row in keyed]

    def __len__(self) -> int:
        return CappedPaginator.CAP if self.ids is None else len(self.ids)

    def __getitem__(self, window: slice) -> list[ListedTicket]:
        if self.ids is None:
            ordered = self.tickets.order_by(*self.ordering)
            ids = list(ordered.values_list("pk", flat=True)[window])
        else:
            ids = self.ids[window]
        # Only what a row shows, as tuples: a ticket with its three relations
        # as model instances cost 3-4 ms more a page.
        rows = Ticket.objects.filter(pk__in=ids).values_list("pk", *ROW_FIELDS)
        tag_names: dict[int, list[str]] = {pk: [] for pk in ids}
        tagged = Ticket.tags.through.objects.filter(ticket_id__in=ids).order_by("tag__name")
        for ticket_id, name in tagged.values_list("ticket_id", "tag__name"):
            tag_names[ticket_id].append(name)
        by_id = {row[0]: ListedTicket._make((*row, tag_names[row[0]])) for row in rows}
        # A conversation merged or deleted since its id was read is skipped.
        return [by_id[pk] for pk in ids if pk in by_id]


def _require_agent(request: AuthenticatedRequest) -> None:
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        raise Http404


def _inbox_data(request: AuthenticatedRequest, view: SavedView | None) -> Any:
    """The filters of the page: the saved view's, overridden by the query string."""
    data = view_query(view) if view is not None else request.GET.copy()
    if view is not None:
        for key in KEYS:
            if key in request.GET:
                data.setlist(key, request.GET.getlist(key))
    return data


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    _require_agent(request)
    partial = bool(request.headers.get("HX-Request") and request.GET.get("partial"))
    visible = tickets_for(request.user)
    saved_views = list(saved_views_for(request.user))
    view_id = request.GET.get("view", "")
    view = next((v for v in saved_views if str(v.pk) == view_id), None)
    if view_id and view is None:
        raise Http404
    form = read_filters(_inbox_data(request, view), default_queue="all" if view else DEFAULT_QUEUE)
    tickets = visible
    known: QuerySet[Ticket] | bool | None = None
    if form.is_valid():
        others, found = filter_parts(form.cleaned_data, request.user)
        tickets = visible.filter(others)
        if found is not None:
            if len(found.sample) > CappedPaginator.CAP:
                known = tickets.filter(Among("pk", found.sample))
                if not others and not visible.query.where:
                    known = True  # nothing else to pass: every match is listed
            tickets = tickets.filter(found.condition)
        sort = form.cleaned_data["sort"] or "priority"
    else:
        tickets = visible.none()
        sort = "priority"
    rows = PageRows(tickets, SORTS[sort], known=known)
    paginator = CappedPaginator(rows, PAGE_SIZE, found=len(rows), capped=rows.capped)
    page = paginator.get_page(request.GET.get("page"))
    assignees = [(str(person.pk), str(person)) for person in assignable_users()]
    counts = {} if partial else queue_counts(visible, request.user)
    save_view_form = SaveViewForm(user=request.user)
    can_work = has_perm(request.user, Perm.WORK_TICKETS)
    context = {
        "page": page,
        "rows": _prepare_rows(page, can_work=can_work),
        # A partial refresh swaps the rows only: the counts are not shown.
        "counts": counts,
        "queue_links": [
            (q.slug, q.label, counts.get(q.slug), not view and q.slug == form.data.get("queue"))
            for q in QUEUES
        ],
        "form": form,
        "saved_views": saved_views,
        "view": view,
        "can_delete_view": view is not None and can_delete_view(request.user, view),
        "save_view_form": save_view_form,
        "share_with": [
            (team.pk, team.name) for team in cast(Any, save_view_form.fields["share_with"]).queryset
        ],
        "filter_selects": _filter_selects(form, assignees),
        "assignees": assignees,
        "tags": Tag.objects.values_list("name", flat=True),
        "can_work": can_work,
        "bulk_form": BulkForm(visible_ids=[]),
    }
    context["partial"] = partial
    context["filter_keys"] = KEYS
    return render(request, "tickets/_rows.html" if partial else "tickets/inbox.html", context)


@dataclass
class Select:
    name: str
    label: str
    options: list[tuple[str, str, bool]]


def _filter_selects(form: BaseForm, assignees: list[tuple[str, str]]) -> list[Select]:
    """The filter bar's drop-downs with the current choice marked, built here
    rather than by widget templates, which would cost more than the rows."""

    data: Any = form.data  # the query string's QueryDict
    fields: Any = form.fields

    def select(name: str, choices: Any, first: Any = None) -> Select:
        chosen = data.getlist(name)
        options = [("", str(first), not chosen)] if first is not None else []
        options += [(str(value), str(label), str(value) in chosen) for value, label in choices]
        return Select(name=name, label=str(fields[name].label), options=options)

    people = [("me", _("Me")), ("none", _("Nobody")), *assignees]
    # A model field's own choices read through a server-side cursor on
    # PostgreSQL (four round trips for a handful of teams): one plain query.
    teams = [("", fields["team"].empty_label)]
    teams += [(team.pk, str(team)) for team in fields["team"].queryset]
    return [
        *(select(name, fields[name].choices) for name in ("priority", "type", "channel")),
        select("team", teams),
        select("status", fields["status"].choices, first=_("Every status")),
        select("assignee", people, first=_("Anyone")),
        select("sort", fields["sort"].choices),
    ]


# One inbox row. Written out here rather than in _rows.html: fifty rows of
# some thirty template nodes each took 15-25 ms of every inbox page to
# render; this takes about 2 ms for the same HTML. Every value is escaped
# with html.escape (what the template engine does, without its lazy-string
# wrapper around each call).
ROW_HTML = (
    '<tr class="priority-{priority}">{tick}'
    '<td class="num"><a href="{url}">{reference}</a></td>'
    '<td><a href="{url}">{subject}</a>'
    '<br><small class="muted">{channel} · {type}{tags}</small></td>'
    "<td>{requester}{organization}</td>"
    '<td><span class="badge status-{status}">{status_label}</span></td>'
    '<td><span class="badge priority-{priority}">{priority_label}</span>{notes}</td>'
    "<td>{assignee}</td>"
    '<td><time datetime="{created_iso}" title="{created_local}">{age}</time></td>'
    "</tr>\n"
)
TICK_HTML = '<td><input type="checkbox" name="ids" value="{}" aria-label="{}"></td>'


def _prepare_rows(page: Any, *, can_work: bool) -> list[SafeString]:
    """Each inbox row's HTML, worked out in Python: the template engine would
    spend most of the page's time on reversing URLs, following relations,
    looking up labels, formatting dates and walking its nodes fifty times over."""
    labels = {
        field: {value: escape(str(label)) for value, label in choices}
        for field, choices in (
            ("channel", Channel.choices),
            ("type", RequestType.choices),
            ("status", Status.choices),
            ("priority", Priority.choices),
        )
    }
    prefix = reverse("tickets:ticket_detail", args=[0]).removesuffix("0/")
    zone = timezone.get_current_timezone()
    now = timezone.now()
    notes = row_notes([ticket.pk for ticket in page])
    rows = []
    for ticket in page:
        local = ticket.created_at.astimezone(zone)
        reference = ticket.reference
        tick = ""
        if can_work:
            label = _("Tick %(reference)s") % {"reference": reference}
            tick = TICK_HTML.format(ticket.pk, escape(label))
        organization = ""
        if ticket.organization_name:
            organization = f'<br><small class="muted">{escape(ticket.organization_name)}</small>'
        tags = "".join(f' · <span class="tag">{escape(tag)}</span>' for tag in ticket.tag_names)
        row = ROW_HTML.format(
            priority=escape(ticket.priority),
            tick=tick,
            url=f"{prefix}{ticket.pk}/",
            reference=escape(reference),
            subject=escape(ticket.subject),
            channel=labels["channel"].get(ticket.channel) or escape(ticket.channel),
            type=labels["type"].get(ticket.type) or escape(ticket.type),
            tags=tags,
            requester=escape(ticket.requester_name),
            organization=organization,
            status=escape(ticket.status),
            status_label=labels["status"].get(ticket.status) or escape(ticket.status),
            priority_label=labels["priority"].get(ticket.priority) or escape(ticket.priority),
            notes=notes.get(ticket.pk, ""),
            assignee=escape(ticket.assignee) or "—",
            created_iso=local.isoformat(),
            created_local=local.strftime("%Y-%m-%d %H:%M"),
            age=escape(timesince(ticket.created_at, now)),
        )
        rows.append(mark_safe(row))
    return rows


@login_required
def organization_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    """<option>s for the organization filter's datalist, as one types."""
    _require_agent(request)
    typed = name_key(request.GET.get("organization", ""))[:200]
    names = (
        Organization.objects.filter(name_key__contains=typed).order_by("name_key")
        if len(typed) >= 2
        else Organization.objects.none()
    )
    context = {"names": names.values_list("name", flat=True)[:SUGGESTIONS]}
    return render(request, "tickets/_organization_options.html", context)


@login_required
def view_counts(request: AuthenticatedRequest) -> HttpResponse:
    """The saved views' sizes, fetched after the inbox has shown (and again on
    live changes): a view may filter over the whole history, which the inbox
    itself should not wait for. One aggregate query for all of them."""
    _require_agent(request)
    saved_views = list(saved_views_for(request.user))
    conditions = {}
    for saved in saved_views:
        form = read_filters(view_query(saved), default_queue="all")
        if form.is_valid():
            conditions[f"view_{saved.pk}"] = filter_condition(form.cleaned_data, request.user)
    counts = (
        tickets_for(request.user).aggregate(
            **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
        )
        if conditions
        else {}
    )
    for saved in saved_views:
        saved.count = counts.get(f"view_{saved.pk}")  # type: ignore[attr-defined]
    return render(request, "tickets/_view_counts.html", {"saved_views": saved_views})


@login_required
@require_POST
def view_save(request: AuthenticatedRequest) -> HttpResponse:
    _require_agent(request)
    form = SaveViewForm(request.POST, user=request.user)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("tickets:inbox")
    try:
        view = do_save_view(
            owner=request.user,
            name=form.cleaned_data["name"],
            team=form.cleaned_data["share_with"],
            filters=request.POST,
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect("tickets:inbox")
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(view)


@login_required
@require_POST
def view_delete(request: AuthenticatedRequest, view_id: int) -> HttpResponse:
    _require_agent(request)
    view = access_view_to_delete(request.user, view_id)
    do_delete_view(view, actor=request.user)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("tickets:inbox")


@dataclass
class TimelineItem:
    at: datetime
    message: Message | None = None
    event: TicketEvent | None = None
    old: str = ""
    new: str = ""
    delivery: channels.Delivery | None = None  # how far an outgoing reply got
    original: str = ""  # where the message as received can be seen
    entry: timeline.Entry | None = None  # another app's (a call)


def _timeline(ticket: Ticket, user: Any) -> list[TimelineItem]:
    """Messages, changes and other apps' entries (calls) as one list in time
    order; the reply/note events are shown by their messages."""
    messages = list(
        ticket.messages.select_related("author_user", "author_contact").prefetch_related(
            "attachments"
        )
    )
    deliveries = channels.deliveries(messages)
    originals = channels.originals(messages)
    items = [
        TimelineItem(
            at=message.created_at,
            message=message,
            delivery=deliveries.get(message.pk),
            original=originals.get(message.pk, ""),
        )
        for message in messages
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
    items += [TimelineItem(at=entry.at, entry=entry) for entry in timeline.entries(ticket, user)]
    return sorted(items, key=lambda item: (item.at, 0 if item.entry or item.message else 1))


def _ticket_page(
    request: AuthenticatedRequest,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    fields_form: TicketFieldsForm | None = None,
    crossed: list[Message] | None = None,
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
        "timeline": _timeline(ticket, request.user),
        "reply_form": reply_form or ReplyForm(initial={"seen": _last_message_id(ticket)}),
        "fields_form": fields_form or TicketFieldsForm(ticket=ticket),
        "other_tickets": others,
        "can_work": has_perm(request.user, Perm.WORK_TICKETS),
        "crossed": crossed or [],
        "panels": panels_for(ticket, request.user),
    }
    return render(request, "tickets/ticket.html", context, status=status)


def _last_message_id(ticket: Ticket) -> int:
    return ticket.messages.order_by("-id").values_list("id", flat=True).first() or 0


def contact_tickets_panel(contact: Any, user: Any) -> Panel | None:
    """A contact's latest conversations that the viewer may see, on the contact's page."""
    if not has_perm(user, Perm.VIEW_TICKETS):
        return None
    tickets = tickets_for(user).filter(requester=contact).order_by("-created_at")[:10]
    return Panel("tickets/_contact_tickets.html", {"tickets": tickets}, order=10)


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
    if form.is_valid() and form.cleaned_data["public"] and not form.cleaned_data["send_anyway"]:
        crossed = list(replies_since(ticket, form.cleaned_data["seen"], request.user))
        if crossed:
            # A colleague answered while this agent wrote: show it first.
            data = request.POST.copy()
            data["seen"], data["send_anyway"] = str(crossed[-1].pk), "on"
            form = ReplyForm(data)
            form.is_valid()
            return _ticket_page(request, ticket, reply_form=form, crossed=crossed, status=409)
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
            show_errors(form, error)
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
            show_errors(form, error)
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
                type=data["type"] or None,
                priority=data["priority"] or None,
                team=data["team"],
                actor=request.user,
                from_customer=False,
            )
        except (ValidationError, Conflict) as error:
            show_errors(form, error)
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
