"""Conversations over the REST API (the shapes in design.md's stable interfaces).

A customer's token sees what the portal shows: their organization's
conversations and the public replies in them; it can open conversations and
reply, nothing more.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import EmailStr, StringConstraints, field_validator

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.api.pagination import ERRORS, Id, Moment, PageParams, paginate
from carebase.core.access import Perm, has_perm
from carebase.crm.access import contacts_for
from carebase.crm.actions import find_or_create_contact_by_email
from carebase.tickets.access import (
    access_ticket,
    access_view_to_delete,
    customer_contact,
    messages_for,
    saved_views_for,
    tickets_for,
)
from carebase.tickets.actions import (
    UPDATABLE,
    do_add_reply,
    do_create_ticket,
    do_merge_tickets,
    do_update_ticket,
)
from carebase.tickets.attachments import download_response
from carebase.tickets.filters import filter_condition, read_filters
from carebase.tickets.models import Channel, Message, Priority, RequestType, Ticket
from carebase.tickets.models import Status as TicketStatus
from carebase.tickets.panels import SLA_PREFETCH, sla_of
from carebase.tickets.saved_views import do_delete_view, do_save_view, view_query
from carebase.tickets.search import search_condition

router = Router(tags=["tickets"])
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class PersonOut(Schema):
    id: int
    name: str
    email: str | None = None


class SlaOut(Schema):
    target: Literal["first_response", "next_update", "resolution"]
    due_at: datetime | None = Field(description="None while paused.")
    state: Literal["running", "paused", "achieved", "breached"]
    policy: str
    minutes: int = Field(description="The target, in business or calendar minutes.")
    business_hours: bool
    started_at: datetime
    stopped_at: datetime | None = Field(description="When the target was met (or missed).")


class TicketOut(Schema):
    id: int
    reference: str
    subject: str
    status: TicketStatus
    priority: Priority
    type: RequestType
    channel: Channel
    requester: PersonOut
    organization: int | None = Field(None, alias="organization_id")
    team: int | None = Field(None, alias="team_id")
    assignee: int | None = Field(None, alias="assignee_id")
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    merged_into: int | None = Field(None, alias="merged_into_id")
    follow_up_of: int | None = Field(None, alias="follow_up_of_id")
    sla: list[SlaOut] = Field(description="SLA clocks; empty until SLA policies exist.")

    @staticmethod
    def resolve_requester(obj: Ticket) -> dict[str, Any]:
        emails = obj.requester.emails
        return {
            "id": obj.requester_id,
            "name": obj.requester.name,
            "email": emails[0] if emails else None,
        }

    @staticmethod
    def resolve_tags(obj: Ticket) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_sla(obj: Ticket, context: Any = None) -> list[dict[str, Any]]:
        # The desk's own targets and misses: staff see them, customers don't.
        request = (context or {}).get("request")
        if request is None or not has_perm(request.user, Perm.VIEW_TICKETS):
            return []
        return sla_of(obj)


class TicketList(Schema):
    items: list[TicketOut]
    next: str | None


class RequesterIn(Schema):
    email: EmailStr
    name: str = Field("", max_length=200)


FieldName = Annotated[str, StringConstraints(min_length=1, max_length=50)]


class TicketIn(Schema):
    subject: str = Field(min_length=1, max_length=250)
    body: str = Field(min_length=1, max_length=200_000)
    requester: RequesterIn | None = Field(
        None, description="Required for staff; a customer is the requester."
    )
    channel: Channel = Channel.API
    type: RequestType | None = Field(
        None, description="Left out: the queue's classification rules decide (else question)."
    )
    priority: Priority | None = Field(
        None, description="Left out: the queue's priority rules decide (else normal)."
    )
    team: Id | None = None
    assignee: Id | None = None
    tags: list[str] = Field([], max_length=20)
    fields: dict[FieldName, Annotated[str, StringConstraints(max_length=200)]] = Field(
        {},
        max_length=20,
        description='Fields of your own form (`{"product": "pbx"}`): the queue\'s '
        "rules test them as `form` conditions.",
    )


class TicketPatch(Schema):
    subject: str | None = Field(None, min_length=1, max_length=250)
    status: TicketStatus | None = None
    priority: Priority | None = None
    type: RequestType | None = None
    team: Id | None = None
    assignee: Id | None = None
    tags: list[str] | None = Field(None, max_length=20)


class MergeIn(Schema):
    into: Id = Field(description="The ticket that continues the conversation.")


class TicketFilters(Schema):
    status: list[TicketStatus] | None = Field(None, description="Repeat for several.")
    priority: Priority | None = None
    type: RequestType | None = None
    channel: Channel | None = None
    team: Id | None = None
    assignee: str | None = Field(
        None, description="A user id, `me` or `none`.", pattern=r"^(me|none|\d{1,18})$"
    )
    organization: Id | None = None
    requester: Id | None = None
    tag: str | None = Field(None, max_length=50)
    q: str | None = Field(
        None,
        max_length=200,
        description="Words to search for (any inflected form), or `#1042`. Staff search "
        "subjects, messages and notes, requesters and organizations; customers search the "
        "subjects and public replies they can see.",
    )
    created_after: Moment | None = Field(None, description="Created at or after this time.")
    created_before: Moment | None = Field(None, description="Created before this time.")
    updated_since: Moment | None = Field(None, description="Changed at or after this time (sync).")
    updated_before: Moment | None = Field(None, description="Changed before this time.")
    view: Id | None = Field(None, description="A saved view's id: its filters apply, then these.")

    @field_validator(
        "created_after", "created_before", "updated_since", "updated_before", mode="before"
    )
    @classmethod
    def iso_only(cls, value: Any) -> Any:
        # pydantic would read a bare number as a Unix timestamp; the schema says ISO 8601.
        if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
            raise ValueError("Use an ISO 8601 date and time, e.g. 2026-11-22T08:00:00Z.")
        return value


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"team": [f"No team with id {team_id}."]})
    return team


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError({"assignee": [f"No active user with id {user_id}."]})
    return user


def _loaded(queryset: Any) -> Any:
    return queryset.select_related("requester").prefetch_related(
        "tags", "requester__identities", *SLA_PREFETCH
    )


@router.get("/tickets", response={200: TicketList, **ERRORS}, summary="List conversations")
def list_tickets(
    request: AuthenticatedRequest, filters: Query[TicketFilters], page: Query[PageParams]
) -> dict:
    queryset = tickets_for(request.user)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    for field in ("priority", "type", "channel"):
        value = getattr(filters, field)
        if value is not None:
            queryset = queryset.filter(**{field: value})
    for field in ("team", "organization", "requester"):
        value = getattr(filters, field)
        if value is not None:
            queryset = queryset.filter(**{f"{field}_id": value})
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=request.user)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee:
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag.strip().lower())
    if filters.q:
        found = search_condition(filters.q, request.user)
        if found is not None:
            queryset = queryset.filter(found)
    for field, lookup in (
        ("created_after", "created_at__gte"),
        ("created_before", "created_at__lt"),
        ("updated_since", "updated_at__gte"),
        ("updated_before", "updated_at__lt"),
    ):
        value = getattr(filters, field)
        if value is not None:
            queryset = queryset.filter(**{lookup: value})
    if filters.view is not None:
        view = saved_views_for(request.user).filter(pk=filters.view).first()
        if view is None:
            raise Http404
        form = read_filters(view_query(view), default_queue="all")
        if not form.is_valid():
            raise ValidationError({"view": ["The saved view's filters are no longer valid."]})
        queryset = queryset.filter(filter_condition(form.cleaned_data, request.user))
    return paginate(_loaded(queryset), page.cursor, page.limit)


def _form_source(fields: dict[str, str]) -> dict[str, str]:
    return {f"form.{name.strip()}": value for name, value in fields.items()}


@router.post("/tickets", response={201: TicketOut, **ERRORS}, summary="Open a conversation")
def create_ticket(request: AuthenticatedRequest, payload: TicketIn) -> Status:
    user = request.user
    if has_perm(user, Perm.WORK_TICKETS):
        if payload.requester is None:
            raise ValidationError({"requester": ["Give the requester's email (and name)."]})
        requester = find_or_create_contact_by_email(
            payload.requester.email, name=payload.requester.name, actor=user
        )
        if not contacts_for(user).filter(pk=requester.pk).exists():
            raise Http404
        ticket = do_create_ticket(
            subject=payload.subject,
            body=payload.body,
            requester=requester,
            channel=payload.channel,
            type=payload.type,
            priority=payload.priority,
            team=_team(payload.team),
            assignee=_user(payload.assignee),
            tags=payload.tags,
            actor=user,
            from_customer=True,
            source=_form_source(payload.fields),
        )
    else:
        contact = customer_contact(user)
        if contact is None:
            raise PermissionDenied
        # A customer opens their own request; triage fields are the team's to set.
        ticket = do_create_ticket(
            subject=payload.subject,
            body=payload.body,
            requester=contact,
            channel=Channel.API,
            type=payload.type,
            actor=user,
            source=_form_source(payload.fields),
        )
    return Status(201, _loaded(Ticket.objects.filter(pk=ticket.pk)).get())


@router.get("/tickets/{ticket_id}", response={200: TicketOut, **ERRORS})
def get_ticket(request: AuthenticatedRequest, ticket_id: Id) -> Ticket:
    access_ticket(request.user, ticket_id)
    return _loaded(Ticket.objects.filter(pk=ticket_id)).get()


@router.patch("/tickets/{ticket_id}", response={200: TicketOut, **ERRORS})
def update_ticket(request: AuthenticatedRequest, ticket_id: Id, payload: TicketPatch) -> Ticket:
    ticket = access_ticket(request.user, ticket_id, work=True)
    values = payload.model_dump(exclude_unset=True)
    for field in ("subject", "status", "priority", "type", "tags"):
        if field in values and values[field] is None:
            raise ValidationError({field: ["This field cannot be null."]})
    if "team" in values:
        values["team"] = _team(values["team"])
    if "assignee" in values:
        values["assignee"] = _user(values["assignee"])
    do_update_ticket(
        ticket, actor=request.user, **{k: v for k, v in values.items() if k in UPDATABLE}
    )
    return _loaded(Ticket.objects.filter(pk=ticket_id)).get()


@router.post(
    "/tickets/{ticket_id}/merge",
    response={200: TicketOut, **ERRORS},
    summary="Merge into another ticket",
)
def merge_ticket(request: AuthenticatedRequest, ticket_id: Id, payload: MergeIn) -> Ticket:
    source = access_ticket(request.user, ticket_id, work=True)
    target = access_ticket(request.user, payload.into, work=True)
    do_merge_tickets(source, target, actor=request.user)
    return _loaded(Ticket.objects.filter(pk=target.pk)).get()


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str = Field(description="GET it with the same token (same permission as the message).")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/api/v1/attachments/{obj.pk}"


class MessageOut(Schema):
    id: int
    public: bool
    from_customer: bool
    author: PersonOut | None
    body: str = Field(alias="body_text")
    body_html: str
    channel: Channel
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Message) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_public(obj: Message) -> bool:
        return obj.is_public

    @staticmethod
    def resolve_author(obj: Message) -> dict[str, Any] | None:
        if obj.author_contact_id is not None and obj.author_contact is not None:
            return {"id": obj.author_contact_id, "name": obj.author_contact.name}
        if obj.author_user is not None:
            return {"id": obj.author_user_id, "name": str(obj.author_user)}
        return None


class MessageList(Schema):
    items: list[MessageOut]
    next: str | None


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=200_000)
    public: bool = True
    status: TicketStatus | None = Field(
        None, description="Staff only: set a status with the reply."
    )


@router.get("/tickets/{ticket_id}/messages", response={200: MessageList, **ERRORS})
def list_messages(request: AuthenticatedRequest, ticket_id: Id, page: Query[PageParams]) -> dict:
    ticket = access_ticket(request.user, ticket_id)
    queryset = (
        messages_for(request.user, ticket)
        .select_related("author_user", "author_contact")
        .prefetch_related("attachments")
    )
    return paginate(queryset, page.cursor, page.limit)


def _add_message(
    request: AuthenticatedRequest, ticket_id: int, payload: MessageIn, files: list[Any]
) -> Status:
    ticket = access_ticket(request.user, ticket_id)
    if has_perm(request.user, Perm.WORK_TICKETS):
        message = do_add_reply(
            ticket,
            body=payload.body,
            public=payload.public,
            author_user=request.user,
            channel=Channel.API,
            status=payload.status,
            attachments=files,
        )
    else:
        contact = customer_contact(request.user)
        if contact is None or not payload.public or payload.status is not None:
            raise PermissionDenied
        message = do_add_reply(
            ticket,
            body=payload.body,
            author_contact=contact,
            channel=Channel.API,
            attachments=files,
        )
    return Status(201, Message.objects.prefetch_related("attachments").get(pk=message.pk))


@router.post("/tickets/{ticket_id}/messages", response={201: MessageOut, **ERRORS})
def add_message(request: AuthenticatedRequest, ticket_id: Id, payload: MessageIn) -> Status:
    return _add_message(request, ticket_id, payload, [])


@router.post(
    "/tickets/{ticket_id}/messages/upload",
    response={201: MessageOut, **ERRORS},
    summary="Add a message with attachments (multipart/form-data)",
)
def add_message_with_files(
    request: AuthenticatedRequest,
    ticket_id: Id,
    payload: Form[MessageIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    """The same as POST .../messages, as a form with `files` (repeat for several);
    each file at most ATTACHMENT_MAX_BYTES."""
    return _add_message(request, ticket_id, payload, list(files or []))


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="Download an attachment",
    openapi_extra={"responses": {200: {"description": "The file, as a download."}}},
)
def download_attachment(request: AuthenticatedRequest, attachment_id: Id) -> FileResponse:
    return download_response(request.user, attachment_id)


class SavedViewOut(Schema):
    id: int
    name: str
    owner: int = Field(alias="owner_id")
    team: int | None = Field(None, alias="team_id", description="Shared with; null: the owner's.")
    filters: dict[str, list[str]] = Field(
        description="The inbox's query-string filters: queue, q, status, priority, type, "
        "channel, team, assignee, tag, organization, created_from, created_to, "
        "updated_from, updated_to (dates as YYYY-MM-DD), sort."
    )


class SavedViewList(Schema):
    items: list[SavedViewOut]


class SavedViewIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    team: Id | None = Field(None, description="Share with this team (one of yours).")
    filters: dict[str, list[str] | str] = Field(
        default_factory=dict, description="As in SavedViewOut; a single value may be a string."
    )


@router.get("/ticket-views", response={200: SavedViewList, **ERRORS}, summary="Saved views")
def list_saved_views(request: AuthenticatedRequest) -> dict:
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        raise PermissionDenied
    return {"items": list(saved_views_for(request.user))}


@router.post("/ticket-views", response={201: SavedViewOut, **ERRORS}, summary="Save a view")
def create_saved_view(request: AuthenticatedRequest, payload: SavedViewIn) -> Status:
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        raise PermissionDenied
    filters = {
        key: [value] if isinstance(value, str) else value for key, value in payload.filters.items()
    }
    view = do_save_view(
        owner=request.user, name=payload.name, team=_team(payload.team), filters=filters
    )
    return Status(201, view)


@router.delete("/ticket-views/{view_id}", response={204: None, **ERRORS})
def delete_saved_view(request: AuthenticatedRequest, view_id: Id) -> Status:
    view = access_view_to_delete(request.user, view_id)
    do_delete_view(view, actor=request.user)
    return Status(204, None)
