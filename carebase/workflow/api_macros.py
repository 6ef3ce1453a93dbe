"""Macros over the REST API: read and write the caller's macros, and apply
one to a conversation. Scoped as on the pages (see workflow/macros.py):
personal macros are their owner's alone; team and everyone macros are read
by those they are shared with and written by heads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.core.access import Perm, has_perm
from carebase.crm.models import Language
from carebase.tickets.access import access_ticket
from carebase.tickets.models import Priority, RequestType
from carebase.tickets.models import Status as TicketStatus
from carebase.workflow.macros import (
    PLACEHOLDERS,
    MacroData,
    access_macro,
    do_apply_macro,
    do_delete_macro,
    do_save_macro,
    macros_for,
    search_macros,
)
from carebase.workflow.models import Macro, MacroScope

router = Router(tags=["macros"])

PLACEHOLDER_LIST = ", ".join(f"`{{{{ {name} }}}}`" for name in PLACEHOLDERS)


class MacroIn(Schema):
    name: str = Field(max_length=100, description="Unique among the macros shared the same way.")
    body: str = Field(
        "",
        max_length=20_000,
        description=f"Plain text with placeholders, one of: {PLACEHOLDER_LIST}. "
        "Any other `{{ ... }}` is refused.",
        examples=["Dzień dobry {{ contact.first_name }},\n\n...\n\n{{ agent.name }}"],
    )
    language: Language = Field(
        Language.POLISH,
        description="The language it is written in; the picker shows first the macros "
        "in the requester's language.",
    )
    scope: MacroScope = Field(
        MacroScope.PERSONAL,
        description="`personal`: the caller's alone; `team` and `everyone` (shared) "
        "take the right to set the queue's rules.",
    )
    team: Id | None = Field(None, description="The team it is shared with, for `scope: team`.")
    set_status: TicketStatus | None = Field(
        None, description="The status applying it sets (not `new` nor `closed`); null: none."
    )
    set_type: RequestType | None = Field(None, description="The request type it sets.")
    set_priority: Priority | None = Field(None, description="The priority it sets.")
    add_tags: list[str] = Field(
        default_factory=list, max_length=20, description="Tags it adds to the conversation."
    )


class MacroOut(Schema):
    id: int
    name: str
    body: str
    language: str
    scope: str
    owner: int | None = Field(None, alias="owner_id")
    team: int | None = Field(None, alias="team_id")
    set_status: str | None
    set_type: str | None
    set_priority: str | None
    add_tags: list[str]
    usage_count: int = Field(description="How many times it was applied.")
    last_used_at: datetime | None
    created_by: int | None = Field(None, alias="created_by_id")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_set_status(macro: Macro) -> str | None:
        return macro.set_status or None

    @staticmethod
    def resolve_set_type(macro: Macro) -> str | None:
        return macro.set_type or None

    @staticmethod
    def resolve_set_priority(macro: Macro) -> str | None:
        return macro.set_priority or None


class MacroList(Schema):
    items: list[MacroOut]
    next: str | None


class MacroFilters(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Words in the name or text, any case, with or without Polish letters.",
    )
    scope: MacroScope | None = None
    language: Language | None = None


class AppliedOut(Schema):
    macro: int
    ticket: int
    text: str = Field(description="The macro's text with its placeholders filled in.")
    changed: dict[str, Any] = Field(
        description="The conversation's fields that changed, with their new values "
        '(`{"status": "pending", "tags": ["logi", "voip"]}`); empty when none did.'
    )


def _worker(request: AuthenticatedRequest) -> None:
    if not has_perm(request.user, Perm.WORK_TICKETS):
        raise PermissionDenied("Only those who work conversations use macros.")


def _data(body: MacroIn) -> MacroData:
    return MacroData(
        name=body.name,
        body=body.body,
        language=body.language,
        scope=body.scope,
        team=body.team,
        set_status=body.set_status or "",
        set_type=body.set_type or "",
        set_priority=body.set_priority or "",
        add_tags=list(body.add_tags),
    )


@router.get("/macros", response={200: MacroList, **ERRORS}, summary="List macros")
def list_macros(
    request: AuthenticatedRequest, filters: Query[MacroFilters], page: Query[PageParams]
) -> dict:
    """The caller's personal macros, their teams' (every team's for a head)
    and everyone's; never another person's personal ones."""
    _worker(request)
    macros = search_macros(macros_for(request.user), filters.q or "")
    if filters.scope:
        macros = macros.filter(scope=filters.scope)
    if filters.language:
        macros = macros.filter(language=filters.language)
    return paginate(macros, page.cursor, page.limit)


@router.post("/macros", response={201: MacroOut, **ERRORS}, summary="Create a macro")
def create_macro(request: AuthenticatedRequest, body: MacroIn) -> Status:
    """Refused with 422, each complaint at its field, nothing saved: an
    unknown or unclosed placeholder, a macro that neither writes text nor
    changes a field, a status it may not set, a shared team that does not
    exist, a name already used by a macro shared the same way. Sharing with
    a team or everyone without the right to: 403."""
    _worker(request)
    return Status(201, do_save_macro(_data(body), actor=request.user))


@router.get("/macros/{macro_id}", response={200: MacroOut, **ERRORS}, summary="Get a macro")
def get_macro(request: AuthenticatedRequest, macro_id: Id) -> Macro:
    _worker(request)
    return access_macro(request.user, macro_id)


@router.put("/macros/{macro_id}", response={200: MacroOut, **ERRORS}, summary="Replace a macro")
def replace_macro(request: AuthenticatedRequest, macro_id: Id, body: MacroIn) -> Macro:
    """Its use count stays. A shared macro is replaced by a head only (403)."""
    _worker(request)
    macro = access_macro(request.user, macro_id, write=True)
    return do_save_macro(_data(body), actor=request.user, instance=macro)


@router.delete("/macros/{macro_id}", response={204: None, **ERRORS}, summary="Delete a macro")
def delete_macro(request: AuthenticatedRequest, macro_id: Id) -> Status:
    _worker(request)
    do_delete_macro(access_macro(request.user, macro_id, write=True), actor=request.user)
    return Status(204, None)


@router.post(
    "/tickets/{ticket_id}/macros/{macro_id}",
    response={200: AppliedOut, **ERRORS},
    summary="Apply a macro to a conversation",
)
def apply_macro(request: AuthenticatedRequest, ticket_id: Id, macro_id: Id) -> dict:
    """Sets the macro's status, type and priority and adds its tags (each
    change an event on the conversation's timeline), counts the use, and
    answers the text with its placeholders filled in, to be sent as a reply
    (`POST /tickets/{id}/messages`). A closed conversation: 409. A
    conversation or macro the caller does not see: 404."""
    ticket = access_ticket(request.user, ticket_id, work=True)
    macro = access_macro(request.user, macro_id)
    applied = do_apply_macro(ticket, macro, actor=request.user)
    return {
        "macro": macro.pk,
        "ticket": ticket.pk,
        "text": applied.text,
        "changed": applied.changed,
    }
