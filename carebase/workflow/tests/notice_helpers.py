"""A policy whose escalations tell people, conversations that miss it, and
the sweep at a chosen moment, for the SLA notices' tests.

The policy counts calendar time (day and night), so that the moments read
simply: a conversation opened at 9:00 is warned at 9:45 and breached at 10:00."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from carebase.accounts.models import Team
from carebase.crm.models import Contact
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import Ticket
from carebase.workflow.models import SlaPolicy
from carebase.workflow.policies import PolicyData, do_save_policy
from carebase.workflow.sweep import SweepResult, sweep
from carebase.workflow.tests.feature_helpers import organization, person

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


# Monday 7 December 2026: a plain working day.
OPENED = at(2026, 12, 7, 9, 0)
WARNED = at(2026, 12, 7, 9, 50)  # the first response is due at 10:00, warned from 9:45
BREACHED = at(2026, 12, 7, 10, 5)


def policy(*escalations: tuple[str, str, str]) -> SlaPolicy:
    return do_save_policy(
        PolicyData(
            name="Standard",
            targets={("first_response", "normal"): 60, ("resolution", "normal"): 960},
            business_hours=False,
            warning_minutes=15,
            escalations=list(
                escalations
                or [
                    ("warning", "", "notify_assignee"),
                    ("breach", "", "notify_assignee"),
                ]
            ),
        ),
        actor=None,
    )


def team(slug: str, *members: Any, lead: Any = None) -> Team:
    made = Team.objects.create(name=slug.title(), slug=slug, kind="support", lead=lead)
    made.members.add(*members)
    return made


def conversation(
    subject: str = "Rozmowy się nie nagrywają",
    *,
    assignee: Any = None,
    team: Team | None = None,
    opened: datetime = OPENED,
) -> Ticket:
    """Opened at `opened` by a customer of Acme, waiting for its first answer."""
    with time_machine.travel(opened, tick=False):
        return do_create_ticket(
            subject=subject,
            body="Od wczoraj nie ma nagrań rozmów.",
            requester=_requester(),
            channel="email",
            priority="normal",
            team=team,
            assignee=assignee,
        )


def _requester() -> Contact:
    found = Contact.objects.filter(name="Jan Kowalski").first()
    return found or person("Jan Kowalski", organization("Acme", "1200"))


def sweep_at(moment: datetime) -> SweepResult:
    with time_machine.travel(moment, tick=False):
        return sweep()
