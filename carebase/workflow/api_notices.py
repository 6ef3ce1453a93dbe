"""SLA notices over the REST API: the caller's own notices, and marking them
read. Nobody reads or marks another person's notices: their ids answer 404,
as for anything the caller may not see; customers have none (403)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema
from pydantic import StrictBool, StrictInt, model_validator

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, PageParams, paginate
from carebase.workflow.models import Metric, Moment, Notice
from carebase.workflow.notices import (
    access_notices,
    do_mark_notices_read,
    notices_for,
    require_notices,
    unread_count,
)

router = Router(tags=["notices"])

MAX_IDS = 500
# Strict: a body of {"all": 0} or {"ids": ["7"]} is a mistake to point out, not to guess.
NoticeId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


class NoticeTicketOut(Schema):
    id: int
    reference: str
    subject: str | None = Field(
        description="null once the caller may no longer see the conversation."
    )


class NoticeOut(Schema):
    id: int
    ticket: NoticeTicketOut
    target: Metric = Field(description="The SLA target the notice is about.")
    moment: Moment = Field(description="`warning`: the target is close; `breach`: it was missed.")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_ticket(notice: Notice) -> dict[str, Any]:
        visible = bool(getattr(notice, "ticket_visible", False))
        return {
            "id": notice.ticket_id,
            "reference": notice.ticket.reference,
            "subject": notice.ticket.subject if visible else None,
        }

    @staticmethod
    def resolve_target(notice: Notice) -> str:
        return notice.clock.metric


class NoticeList(Schema):
    items: list[NoticeOut]
    next: str | None


class NoticeFilters(Schema):
    unread: bool | None = Field(
        None, description="true: the unread notices only; false: the read ones only."
    )


class ReadIn(Schema):
    ids: list[NoticeId] | None = Field(
        None, max_length=MAX_IDS, description="Notices to mark read (the caller's own)."
    )
    all: StrictBool | None = Field(None, description="true: every unread notice of the caller.")

    @model_validator(mode="after")
    def ids_or_all(self) -> ReadIn:
        if (self.ids is None) == (self.all is not True):
            raise ValueError('Send either "ids": [...] or "all": true.')
        return self


class ReadOut(Schema):
    marked: int = Field(description="Notices marked read now (those already read are not).")
    unread: int = Field(description="The caller's notices still unread.")


@router.get("/notices", response={200: NoticeList, **ERRORS}, summary="List my SLA notices")
def list_notices(
    request: AuthenticatedRequest, filters: Query[NoticeFilters], page: Query[PageParams]
) -> dict:
    """The caller's own notices (from the SLA escalations), oldest first like
    every list, read on with `next`."""
    require_notices(request.user)
    queryset = notices_for(request.user)
    if filters.unread is not None:
        queryset = queryset.filter(read_at__isnull=filters.unread)
    return paginate(queryset, page.cursor, page.limit)


@router.post("/notices/read", response={200: ReadOut, **ERRORS}, summary="Mark SLA notices read")
def mark_read(request: AuthenticatedRequest, body: ReadIn) -> dict:
    """`{"ids": [...]}` marks those; `{"all": true}` every unread one. An id
    that is not one of the caller's notices answers 404 and nothing changes;
    marking a notice read again keeps its first time."""
    require_notices(request.user)
    ids = None if body.all else access_notices(request.user, body.ids or [])
    marked = do_mark_notices_read(request.user, ids)
    return {"marked": marked, "unread": unread_count(request.user)}
