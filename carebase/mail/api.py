"""Mailboxes and the stored inbound mail over the REST API (MANAGE_CHANNELS only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.core.access import Perm, require_perm
from carebase.crm.models import Language
from carebase.mail.access import access_inbound, access_mailbox
from carebase.mail.actions import do_create_mailbox, do_reprocess_email, do_update_mailbox
from carebase.mail.connection import check_mailbox
from carebase.mail.models import ImapSecurity, InboundEmail, InboundStatus, Mailbox

router = Router(tags=["mail"])


class MailboxOut(Schema):
    id: int
    name: str
    address: str
    team: int | None = Field(None, alias="team_id")
    language: Language
    signature: str
    active: bool
    acknowledge: bool
    acknowledgement: str
    imap_host: str
    imap_port: int
    imap_security: ImapSecurity
    imap_folder: str
    imap_username: str
    imap_password_env: str
    imap_password_stored: bool = Field(
        alias="has_stored_password", description="The password itself is never returned."
    )
    last_fetch_at: datetime | None
    last_fetch_error: str


class MailboxIn(Schema):
    name: str = Field(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    address: str = Field(min_length=3, max_length=254)
    team: Id | None = None
    language: Language = Language.POLISH
    signature: str = ""
    active: bool = True
    acknowledge: bool = True
    acknowledgement: str = ""
    imap_host: str = Field("", max_length=255)
    imap_port: int = Field(993, ge=1, le=65535)
    imap_security: ImapSecurity = ImapSecurity.TLS
    imap_folder: str = Field("INBOX", min_length=1, max_length=200)
    imap_username: str = Field("", max_length=255)
    imap_password: str = Field("", description="Stored encrypted; never returned.")
    imap_password_env: str = Field("", max_length=100)


class MailboxPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    address: str | None = Field(None, min_length=3, max_length=254)
    team: Id | None = None
    language: Language | None = None
    signature: str | None = None
    active: bool | None = None
    acknowledge: bool | None = None
    acknowledgement: str | None = None
    imap_host: str | None = Field(None, max_length=255)
    imap_port: int | None = Field(None, ge=1, le=65535)
    imap_security: ImapSecurity | None = None
    imap_folder: str | None = Field(None, min_length=1, max_length=200)
    imap_username: str | None = Field(None, max_length=255)
    imap_password: str | None = Field(None, description='A new password; "" removes it.')
    imap_password_env: str | None = Field(None, max_length=100)


class MailboxList(Schema):
    items: list[MailboxOut]
    next: str | None


class CheckOut(Schema):
    protocol: str = Field(description='"imap" or "smtp".')
    ok: bool
    summary: str
    detail: str


def _mailbox_values(payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=partial)
    values.pop("imap_password", None)
    if "team" in values:
        team_id = values.pop("team")
        team = None
        if team_id is not None:
            team = Team.objects.filter(pk=team_id).first()
            if team is None:
                raise ValidationError({"team": [f"No team with id {team_id}."]})
        values["team"] = team
    for field, value in list(values.items()):
        if value is None and field != "team":
            raise ValidationError({field: ["This field cannot be null."]})
    return values


@router.get("/mailboxes", response={200: MailboxList, **ERRORS}, summary="List mailboxes")
def list_mailboxes(request: AuthenticatedRequest, page: Query[PageParams]) -> dict:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    return paginate(Mailbox.objects.all(), page.cursor, page.limit)


@router.post("/mailboxes", response={201: MailboxOut, **ERRORS}, summary="Create a mailbox")
def create_mailbox(request: AuthenticatedRequest, payload: MailboxIn) -> Status:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    mailbox = do_create_mailbox(
        actor=request.user,
        imap_password=payload.imap_password,
        **_mailbox_values(payload, partial=False),
    )
    return Status(201, mailbox)


@router.get("/mailboxes/{mailbox_id}", response={200: MailboxOut, **ERRORS})
def get_mailbox(request: AuthenticatedRequest, mailbox_id: Id) -> Mailbox:
    return access_mailbox(request.user, mailbox_id)


@router.patch("/mailboxes/{mailbox_id}", response={200: MailboxOut, **ERRORS})
def update_mailbox(request: AuthenticatedRequest, mailbox_id: Id, payload: MailboxPatch) -> Mailbox:
    mailbox = access_mailbox(request.user, mailbox_id)
    password = payload.imap_password
    do_update_mailbox(
        mailbox,
        actor=request.user,
        imap_password=password or "",
        forget_password=password == "",
        **_mailbox_values(payload, partial=True),
    )
    return mailbox


@router.post(
    "/mailboxes/{mailbox_id}/test",
    response={200: list[CheckOut], **ERRORS},
    summary="Test a mailbox's IMAP and SMTP connection",
)
def test_mailbox(request: AuthenticatedRequest, mailbox_id: Id) -> list:
    """Logs in to the IMAP folder (reading nothing) and asks the SMTP server to
    accept mail from the address (sending nothing); `ok` says whether each worked."""
    return check_mailbox(access_mailbox(request.user, mailbox_id))


class InboundOut(Schema):
    id: int
    mailbox: int | None = Field(None, alias="mailbox_id")
    source: str
    received_at: datetime
    message_id: str
    sender: str
    subject: str
    size: int
    status: InboundStatus
    error: str
    attempts: int
    ticket: int | None = Field(None, alias="ticket_id")


class InboundList(Schema):
    items: list[InboundOut]
    next: str | None


class InboundFilters(Schema):
    status: InboundStatus | None = None
    mailbox: Id | None = None


@router.get(
    "/inbound-email",
    response={200: InboundList, **ERRORS},
    summary="List received email (e.g. status=needs_attention)",
)
def list_inbound(
    request: AuthenticatedRequest, filters: Query[InboundFilters], page: Query[PageParams]
) -> dict:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    queryset = InboundEmail.objects.defer("raw")
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    if filters.mailbox is not None:
        queryset = queryset.filter(mailbox_id=filters.mailbox)
    return paginate(queryset, page.cursor, page.limit)


@router.get("/inbound-email/{inbound_id}", response={200: InboundOut, **ERRORS})
def get_inbound(request: AuthenticatedRequest, inbound_id: Id) -> InboundEmail:
    return access_inbound(request.user, inbound_id)


@router.post(
    "/inbound-email/{inbound_id}/reprocess",
    response={200: InboundOut, **ERRORS},
    summary="Process a message that needs attention again",
)
def reprocess_inbound(request: AuthenticatedRequest, inbound_id: Id) -> InboundEmail:
    """Answers the message with its new status: filed, or still needs_attention
    with the reason; 409 when it was already filed."""
    inbound = access_inbound(request.user, inbound_id)
    do_reprocess_email(inbound, actor=request.user)
    return inbound
