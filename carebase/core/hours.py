"""The business-hours clock: when the support desk is open, and how far a
number of working minutes reaches. One clock for every part that asks (a
missed call's callback, and the SLA clocks after it).

The week comes from the BUSINESS_HOURS setting, such as
"mon-fri 08:00-18:00; sat 09:00-13:00", in TIME_ZONE; public holidays of
HOLIDAY_COUNTRY (Poland by default) are closed all day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_PART = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})$"
)


@dataclass(frozen=True)
class Week:
    # For each weekday (Monday 0), its opening hours (open, close) or None.
    days: tuple[tuple[time, time] | None, ...]

    def hours_on(self, day: date) -> tuple[time, time] | None:
        if day in _holidays(day.year):
            return None
        return self.days[day.weekday()]


def parse_week(text: str) -> Week:
    """ "mon-fri 08:00-18:00; sat 09:00-13:00" → a Week; ImproperlyConfigured
    naming what it cannot read."""
    days: list[tuple[time, time] | None] = [None] * 7
    for part in filter(None, (piece.strip().lower() for piece in text.split(";"))):
        match = _PART.match(part)
        if match is None or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise ImproperlyConfigured(
                f'BUSINESS_HOURS: cannot read "{part}" (write like "mon-fri 08:00-18:00").'
            )
        try:
            opens = time.fromisoformat(match["opens"].zfill(5))
            closes = time.fromisoformat(match["closes"].zfill(5))
        except ValueError as error:
            raise ImproperlyConfigured(f'BUSINESS_HOURS: no such time in "{part}".') from error
        if closes <= opens:
            raise ImproperlyConfigured(f'BUSINESS_HOURS: "{part}" closes before it opens.')
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"]) if match["last"] else first
        for day in range(first, last + 1):
            days[day] = (opens, closes)
    return Week(tuple(days))


@cache
def _week(text: str) -> Week:
    return parse_week(text)


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(settings.HOLIDAY_COUNTRY, years=year))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _current_week() -> Week:
    return _week(settings.BUSINESS_HOURS)


def is_open(at: datetime) -> bool:
    """Whether the desk is open at this moment."""
    local = at.astimezone(_zone())
    hours = _current_week().hours_on(local.date())
    return hours is not None and hours[0] <= local.time() < hours[1]


def add_business_minutes(at: datetime, minutes: int) -> datetime:
    """The moment `minutes` of open time after `at` (from the next opening
    when `at` is out of hours)."""
    zone = _zone()
    week = _current_week()
    local = at.astimezone(zone)
    left = timedelta(minutes=minutes)
    day = local.date()
    for _ in range(400):  # a year of closed days would be a configuration error
        hours = week.hours_on(day)
        if hours is not None:
            opens = datetime.combine(day, hours[0], zone)
            closes = datetime.combine(day, hours[1], zone)
            start = max(opens, local)
            if start < closes:
                if start + left <= closes:
                    return start + left
                left -= closes - start
        day += timedelta(days=1)
        local = datetime.combine(day, time.min, zone)
    raise ImproperlyConfigured("BUSINESS_HOURS has no open hours.")
