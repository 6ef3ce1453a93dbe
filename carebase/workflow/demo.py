"""Demo business calendars: Support works 8 to 18 with the company's own
days off, Customer Success 9 to 17 with a lunch break; Polish holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.workflow.calendars import CalendarData, do_save_calendar

CALENDARS = [
    (
        "Wsparcie — Warszawa",
        "mon-fri 08:00-18:00",
        [
            (date(2026, 12, 31), "Sylwester: dzień wolny firmy"),
            (date(2027, 1, 2), "Inwentaryzacja"),
        ],
        "support",
    ),
    ("Customer Success — Kraków", "mon-fri 09:00-13:00, 13:30-17:00", [], "success"),
]


def seed(context: Any) -> None:
    for name, hours, days_off, team_slug in CALENDARS:
        if Calendar.objects.filter(name=name).exists():
            continue
        team = Team.objects.filter(slug=team_slug).first()
        do_save_calendar(
            CalendarData(
                name=name,
                hours=hours,
                days_off=days_off,
                teams=[team.pk] if team is not None else None,
            ),
            actor=None,
        )
    from carebase.workflow import demo_calendars

    # Before the clocks: the top tiers' conversations run on their own calendar.
    demo_calendars.seed(context)
    seed_queue_rules(context)
    from carebase.workflow import demo_macros

    demo_macros.seed(context)
    from carebase.workflow import demo_features

    demo_features.seed(context)
    # Last: the conversations above have their clocks by now.
    seed_notices(context)


# Two SLA policies: premium for the top tiers (around the clock for problems
# would need a 24/7 desk; here: tighter targets on business hours), standard
# for everyone else. Minutes of business time, by priority.
STANDARD = {
    "first_response": {"urgent": 30, "high": 60, "normal": 240, "low": 480},
    "next_update": {"urgent": 120, "high": 240, "normal": 480, "low": 960},
    "resolution": {"urgent": 480, "high": 960, "normal": 2400, "low": 4800},
}
PREMIUM = {
    "first_response": {"urgent": 15, "high": 30, "normal": 120, "low": 240},
    "next_update": {"urgent": 60, "high": 120, "normal": 240, "low": 480},
    "resolution": {"urgent": 240, "high": 480, "normal": 1440, "low": 2880},
}


def _targets(table: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
    return {
        (metric, priority): minutes
        for metric, row in table.items()
        for priority, minutes in row.items()
    }


def seed_queue_rules(context: Any) -> None:
    from carebase.tickets.models import Status, Ticket
    from carebase.tickets.notify import muted
    from carebase.tickets.signals import Arrival
    from carebase.workflow.models import SlaClock, SlaPolicy
    from carebase.workflow.policies import PolicyData, do_save_policy
    from carebase.workflow.rules import do_install_default_rules
    from carebase.workflow.sla import refresh_urgency, start_on_arrival

    do_install_default_rules(actor=None)
    if not SlaPolicy.objects.exists():
        do_save_policy(
            PolicyData(
                name="Premium (strategic and key clients)",
                conditions={"tier": ["strategic", "key"]},
                targets=_targets(PREMIUM),
                warning_minutes=15,
                escalations=[
                    ("warning", "", "notify_assignee"),
                    ("breach", "", "notify_lead"),
                    ("breach", "", "notify_head"),
                ],
            ),
            actor=None,
        )
        do_save_policy(
            PolicyData(
                name="Standard",
                targets=_targets(STANDARD),
                warning_minutes=30,
                escalations=[("warning", "", "notify_assignee"), ("breach", "", "notify_lead")],
            ),
            actor=None,
        )
    # The demo's conversations came before the policies: give the ones still
    # waiting for an answer the clocks they would have got on arrival, so
    # that the queue shows running and breached clocks.
    waiting = Ticket.objects.filter(
        status__in=[Status.NEW, Status.OPEN], first_response_at__isnull=True
    ).exclude(pk__in=SlaClock.objects.values("ticket_id"))
    with muted():
        for ticket in waiting.select_related("organization", "team__calendar")[:300]:
            first = ticket.messages.order_by("created_at", "id").first()
            arrival = Arrival(
                ticket=ticket,
                body=first.body_text if first else "",
                source={},
                given=frozenset({"type", "priority", "team"}),
            )
            start_on_arrival(Ticket, arrival=arrival)
            for work in arrival.after_save:
                work(ticket)
            refresh_urgency(ticket)


def seed_notices(context: Any) -> None:
    """Sweep the clocks once, as the worker would have: those past their
    warning or deadline get their timeline events and escalations, so that
    the heads and leads find SLA notices on their home pages. Quietly: the
    demo emails nobody and pops no toast. Idempotent, as the sweep is: a
    clock it marked is never swept again."""
    from carebase.tickets.notify import muted
    from carebase.workflow.sweep import sweep

    with muted():
        sweep(quiet=True)
