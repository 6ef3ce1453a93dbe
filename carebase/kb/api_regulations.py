"""Regulations read and review items over the REST API.

- acknowledgements: everyone lists and makes their own; editors (who may
  write the knowledge base) list everyone's and see who read a regulation;
- review items: the owner of an article lists and resolves its items;
  editors those of every article (`?owners=all`).
What the caller may not read answers 404, as everywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.core.access import is_staff_member
from carebase.kb.access import access_article, access_review_item, may_edit
from carebase.kb.actions import do_acknowledge, do_resolve_review_item, pending_acknowledgements
from carebase.kb.models import Acknowledgement, ReviewItem, ReviewKind
from carebase.kb.views_regulations import (
    access_regulation_readers,
    open_review_items,
    readers_of,
)
from carebase.tickets.access import tickets_for

router = Router(tags=["knowledge base"])


class AcknowledgementOut(Schema):
    article: int
    version: int
    user: int
    acknowledged_at: datetime

    @staticmethod
    def resolve_article(acknowledgement: Acknowledgement) -> int:
        return acknowledgement.article_id

    @staticmethod
    def resolve_user(acknowledgement: Acknowledgement) -> int:
        return acknowledgement.user_id


class AcknowledgementList(Schema):
    items: list[AcknowledgementOut]
    next: str | None


class AcknowledgementFilters(Schema):
    article: Id | None = Field(None, description="One regulation's acknowledgements.")
    user: Id | None = Field(
        None, description="One person's (editors only; others see only their own)."
    )


class PendingOut(Schema):
    id: int
    title: str
    version: int = Field(description="The live version, the one to read.")
    url: str = Field(description="The page where staff read it and acknowledge it.")

    @staticmethod
    def resolve_url(article: Any) -> str:
        return str(article.get_absolute_url())


class PendingList(Schema):
    items: list[PendingOut]


class ReaderOut(Schema):
    user: int
    name: str
    status: Literal["current", "outdated", "missing"] = Field(
        description="`current`: read since the last significant change; `outdated`: read an "
        "older version and must read again; `missing`: read none."
    )
    version: int | None = Field(description="The highest version the person acknowledged.")
    acknowledged_at: datetime | None

    @staticmethod
    def resolve_user(person: Any) -> int:
        return int(person.pk)

    @staticmethod
    def resolve_name(person: Any) -> str:
        return str(person.get_full_name() or person.username)

    @staticmethod
    def resolve_status(person: Any) -> str:
        return str(person.reading)

    @staticmethod
    def resolve_version(person: Any) -> int | None:
        return person.read_version

    @staticmethod
    def resolve_acknowledged_at(person: Any) -> datetime | None:
        return person.read_at


class ReaderList(Schema):
    items: list[ReaderOut]


class ReviewItemOut(Schema):
    id: int
    article: int
    article_title: str
    kind: ReviewKind
    note: str
    ticket: int | None = Field(
        description="The conversation it was raised from; null when none or not visible to "
        "the caller."
    )
    created_by: int | None
    created_at: datetime
    resolved_at: datetime | None

    @staticmethod
    def resolve_article(item: ReviewItem) -> int:
        return item.article_id

    @staticmethod
    def resolve_article_title(item: ReviewItem) -> str:
        return item.article.title

    @staticmethod
    def resolve_ticket(item: ReviewItem) -> int | None:
        return item.ticket_id if getattr(item, "ticket_visible", False) else None

    @staticmethod
    def resolve_created_by(item: ReviewItem) -> int | None:
        return item.created_by_id


class ReviewItemList(Schema):
    items: list[ReviewItemOut]
    next: str | None


class ReviewFilters(Schema):
    owners: Literal["mine", "all"] = Field(
        "mine", description="`all`: the items of every owner's articles (editors only)."
    )


@router.get(
    "/kb/acknowledgements",
    response={200: AcknowledgementList, **ERRORS},
    summary="List acknowledgements of regulations",
)
def list_acknowledgements(
    request: AuthenticatedRequest,
    filters: Query[AcknowledgementFilters],
    page: Query[PageParams],
) -> dict:
    """Who confirmed having read which version of a regulation, and when.
    Editors read everyone's; anyone else their own only (another person's
    answers 403)."""
    user = request.user
    queryset = Acknowledgement.objects.all()
    if not may_edit(user):
        if filters.user is not None and filters.user != user.pk:
            raise PermissionDenied("You may list only your own acknowledgements.")
        queryset = queryset.filter(user=user)
    if filters.user is not None:
        queryset = queryset.filter(user_id=filters.user)
    if filters.article is not None:
        queryset = queryset.filter(article_id=filters.article)
    return paginate(queryset, page.cursor, page.limit)


@router.post(
    "/kb/articles/{article_id}/acknowledge",
    response={201: AcknowledgementOut, **ERRORS},
    summary="Acknowledge a regulation",
)
def acknowledge(request: AuthenticatedRequest, article_id: Id) -> Status:
    """The caller confirms having read the live version of a regulation
    (again: the same answer). 404 when they may not read it; 422 when it is
    not a published regulation."""
    article = access_article(request.user, article_id)
    return Status(201, do_acknowledge(article, request.user))


@router.get(
    "/kb/regulations/pending",
    response={200: PendingList, **ERRORS},
    summary="List the regulations I have to read",
)
def pending(request: AuthenticatedRequest) -> dict:
    """The live regulations that ask the caller to acknowledge them and that
    they have not acknowledged since their last significant change."""
    return {"items": pending_acknowledgements(request.user)}


@router.get(
    "/kb/regulations/{article_id}/readers",
    response={200: ReaderList, **ERRORS},
    summary="See who read a regulation",
)
def readers(request: AuthenticatedRequest, article_id: Id) -> dict:
    """Every person the regulation asks to acknowledge it, those who read
    none first, then those who must read it again (editors only)."""
    article = access_regulation_readers(request.user, article_id)
    return {"items": list(readers_of(article))}


@router.get(
    "/kb/reviews", response={200: ReviewItemList, **ERRORS}, summary="List open review items"
)
def list_reviews(
    request: AuthenticatedRequest, filters: Query[ReviewFilters], page: Query[PageParams]
) -> dict:
    """The open review items of the caller's own articles; with `owners=all`
    those of every article (editors only, 403 otherwise)."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    everyone = filters.owners == "all"
    if everyone and not may_edit(request.user):
        raise PermissionDenied("Only editors list the review items of every owner.")
    return paginate(open_review_items(request.user, everyone=everyone), page.cursor, page.limit)


@router.post(
    "/kb/reviews/{item_id}/resolve",
    response={200: ReviewItemOut, **ERRORS},
    summary="Resolve a review item",
)
def resolve_review(request: AuthenticatedRequest, item_id: Id) -> ReviewItem:
    """The article's owner or an editor settles the item (again: it keeps its
    first resolution). Anyone else: 404."""
    item = access_review_item(request.user, item_id)
    item = do_resolve_review_item(item, request.user)
    item.ticket_visible = (  # type: ignore[attr-defined]
        item.ticket_id is not None and tickets_for(request.user).filter(pk=item.ticket_id).exists()
    )
    return item
