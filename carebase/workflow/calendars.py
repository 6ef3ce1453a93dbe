"""Writing business calendars (core.models.Calendar, read by core.hours):
validated as a whole (a week that can be read and is open at some time, a
real time zone and holiday country, days off once each, known teams,
organization tiers that no other calendar serves), then saved with their
days off, teams and tiers in one transaction, and audited. Bad input
changes nothing and says what is wrong, field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.accounts.models import Team
from carebase.core.events import event_kinds, record_event
from carebase.core.hours import WeekError, read_week
from carebase.core.models import Calendar, CalendarTier, DayOff
from carebase.crm.models import Tier

MAX_DAYS_OFF = 400


@event_kinds
class CalendarEvent(models.TextChoices):
    SAVED = "workflow.calendar_saved", gettext_lazy("Business calendar saved")
    DELETED = "workflow.calendar_deleted", gettext_lazy("Business calendar deleted")


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def holiday_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


@dataclass
class CalendarData:
    name: str
    hours: str
    time_zone: str = "Europe/Warsaw"
    holiday_country: str = "PL"
    days_off: list[tuple[date, str]] = field(default_factory=list)
    teams: list[int] | None = None  # the teams that work by it (None: unchanged)
    tiers: list[str] | None = None  # the organization tiers it serves (None: unchanged)


def clean_calendar(data: CalendarData, *, instance: Calendar | None = None) -> CalendarData:
    """The data tidied, or ValidationError with every complaint by field."""
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("A calendar needs a name.")]
    elif (
        Calendar.objects.filter(name__iexact=name)
        .exclude(pk=instance.pk if instance is not None else 0)
        .exists()
    ):
        errors["name"] = [_("Another calendar is called %(name)s.") % {"name": name}]
    hours = " ".join(data.hours.split())
    try:
        week = read_week(hours)
    except WeekError as error:
        errors["hours"] = [_("These hours cannot be read: %(error)s.") % {"error": error}]
    else:
        if week.is_empty():
            errors["hours"] = [_("A calendar must be open at some time of the week.")]
        else:
            hours = week.as_text()
    zone = data.time_zone.strip()
    if zone not in time_zones():
        errors["time_zone"] = [_("%(zone)s is not a time zone.") % {"zone": zone or '""'}]
    country = data.holiday_country.strip().upper()
    if country and country not in holiday_countries():
        errors["holiday_country"] = [
            _("No public holidays are known for %(country)s.") % {"country": country}
        ]
    days: dict[date, str] = {}
    for day, label in data.days_off:
        if day in days:
            errors.setdefault("days_off", []).append(
                _("%(day)s is listed twice.") % {"day": day.isoformat()}
            )
        days[day] = label.strip()[:100]
    if len(days) > MAX_DAYS_OFF:
        errors.setdefault("days_off", []).append(
            _("At most %(count)s days off.") % {"count": MAX_DAYS_OFF}
        )
    teams = None
    if data.teams is not None:
        teams = sorted(set(data.teams))
        known = set(Team.objects.filter(pk__in=teams).values_list("pk", flat=True))
        if unknown := [pk for pk in teams if pk not in known]:
            errors["teams"] = [_("No such team: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}]
    tiers = None
    if data.tiers is not None:
        tiers, problems = _clean_tiers(data.tiers, instance)
        if problems:
            errors["tiers"] = problems
    if errors:
        raise ValidationError(errors)
    return CalendarData(name, hours, zone, country, sorted(days.items()), teams, tiers)


def _clean_tiers(given: list[str], instance: Calendar | None) -> tuple[list[str], list[str]]:
    """The tiers in Tier's order, and what is wrong with them: a value that
    is no tier, a tier another calendar serves (named, so that the head
    knows where to take it from)."""
    problems = []
    if unknown := [value for value in dict.fromkeys(given) if value not in Tier.values]:
        problems.append(
            _("No such organization tier: %(values)s (the tiers: %(choices)s).")
            % {"values": ", ".join(unknown), "choices": ", ".join(Tier.values)}
        )
    tiers = [value for value in Tier.values if value in given]
    taken = CalendarTier.objects.filter(tier__in=tiers).select_related("calendar")
    if instance is not None:
        taken = taken.exclude(calendar=instance)
    for served in sorted(taken, key=lambda row: Tier.values.index(row.tier)):
        problems.append(
            _("The “%(tier)s” tier is already served by the calendar “%(calendar)s”.")
            % {"tier": Tier(served.tier).label, "calendar": served.calendar.name}
        )
    return tiers, problems


def tiers_of(calendar: Calendar) -> list[str]:
    """The tiers a calendar serves, in Tier's order (use with
    prefetch_related("tiers") in lists)."""
    served = {row.tier for row in calendar.tiers.all()}
    return [value for value in Tier.values if value in served]


def do_save_calendar(
    data: CalendarData, *, actor: Any, instance: Calendar | None = None
) -> Calendar:
    """Create a calendar, or replace one's hours and days off. The clocks
    that run on it read the new hours from their next step; what they
    already recorded stays."""
    data = clean_calendar(data, instance=instance)
    with transaction.atomic():
        calendar = instance or Calendar()
        calendar.name, calendar.hours = data.name, data.hours
        calendar.time_zone, calendar.holiday_country = data.time_zone, data.holiday_country
        calendar.updated_at = timezone.now()
        calendar.save()
        calendar.days_off.all().delete()
        DayOff.objects.bulk_create(
            DayOff(calendar=calendar, day=day, name=label) for day, label in data.days_off
        )
        if data.teams is not None:
            calendar.teams.exclude(pk__in=data.teams).update(calendar=None)
            Team.objects.filter(pk__in=data.teams).update(calendar=calendar)
        if data.tiers is not None:
            _serve_tiers(calendar, data.tiers)
        record_event(
            CalendarEvent.SAVED,
            calendar,
            actor,
            name=calendar.name,
            hours=calendar.hours,
            time_zone=calendar.time_zone,
            holiday_country=calendar.holiday_country,
            days_off=len(data.days_off),
            teams=data.teams,
            tiers=data.tiers if data.tiers is not None else tiers_of(calendar),
        )
    return calendar


def _serve_tiers(calendar: Calendar, tiers: list[str]) -> None:
    calendar.tiers.exclude(tier__in=tiers).delete()
    new = set(tiers) - set(calendar.tiers.values_list("tier", flat=True))
    try:
        # A savepoint: the refusal below must leave the outer transaction usable
        # (on PostgreSQL a failed statement aborts it) to be rolled back whole.
        with transaction.atomic():
            CalendarTier.objects.bulk_create(
                CalendarTier(calendar=calendar, tier=tier) for tier in sorted(new)
            )
    except IntegrityError:
        # Another head gave one of these tiers to another calendar between
        # the check and now: the same refusal as the check's, nothing saved.
        _tiers, problems = _clean_tiers(tiers, calendar)
        if not problems:
            raise
        raise ValidationError({"tiers": problems}) from None


def do_delete_calendar(calendar: Calendar, *, actor: Any) -> None:
    """Delete a calendar; its teams and tiers fall back to the desk's
    default hours (a tier's clients to their team's calendar first)."""
    with transaction.atomic():
        record_event(
            CalendarEvent.DELETED, calendar, actor, name=calendar.name, tiers=tiers_of(calendar)
        )
        try:
            calendar.delete()
        except ProtectedError as error:  # later: an SLA policy that runs on it
            raise ValidationError(_("This calendar is in use.")) from error
