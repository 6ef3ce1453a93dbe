"""Conversations in the search index (see carebase/core/search.py).

A conversation's document holds its subject, its requester's name and
addresses, its organization's name and the text of every message, notes
included: it is searched by staff only. A customer's search (the API's `q`)
looks at the subjects and public replies of the few conversations they can
see, without the index, so that no internal note can ever answer it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from carebase.core import search
from carebase.core.access import Perm, has_perm
from carebase.tickets.models import Message, MessageKind, Ticket

KIND = "ticket"


def _header_texts(ticket: Ticket) -> list[str]:
    requester = ticket.requester
    texts = [ticket.subject, requester.name, *requester.emails]
    if ticket.organization_id is not None and ticket.organization is not None:
        texts.append(ticket.organization.name)
    return texts


def _header_terms(ticket: Ticket) -> set[str]:
    return search.terms(*_header_texts(ticket))


def index_new_ticket(ticket: Ticket, body: str) -> None:
    if search.is_indexing_later():
        _index_later(ticket, [*_header_texts(ticket), body])
        return
    search.set_document(KIND, ticket.pk, _header_terms(ticket) | search.terms(body))


def index_message(ticket: Ticket, body: str) -> None:
    if search.is_indexing_later():
        _index_later(ticket, [body])
        return
    search.add_to_document(KIND, ticket.pk, search.terms(body))


def _index_later(ticket: Ticket, texts: list[str]) -> None:
    """Queued after commit; added to the document (never replacing it), so
    that what the web indexed meanwhile stays."""
    from django.db import transaction

    from carebase.tickets.tasks import index_texts

    ticket_id = ticket.pk
    transaction.on_commit(lambda: index_texts.enqueue(ticket_id, texts))


def add_texts(ticket_id: int, texts: list[str]) -> None:
    search.add_to_document(KIND, ticket_id, search.terms(*texts))


def reindex_ticket(ticket: Ticket) -> None:
    """Rebuild the document from the conversation as it is now."""
    found = _header_terms(ticket)
    for body in ticket.messages.values_list("body_text", flat=True).iterator():
        found |= search.terms(body)
    search.set_document(KIND, ticket.pk, found)


def reindex_all() -> int:
    tickets = Ticket.objects.select_related("requester", "organization").prefetch_related(
        "requester__identities"
    )
    count = 0
    for ticket in tickets.iterator(chunk_size=500):
        reindex_ticket(ticket)
        count += 1
    return count


def search_condition(query: str, user: Any) -> Q | None:
    """The condition for conversations matching a search box's words, or
    "#1042"; None when the query holds nothing to search for."""
    found = search_match(query, user)
    return None if found is None else found.condition


def search_match(query: str, user: Any) -> search.Match | None:
    """search_condition's condition, with a sample of matches for common words
    (see core.search.Match)."""
    query = query.strip()
    number = query.lstrip("#")
    condition = Q(pk=int(number)) if number.isdigit() and len(number) <= 18 else None
    if has_perm(user, Perm.VIEW_TICKETS):
        found = search.find(KIND, query)
        if found is None:
            return None if condition is None else search.Match(condition)
        if condition is None:
            return found
        return search.Match(condition | found.condition, found.sample)
    words_condition = None
    for word in search.words(query)[: search.MAX_QUERY_WORDS]:
        in_public_reply = Exists(
            Message.objects.filter(
                ticket=OuterRef("pk"), kind=MessageKind.REPLY, body_text__icontains=word
            )
        )
        word_condition = Q(subject__icontains=word) | Q(in_public_reply)
        words_condition = (
            word_condition if words_condition is None else words_condition & word_condition
        )
    if words_condition is None:
        return None if condition is None else search.Match(condition)
    return search.Match(words_condition if condition is None else condition | words_condition)
