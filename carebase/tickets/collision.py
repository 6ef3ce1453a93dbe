"""Two agents on one conversation: who else is viewing it or typing a reply
(presence, kept in the cache so that every server process sees the same,
Redis when set), and the replies another agent sent since a page was
opened, which the second agent sees before theirs goes out.

Pages send `viewing` every PRESENCE_SECONDS / 2 and `typing` while the
reply box changes, up their live socket (core.realtime receivers); each
viewer's page hears `presence` with everyone on the conversation.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from carebase.core.access import Perm, has_perm
from carebase.core.realtime import send_to_group
from carebase.tickets.access import tickets_for
from carebase.tickets.models import Message, MessageKind, Ticket

PRESENCE_SECONDS = 40  # a page that stops saying it is open is gone after this
TYPING_SECONDS = 6


def ticket_group(ticket_id: int) -> str:
    return f"ticket.{ticket_id}"


def _key(ticket_id: int) -> str:
    return f"presence:ticket:{ticket_id}"


def viewers(ticket_id: int) -> list[dict[str, Any]]:
    """Who is on the conversation now: {"user", "name", "typing"}."""
    now = time.time()
    found = cache.get(_key(ticket_id)) or {}
    return [
        {"user": int(user), "name": entry["name"], "typing": entry["typing_until"] > now}
        for user, entry in sorted(found.items(), key=lambda item: item[1]["name"])
        if entry["seen_until"] > now
    ]


def _mark(user: Any, ticket_id: int, *, typing: bool = False, leaving: bool = False) -> None:
    now = time.time()
    key = _key(ticket_id)
    found = {
        user_id: entry
        for user_id, entry in (cache.get(key) or {}).items()
        if entry["seen_until"] > now
    }
    # Read, change, write: two agents marking at the same instant may lose
    # one mark, which the next ping (seconds later) puts back.
    if leaving:
        found.pop(str(user.pk), None)
    else:
        entry = found.get(str(user.pk)) or {"typing_until": 0}
        entry["name"] = user.get_full_name() or user.get_username()
        entry["seen_until"] = now + PRESENCE_SECONDS
        if typing:
            entry["typing_until"] = now + TYPING_SECONDS
        found[str(user.pk)] = entry
    cache.set(key, found, timeout=PRESENCE_SECONDS * 2)
    send_to_group(
        ticket_group(ticket_id), "presence", {"ticket": ticket_id, "viewers": viewers(ticket_id)}
    )


def _ticket_id(user: Any, payload: dict[str, Any]) -> int | None:
    try:
        ticket_id = int(payload["ticket"])
    except (KeyError, TypeError, ValueError):
        return None
    if not has_perm(user, Perm.WORK_TICKETS) or not tickets_for(user).filter(pk=ticket_id).exists():
        return None
    return ticket_id


def joins(user: Any, payload: dict[str, Any]) -> list[str]:
    """The conversation's group, for a page of someone who may work it."""
    ticket_id = _ticket_id(user, payload)
    return [] if ticket_id is None else [ticket_group(ticket_id)]


def on_viewing(user: Any, payload: dict[str, Any]) -> None:
    ticket_id = _ticket_id(user, payload)
    if ticket_id is not None:
        _mark(user, ticket_id, leaving=bool(payload.get("leaving")))


def on_typing(user: Any, payload: dict[str, Any]) -> None:
    ticket_id = _ticket_id(user, payload)
    if ticket_id is not None:
        _mark(user, ticket_id, typing=True)


def replies_since(ticket: Ticket, seen: int | None, user: Any) -> QuerySet[Message]:
    """The public replies other agents added after message `seen` (the last
    one the page showed): what a second reply would cross."""
    if seen is None:
        return Message.objects.none()
    return (
        ticket.messages.filter(pk__gt=seen, kind=MessageKind.REPLY, from_customer=False)
        .exclude(author_user=user)
        .select_related("author_user")
        .order_by("created_at", "id")
    )
