"""What the queue's rules show beside a conversation: why it has its
priority, and its SLA clocks with the time left."""

from __future__ import annotations

from html import escape
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import Panel
from carebase.tickets.models import EventKind, Ticket
from carebase.workflow.models import ClockState, SlaClock
from carebase.workflow.rules import priority_given
from carebase.workflow.sla import clock_text, colour, shown_state


def clock_rows(ticket: Ticket, now: Any = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    rows = []
    clocks = (
        SlaClock.objects.filter(ticket=ticket)
        .exclude(state=ClockState.CANCELLED)
        .select_related("calendar")
    )
    for clock in clocks.order_by("started_at", "id"):
        rows.append(
            {
                "clock": clock,
                "state": shown_state(clock, now),
                "colour": colour(clock, now),
                "text": clock_text(clock, now),
            }
        )
    return rows


# Which clock an inbox row speaks of: an overdue one first, then the nearest
# deadline, then a paused one.
_NOTE_ORDER = {"red": 0, "amber": 1, "ok": 2, "paused": 3}


def sla_row_notes(ids: list[int]) -> dict[int, str]:
    """tickets.panels.register_row_notes: under each row's priority, its most
    pressing clock ("25 min left", "overdue 1 h 5 min", "SLA paused"), in
    the clock's colour. One query a page."""
    if not ids:
        return {}
    now = timezone.now()
    clocks = (
        SlaClock.objects.filter(ticket_id__in=ids, stopped_at__isnull=True)
        .exclude(state=ClockState.CANCELLED)
        .select_related("calendar")
        .only(
            "ticket_id",
            "metric",
            "state",
            "due_at",
            "warn_at",
            "business_hours",
            "policy_name",
            "stopped_at",
            "calendar",
        )
    )
    pressing: dict[int, tuple[tuple[int, Any], SlaClock, str]] = {}
    for clock in clocks:
        shade = colour(clock, now)
        if shade not in _NOTE_ORDER:
            continue
        rank = (_NOTE_ORDER[shade], clock.due_at or now)
        if clock.ticket_id not in pressing or rank < pressing[clock.ticket_id][0]:
            pressing[clock.ticket_id] = (rank, clock, shade)
    notes = {}
    for ticket_id, (_rank, clock, shade) in pressing.items():
        text = _("SLA paused") if shade == "paused" else clock_text(clock, now)
        title = f"{clock.get_metric_display()} · {clock.policy_name}"
        notes[ticket_id] = (
            f'<small class="sla-note sla-{shade}" title="{escape(title)}">{escape(text)}</small>'
        )
    return notes


def sla_panel(ticket: Ticket, user: Any) -> Panel | None:
    if not has_perm(user, Perm.VIEW_TICKETS):
        return None
    setter = None
    given = False
    if not ticket.priority_reason:
        setter = (
            ticket.events.filter(kind=EventKind.PRIORITY_CHANGED)
            .select_related("actor")
            .order_by("-created_at", "-id")
            .first()
        )
        if setter is None:  # never changed: chosen only if given on arrival
            given = priority_given(ticket)
    return Panel(
        "workflow/_ticket_sla.html",
        {
            "ticket": ticket,
            "clocks": clock_rows(ticket),
            "priority_set_by": setter,
            "priority_given": given,
        },
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
