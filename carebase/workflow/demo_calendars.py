"""The demo's calendar for the top tiers: strategic and key clients are
served from 7:00 to 22:00 every day, public holidays too, whatever their
conversation's team; the other clients keep their team's hours. Seeded
once, before the SLA policies start the demo's clocks, so that the top
tiers' clocks run on it."""

from __future__ import annotations

from typing import Any

from carebase.core.hours import calendar_serving
from carebase.core.models import Calendar
from carebase.crm.models import Tier
from carebase.workflow.calendars import CalendarData, do_save_calendar

PREMIUM = "Premium — codziennie 7:00-22:00"
PREMIUM_HOURS = "mon-sun 07:00-22:00"
PREMIUM_TIERS = [Tier.STRATEGIC, Tier.KEY]


def seed(context: Any = None) -> Calendar:
    calendar = Calendar.objects.filter(name=PREMIUM).first()
    if calendar is not None:
        return calendar
    # A tier someone has already given to a calendar of theirs stays there:
    # the demo never takes it away (nor is refused for asking).
    free = [tier.value for tier in PREMIUM_TIERS if calendar_serving(tier.value) is None]
    return do_save_calendar(
        CalendarData(
            name=PREMIUM,
            hours=PREMIUM_HOURS,
            holiday_country="",  # every day means the public holidays too
            tiers=free,
        ),
        actor=None,
    )
