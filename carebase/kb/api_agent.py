"""The knowledge base beside a conversation, over the REST API: the articles
suggested for a conversation, and flagging an article as outdated.

As on the pages: staff who see conversations read the suggestions (a
customer's token: 403); flagging takes the right to work conversations;
an article or a conversation the caller may not see answers 404."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id
from carebase.core.access import Perm, has_perm
from carebase.kb.access import access_article
from carebase.kb.actions import do_flag_outdated
from carebase.kb.models import ReviewItem
from carebase.kb.suggest import MAX_QUERY_CHARS, Suggestion, find_articles, suggestions
from carebase.tickets.access import access_ticket

router = Router(tags=["knowledge base"])


class SuggestionOut(Schema):
    id: int
    title: str
    url: str = Field(
        description="Absolute. A sendable article's help center page; otherwise the "
        "staff page, for the agent's own reading."
    )
    snippet: str = Field(description="HTML: escaped text, the matching words in `<mark>`.")
    language: str
    visibility: str = Field(description="`public`, `customers`, `internal` or `roles`.")
    sendable: bool = Field(
        description="Whether it may be sent to the client (public and customers' articles)."
    )


class SuggestionList(Schema):
    items: list[SuggestionOut]


class SuggestionFilters(Schema):
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_CHARS,
        description="Search by hand instead of by the conversation's own words.",
    )
    limit: int = Field(5, ge=1, le=20)


class FlagIn(Schema):
    note: str = Field(max_length=5000, description="What is outdated: the owner reads it.")
    ticket: Id | None = Field(None, description="The conversation that showed it.")

    @field_validator("note")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Say what is outdated.")
        return value.strip()


class ReviewItemOut(Schema):
    id: int
    article: int = Field(alias="article_id")
    kind: str
    note: str
    ticket: int | None = Field(None, alias="ticket_id")
    created_at: datetime


def _item(found: Suggestion) -> dict:
    return {
        "id": found.id,
        "title": found.title,
        "url": found.url,
        "snippet": str(found.snippet),
        "language": found.language,
        "visibility": found.visibility,
        "sendable": found.sendable,
    }


@router.get(
    "/tickets/{ticket_id}/kb-suggestions",
    response={200: SuggestionList, **ERRORS},
    summary="Articles suggested for a conversation",
)
def ticket_suggestions(
    request: AuthenticatedRequest, ticket_id: Id, filters: Query[SuggestionFilters]
) -> dict:
    """The articles the caller may read that match the conversation's subject
    and its customer's last message (or `q`), best first, in the requester's
    language when any matches. Internal ones come with `sendable: false`."""
    if not has_perm(request.user, Perm.VIEW_TICKETS):
        raise PermissionDenied("Only staff who see conversations read suggestions.")
    ticket = access_ticket(request.user, ticket_id)
    query = (filters.q or "").strip()
    if query:
        found = find_articles(query, request.user, ticket.requester.language, filters.limit)
    else:
        found = suggestions(ticket, request.user, filters.limit)
    return {"items": [_item(suggestion) for suggestion in found]}


@router.post(
    "/kb/articles/{article_id}/flag",
    response={201: ReviewItemOut, **ERRORS},
    summary="Flag an article as outdated",
)
def flag_article(request: AuthenticatedRequest, article_id: Id, body: FlagIn) -> Status:
    """A review item for the article's owner, linked to the conversation
    when `ticket` is given. Takes the right to work conversations (403);
    an article or conversation the caller does not see: 404."""
    if not has_perm(request.user, Perm.WORK_TICKETS):
        raise PermissionDenied("Only those who work conversations flag articles.")
    article = access_article(request.user, article_id)
    ticket = access_ticket(request.user, body.ticket, work=True) if body.ticket else None
    item: ReviewItem = do_flag_outdated(article, request.user, body.note, ticket)
    return Status(201, item)
