"""Business calendars over the REST API: list and read them (staff), and
create, replace and delete them (those who set the queue's rules), with
the teams that work by them and the organization tiers they serve."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id
from carebase.core.access import Perm, is_staff_member, require_perm
from carebase.core.models import Calendar
from carebase.crm.models import Tier
from carebase.workflow.calendars import (
    CalendarData,
    do_delete_calendar,
    do_save_calendar,
    tiers_of,
)

router = Router(tags=["calendars"])

# A plain string checked by the calendar's writer, so that a value that is no
# tier is refused at its field like every other complaint about a calendar;
# the schema still lists the values.
TierValue = Annotated[str, Field(max_length=16, json_schema_extra={"enum": list(Tier.values)})]


class DayOffSchema(Schema):
    day: date
    name: str = Field("", max_length=100)


class CalendarIn(Schema):
    name: str = Field(max_length=100)
    hours: str = Field(
        max_length=500,
        description='Opening periods by day, such as "mon-fri 08:00-12:00, 13:00-17:00; '
        'sat 09:00-13:00" (00:00-24:00: the whole day).',
        examples=["mon-fri 08:00-18:00"],
    )
    time_zone: str = Field("Europe/Warsaw", max_length=64, description="An IANA time zone.")
    holiday_country: str = Field(
        "PL", max_length=8, description="Whose public holidays are closed; empty for none."
    )
    days_off: list[DayOffSchema] = Field(default_factory=list, max_length=1000)
    teams: list[Id] | None = Field(
        None, description="The teams that work by it; left out: unchanged.", max_length=500
    )
    tiers: list[TierValue] | None = Field(
        None,
        description="The organization tiers whose clients it serves, before their team's "
        "calendar (an SLA policy's own calendar still comes first); left out: unchanged. "
        "A tier is served by one calendar at most.",
        max_length=20,
        examples=[["strategic", "key"]],
    )


class CalendarOut(Schema):
    id: int
    name: str
    hours: str
    time_zone: str
    holiday_country: str
    days_off: list[DayOffSchema]
    teams: list[int]
    tiers: list[TierValue] = Field(description="The organization tiers it serves.")
    updated_at: datetime

    @staticmethod
    def resolve_days_off(calendar: Calendar) -> list[dict]:
        return [{"day": day.day, "name": day.name} for day in calendar.days_off.all()]

    @staticmethod
    def resolve_teams(calendar: Calendar) -> list[int]:
        return sorted(team.pk for team in calendar.teams.all())

    @staticmethod
    def resolve_tiers(calendar: Calendar) -> list[str]:
        return tiers_of(calendar)


def _staff(request: AuthenticatedRequest) -> None:
    if not is_staff_member(request.user):
        raise HttpError(403, "Only staff see the business calendars.")


def _data(body: CalendarIn) -> CalendarData:
    return CalendarData(
        name=body.name,
        hours=body.hours,
        time_zone=body.time_zone,
        holiday_country=body.holiday_country,
        days_off=[(day.day, day.name) for day in body.days_off],
        teams=list(body.teams) if body.teams is not None else None,
        tiers=list(body.tiers) if body.tiers is not None else None,
    )


def _calendars():
    return Calendar.objects.prefetch_related("days_off", "teams", "tiers")


@router.get("/calendars", response={200: list[CalendarOut], **ERRORS}, summary="List calendars")
def list_calendars(request: AuthenticatedRequest) -> list[Calendar]:
    _staff(request)
    return list(_calendars())


@router.get(
    "/calendars/{calendar_id}", response={200: CalendarOut, **ERRORS}, summary="Get a calendar"
)
def get_calendar(request: AuthenticatedRequest, calendar_id: Id) -> Calendar:
    _staff(request)
    return get_object_or_404(_calendars(), pk=calendar_id)


@router.post("/calendars", response={201: CalendarOut, **ERRORS}, summary="Create a calendar")
def create_calendar(request: AuthenticatedRequest, body: CalendarIn) -> Status:
    """Refused with 422, each complaint at its field, and nothing saved:
    unreadable or overlapping hours, a week with no open hours, an unknown
    time zone or holiday country, a day off listed twice, an unknown team, a
    value that is no organization tier, a tier another calendar serves (the
    message names it)."""
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    calendar = do_save_calendar(_data(body), actor=request.user)
    return Status(201, _calendars().get(pk=calendar.pk))


@router.put(
    "/calendars/{calendar_id}", response={200: CalendarOut, **ERRORS}, summary="Replace a calendar"
)
def replace_calendar(request: AuthenticatedRequest, calendar_id: Id, body: CalendarIn) -> Calendar:
    """Teams and tiers left out stay as they are; refused as on create."""
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    calendar = get_object_or_404(Calendar, pk=calendar_id)
    do_save_calendar(_data(body), actor=request.user, instance=calendar)
    return _calendars().get(pk=calendar.pk)


@router.delete(
    "/calendars/{calendar_id}", response={204: None, **ERRORS}, summary="Delete a calendar"
)
def delete_calendar(request: AuthenticatedRequest, calendar_id: Id) -> Status:
    """Its teams fall back to the desk's default hours (BUSINESS_HOURS); the
    clients of its tiers to their team's calendar."""
    require_perm(request.user, Perm.CONFIGURE_WORKFLOW)
    calendar = get_object_or_404(Calendar, pk=calendar_id)
    do_delete_calendar(calendar, actor=request.user)
    return Status(204, None)
