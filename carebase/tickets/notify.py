"""Who hears about a conversation's change, and how: a live notice in the
agent's open pages and an email, both after the change commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from carebase.core.realtime import (
    ALL_TEAMS_GROUP,
    TRIAGE_GROUP,
    send_to_group,
    send_to_user,
    team_group,
)

_muted: ContextVar[bool] = ContextVar("ticket_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No notices or emails inside (seeding demo data, importing history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def announce(ticket: Any) -> None:
    """Tell the open inboxes that see this ticket that it changed."""
    if _muted.get():
        return
    payload = {"ticket": ticket.pk}
    send_to_group(ALL_TEAMS_GROUP, "tickets_changed", payload)
    if ticket.team_id is not None:
        send_to_group(team_group(ticket.team_id), "tickets_changed", payload)
    else:
        # No team yet: it is in everyone's triage pool (one group, not a send
        # per team: email arrives by the hundred a minute).
        send_to_group(TRIAGE_GROUP, "tickets_changed", payload)


def notify(
    kind: str,
    ticket_id: int,
    *,
    user_id: int | None = None,
    message_id: int | None = None,
    toast: str = "",
) -> None:
    """kind: "assigned" (to user_id), "customer_replied" (to user_id, the
    assignee) or "agent_replied" (to the requester, about message_id)."""
    if _muted.get():
        return
    if user_id is not None and toast:
        send_to_user(user_id, kind, {"ticket": ticket_id, "toast": toast})
    from carebase.tickets.tasks import send_ticket_email

    transaction.on_commit(lambda: send_ticket_email.enqueue(kind, ticket_id, user_id, message_id))
