"""The business-hours clock: when a desk is open, how far a stretch of
working time reaches (a deadline) and how much working time lies between
two moments (a duration). One clock for every part that asks: a missed
call's callback, the SLA clocks, the reports. Which calendar a conversation
goes by is decided in one place too: conversation_calendar.

A Schedule is a week of opening periods in a time zone, closed on the public
holidays of a country and on its own days off. The default one comes from
the BUSINESS_HOURS setting, such as "mon-fri 08:00-18:00; sat 09:00-13:00",
in TIME_ZONE, with the holidays of HOLIDAY_COUNTRY (Poland by default);
calendars in the database (core.models.Calendar) make others.

All arithmetic is on instants (UTC), never on wall-clock times: a working day
that spans the night the clocks change is an hour longer or shorter, as the
people working it find it. A wall time that does not exist (02:30 on the
night of the spring change) is read as the instant it would have been.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_MINUTES = 24 * 60
# How far ahead a deadline is looked for: a calendar open less than once in
# this many days has no open hours worth the name.
MAX_DAYS = 800

_PART = re.compile(r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<periods>.+)$")
_PERIOD = re.compile(r"^(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})$")

Period = tuple[int, int]  # minutes from midnight: opens, closes (up to 24:00)


class WeekError(ValueError):
    """A week that cannot be read; the message says what and where."""


@dataclass(frozen=True)
class Week:
    # For each weekday (Monday 0), its opening periods, sorted, not overlapping.
    days: tuple[tuple[Period, ...], ...]

    def is_empty(self) -> bool:
        return not any(self.days)

    def as_text(self) -> str:
        """The week written as parse_week reads it."""
        parts = []
        for index, periods in enumerate(self.days):
            if periods:
                parts.append(f"{DAYS[index]} " + ", ".join(map(_period_text, periods)))
        return "; ".join(parts)


def _minutes(text: str, part: str) -> int:
    hours, minutes = (int(piece) for piece in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise WeekError(_('no such time as %(time)s in "%(part)s"') % {"time": text, "part": part})
    return hours * 60 + minutes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _period_text(period: Period) -> str:
    return f"{_clock(period[0])}-{_clock(period[1])}"


def read_week(text: str) -> Week:
    """ "mon-fri 08:00-12:00, 13:00-17:00; sat 09:00-13:00" → a Week.
    WeekError names what it cannot read: a part, a time, a period that
    closes before it opens, or periods of one day that overlap."""
    days: list[list[Period]] = [[] for _ in DAYS]
    for part in filter(None, (piece.strip().lower() for piece in text.split(";"))):
        match = _PART.match(part)
        if match is None or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise WeekError(
                _('cannot read "%(part)s" (write like "mon-fri 08:00-18:00")') % {"part": part}
            )
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"]) if match["last"] else first
        if last < first:
            raise WeekError(
                _('"%(part)s": the days run backwards (write "mon-fri", not "fri-mon")')
                % {"part": part}
            )
        for piece in (piece.strip() for piece in match["periods"].split(",")):
            period = _PERIOD.match(piece)
            if period is None:
                raise WeekError(
                    _('cannot read the hours "%(hours)s" in "%(part)s" (write 08:00-18:00)')
                    % {"hours": piece, "part": part}
                )
            opens = _minutes(period["opens"], part)
            closes = _minutes(period["closes"], part)
            if closes <= opens:
                raise WeekError(
                    _('"%(hours)s" in "%(part)s" closes before it opens')
                    % {"hours": piece, "part": part}
                )
            for day in range(first, last + 1):
                days[day].append((opens, closes))
    for index, periods in enumerate(days):
        periods.sort()
        for (_opens, closes), (next_opens, _closes) in pairwise(periods):
            if next_opens < closes:
                raise WeekError(_("the hours of %(day)s overlap") % {"day": DAYS[index]})
    return Week(tuple(tuple(periods) for periods in days))


def parse_week(text: str) -> Week:
    """The BUSINESS_HOURS setting as a Week; ImproperlyConfigured naming
    what it cannot read."""
    try:
        week = read_week(text)
    except WeekError as error:
        raise ImproperlyConfigured(f"BUSINESS_HOURS: {error}.") from error
    if week.is_empty():
        raise ImproperlyConfigured("BUSINESS_HOURS has no open hours.")
    return week


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True)
class Schedule:
    week: Week
    zone: ZoneInfo
    country: str = ""  # whose public holidays are closed ("" none)
    days_off: frozenset[date] = field(default_factory=frozenset)

    def is_closed_day(self, day: date) -> bool:
        return day in self.days_off or day in _holidays(self.country, day.year)

    def periods_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The day's opening periods as instants (UTC)."""
        return _periods_on(self, day)

    def is_open(self, at: datetime) -> bool:
        at = _utc(at)
        return any(opens <= at < closes for opens, closes in self.periods_on(self._day(at)))

    def add(self, at: datetime, working: timedelta) -> datetime:
        """The moment `working` time of open hours after `at` (counted from
        the next opening when `at` is out of hours), in UTC: a moment in the
        schedule's zone inside the hour that repeats in autumn would compare
        unequal to the same instant in any other zone (PEP 495).
        ValueError when the schedule is never open."""
        if working < timedelta(0):
            raise ValueError("working time to add cannot be negative")
        at, left = _utc(at), working
        day = self._day(at)
        for _attempt in range(MAX_DAYS):
            for opens, closes in self.periods_on(day):
                # A moment at closing time still belongs to its period: work
                # that ended there, plus none, ends there too (additivity).
                if closes < at:
                    continue
                start = max(opens, at)
                if start + left <= closes:
                    return start + left
                left -= closes - start
            day += timedelta(days=1)
        raise ValueError(f"no open hours in the {MAX_DAYS} days after {at:%Y-%m-%d}")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The open time from `start` to `end` (nothing when end is not later)."""
        start, end, total = _utc(start), _utc(end), timedelta(0)
        if end <= start:
            return total
        day, last = self._day(start), self._day(end)
        while day <= last:
            for opens, closes in self.periods_on(day):
                overlap = min(closes, end) - max(opens, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def next_open(self, at: datetime) -> datetime:
        """`at` when open, else the next opening (in UTC, as `add`)."""
        at = _utc(at)
        day = self._day(at)
        for _attempt in range(MAX_DAYS):
            for opens, closes in self.periods_on(day):
                if at < closes:
                    return max(opens, at)
            day += timedelta(days=1)
        raise ValueError(f"no open hours in the {MAX_DAYS} days after {at:%Y-%m-%d}")

    def _day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()


def _utc(at: datetime) -> datetime:
    """The moment in UTC: arithmetic on a zone's datetimes is on wall-clock
    time, which is wrong across a change of the clocks."""
    if at.tzinfo is None:
        raise ValueError("the clock needs aware datetimes")
    return at.astimezone(UTC)


@lru_cache(maxsize=8192)
def _periods_on(schedule: Schedule, day: date) -> tuple[tuple[datetime, datetime], ...]:
    if schedule.is_closed_day(day):
        return ()
    periods = []
    for opens, closes in schedule.week.days[day.weekday()]:
        start, end = _instant(day, opens, schedule.zone), _instant(day, closes, schedule.zone)
        if start < end:  # a period inside the hour the spring change skips is no time
            periods.append((start, end))
    return tuple(periods)


def _instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    if minutes >= DAY_MINUTES:
        day, minutes = day + timedelta(days=1), minutes - DAY_MINUTES
    local = datetime.combine(day, time(minutes // 60, minutes % 60), zone)
    return local.astimezone(UTC)


@cache
def _settings_schedule(text: str, zone: str, country: str) -> Schedule:
    return Schedule(parse_week(text), ZoneInfo(zone), country)


def default_schedule() -> Schedule:
    """The desk's hours from the settings (BUSINESS_HOURS, TIME_ZONE,
    HOLIDAY_COUNTRY)."""
    return _settings_schedule(settings.BUSINESS_HOURS, settings.TIME_ZONE, settings.HOLIDAY_COUNTRY)


def is_open(at: datetime) -> bool:
    """Whether the desk is open at this moment (the default schedule)."""
    return default_schedule().is_open(at)


def schedule_of(calendar: Any) -> Schedule:
    """A core.models.Calendar as a Schedule; read again whenever the calendar
    is saved (its days off too: saving them touches the calendar)."""
    return _calendar_schedule(
        calendar.pk,
        calendar.updated_at,
        calendar.hours,
        calendar.time_zone,
        calendar.holiday_country,
    )


@lru_cache(maxsize=256)
def _calendar_schedule(
    pk: int, _updated_at: datetime, hours: str, zone: str, country: str
) -> Schedule:
    from carebase.core.models import DayOff

    days_off = frozenset(DayOff.objects.filter(calendar_id=pk).values_list("day", flat=True))
    return Schedule(read_week(hours), ZoneInfo(zone), country, days_off)


def schedule_for_team(team: Any) -> Schedule:
    """The team's calendar, or the desk's default hours: for what has a
    team and no client yet (the chat widget before the visitor is known)."""
    calendar = getattr(team, "calendar", None) if team is not None else None
    return schedule_of(calendar) if calendar is not None else default_schedule()


def calendar_serving(tier: str | None) -> Any:
    """The calendar that serves the clients of an organization tier, or None.
    One indexed query and no cache: a cache in one process would not hear of
    a calendar saved in another (the web and the task worker), and a stale
    answer would start a clock on the wrong hours."""
    if not tier:
        return None
    from carebase.core.models import Calendar

    return Calendar.objects.filter(tiers__tier=tier).first()


def conversation_calendar(*, team: Any, tier: str | None, policy_calendar: Any = None) -> Any:
    """The calendar a conversation goes by, the first there is of: the SLA
    policy's own calendar (for its clocks: the rules' conditions pass none),
    the calendar serving the requester organization's tier, the team's
    calendar. None: the desk's default hours. The one place that decides,
    for the SLA clocks and the business-hours condition alike."""
    if policy_calendar is not None:
        return policy_calendar
    served = calendar_serving(tier)
    if served is not None:
        return served
    return getattr(team, "calendar", None) if team is not None else None


def conversation_schedule(*, team: Any, tier: str | None, policy_calendar: Any = None) -> Schedule:
    """conversation_calendar as a Schedule (the desk's default hours when none)."""
    calendar = conversation_calendar(team=team, tier=tier, policy_calendar=policy_calendar)
    return schedule_of(calendar) if calendar is not None else default_schedule()
