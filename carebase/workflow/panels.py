"""What the queue's rules show beside a conversation: why it has its
priority, and its SLA clocks with the time left."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import Panel
from carebase.tickets.models import EventKind, Ticket
from carebase.workflow.models import ClockState, SlaClock
from carebase.workflow.sla import colour, shown_state, time_left


def clock_rows(ticket: Ticket, now: Any = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    rows = []
    clocks = SlaClock.objects.filter(ticket=ticket).exclude(state=ClockState.CANCELLED)
    for clock in clocks.order_by("started_at", "id"):
        left = time_left(clock, now)
        minutes = None if left is None else int(left.total_seconds() // 60)
        rows.append(
            {
                "clock": clock,
                "state": shown_state(clock, now),
                "colour": colour(clock, now),
                "left_minutes": minutes,
                "overdue_minutes": -minutes if minutes is not None and minutes < 0 else 0,
            }
        )
    return rows


def sla_panel(ticket: Ticket, user: Any) -> Panel | None:
    if not has_perm(user, Perm.VIEW_TICKETS):
        return None
    setter = None
    if not ticket.priority_reason:
        setter = (
            ticket.events.filter(kind=EventKind.PRIORITY_CHANGED)
            .select_related("actor")
            .order_by("-created_at", "-id")
            .first()
        )
    return Panel(
        "workflow/_ticket_sla.html",
        {"ticket": ticket, "clocks": clock_rows(ticket), "priority_set_by": setter},
        order=10,
    )


def sla_json(ticket: Ticket) -> list[dict[str, Any]]:
    """The ticket API's "sla": its clocks, the cancelled left out (prefetched
    in lists as "sla_clocks")."""
    now = timezone.now()
    return [
        {
            "target": clock.metric,
            "due_at": clock.due_at,
            "state": shown_state(clock, now),
            "policy": clock.policy_name,
            "minutes": clock.target_minutes,
            "business_hours": clock.business_hours,
            "started_at": clock.started_at,
            "stopped_at": clock.stopped_at,
        }
        for clock in sorted(ticket.sla_clocks.all(), key=lambda c: (c.started_at, c.pk))
        if clock.state != ClockState.CANCELLED
    ]
