"""What the tier calendars' tests build: clients of a tier, a team with its
calendar, calendars serving tiers, conversations arriving over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from carebase.accounts.models import Team
from carebase.core.models import Calendar
from carebase.crm.actions import do_create_contact
from carebase.crm.models import Contact, Organization
from carebase.workflow.calendars import CalendarData, do_save_calendar

WARSAW = ZoneInfo("Europe/Warsaw")
# Saturday 6 March 2027: no public holiday near it; Monday is the 8th.
SATURDAY = (2027, 3, 6)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


def calendar(name: str, hours: str, *, tiers: list[str] | None = None) -> Calendar:
    return do_save_calendar(CalendarData(name=name, hours=hours, tiers=tiers), actor=None)


def team_on(hours: str) -> Team:
    team = Team.objects.create(name="Wsparcie", slug="wsparcie", kind="support")
    team.calendar = calendar("Wsparcie — Warszawa", hours)
    team.save(update_fields=["calendar"])
    return team


def client_of(tier: str, email: str) -> Contact:
    organization = Organization.objects.get_or_create(name=f"Klient {tier}", tier=tier)[0]
    return do_create_contact(actor=None, name=email, organization=organization, emails=[email])


def arrive(api: Any, contact: Contact, **extra: Any) -> dict:
    """A conversation of the contact's, opened over the API; its JSON."""
    response = api.post(
        "/tickets",
        {
            "subject": "Centrala nie odbiera",
            "body": "Od rana nie możemy się dodzwonić.",
            "requester": {"email": contact.name, "name": contact.name},
            **extra,
        },
    )
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["organization"] is not None
    return made


def due(api: Any, ticket_id: int, target: str) -> datetime:
    [clock] = [
        item for item in api.get(f"/tickets/{ticket_id}").json()["sla"] if item["target"] == target
    ]
    return datetime.fromisoformat(clock["due_at"])
