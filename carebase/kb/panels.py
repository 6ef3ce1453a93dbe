"""The "Suggested articles" card beside a conversation (registered with
carebase.tickets.panels in KbConfig.ready)."""

from __future__ import annotations

from typing import Any

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import Panel
from carebase.kb.suggest import suggestions
from carebase.tickets.models import Status, Ticket


def agent_context(ticket: Ticket, user: Any) -> dict[str, Any]:
    """What the card and its search results need besides the articles: whether
    the viewer may put them into a reply (an open conversation they work) and
    flag them."""
    works = has_perm(user, Perm.WORK_TICKETS)
    return {
        "ticket": ticket,
        "can_insert": works and ticket.status != Status.CLOSED,
        "can_flag": works,
    }


def suggestions_panel(ticket: Ticket, user: Any) -> Panel | None:
    """Shown to staff who see conversations; the ticket page has already
    loaded the ticket through access_ticket, so the viewer may see it."""
    if not has_perm(user, Perm.VIEW_TICKETS):
        return None
    context = {**agent_context(ticket, user), "suggestions": suggestions(ticket, user)}
    return Panel("kb/agent/_panel.html", context, order=25)
