"""Where trainees stand in their onboarding plans.

Plan days are working days: Monday to Friday, less the public holidays and
days off of the desk's calendar (`core.hours.default_schedule`). Day 1 is
the start date when it is a working day, else the next working day. On a
weekend or a holiday the plan day is that of the last working day before.

An item is *behind* once its day has passed undone: today's items are
today's work, not yet a delay. "Behind by" is told three ways: the number
of such items, their estimated minutes, and in working days, how many plan
days back the oldest of them is. Lunch and admin time fill the day but are
nobody's progress, so they count in none of these figures.

`progress_of` counts in the database, with a fixed number of queries
however many trainees there are: one for the distinct start dates (whose
plan day is worked out here, a few per cohort) and one that annotates every
assignment with its counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from carebase.academy.models import BREAK_KINDS, Assignment, Meeting
from carebase.core.hours import Schedule, default_schedule

# Far enough for any plan; a calendar closed for longer is a broken calendar.
MAX_SEARCH_DAYS = 800

# Colours of "behind by" in working days: amber from one day, red from two.
AMBER_DAYS = 1
RED_DAYS = 2


def is_working_day(day: date, schedule: Schedule | None = None) -> bool:
    """Monday to Friday, not a public holiday nor a day off of the calendar.
    Onboarding follows office days even where the desk opens on Saturdays:
    the Saturday shift is staffed by agents already trained."""
    schedule = schedule or default_schedule()
    return day.weekday() < 5 and not schedule.is_closed_day(day)


def next_working_day(day: date, schedule: Schedule | None = None) -> date:
    """The day itself when it is a working day, else the next one."""
    schedule = schedule or default_schedule()
    for _step in range(MAX_SEARCH_DAYS):
        if is_working_day(day, schedule):
            return day
        day += timedelta(days=1)
    raise ValueError(f"no working day in the {MAX_SEARCH_DAYS} days after {day:%Y-%m-%d}")


def working_day_number(start_date: date, today: date) -> int:
    """Today's plan day: 1 on the first working day from the start date, 0
    before it; on a day off, the number of the last working day."""
    schedule = default_schedule()
    first = next_working_day(start_date, schedule)
    if today < first:
        return 0
    # A day at a time: plans run for weeks, and the holidays are a cached set.
    number = 0
    day = first
    while day <= today:
        if is_working_day(day, schedule):
            number += 1
        day += timedelta(days=1)
    return number


def date_of_day(start_date: date, number: int) -> date:
    """The date of plan day `number` (1: the first working day from the start)."""
    if number < 1:
        raise ValueError("plan days are numbered from 1")
    schedule = default_schedule()
    day = next_working_day(start_date, schedule)
    for _step in range(number - 1):
        day = next_working_day(day + timedelta(days=1), schedule)
    return day


def plan_dates(start_date: date, days: int) -> dict[int, date]:
    """{plan day: its date} for days 1..days, in one walk over the calendar."""
    schedule = default_schedule()
    dates: dict[int, date] = {}
    day = start_date
    for number in range(1, days + 1):
        day = next_working_day(day, schedule)
        dates[number] = day
        day += timedelta(days=1)
    return dates


@dataclass(frozen=True)
class Progress:
    """One assignment's figures (non-break items only)."""

    assignment: Assignment
    day: int  # today's plan day (0 before the start)
    days: int  # the plan's length: its last day
    items_done: int
    items_total: int
    minutes_done: int
    minutes_total: int
    today_left: int  # items of today not done
    due_left: int  # items due by the end of today not done (today's and behind)
    behind_items: int  # items of past days not done
    behind_minutes: int
    behind_days: int  # how many plan days back the oldest of them is
    next_meeting: datetime | None

    @property
    def percent(self) -> int:
        """Done, weighted by the estimated minutes (a five-minute item does
        not weigh as a three-hour one); by items when nothing has minutes."""
        if self.minutes_total:
            return int(self.minutes_done * 100 / self.minutes_total)
        if self.items_total:
            return int(self.items_done * 100 / self.items_total)
        return 100

    @property
    def finished(self) -> bool:
        return self.assignment.finished_at is not None

    @property
    def started(self) -> bool:
        return self.day > 0

    @property
    def state(self) -> str:
        """ "ok", "amber" or "red", by the working days behind."""
        if self.behind_days >= RED_DAYS:
            return "red"
        if self.behind_days >= AMBER_DAYS:
            return "amber"
        return "ok"


def _today_day(day_numbers: dict[date, int]) -> Case:
    """Each assignment's plan day today, as a column: a case per start date."""
    return Case(
        *(When(start_date=start, then=Value(number)) for start, number in day_numbers.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def annotated(assignments: QuerySet[Assignment], today: date | None = None) -> QuerySet[Assignment]:
    """The assignments with their progress columns, most behind first. Two
    queries when evaluated: the start dates, then this."""
    today = today or timezone.localdate()
    starts = assignments.order_by().values_list("start_date", flat=True).distinct()
    day_numbers = {start: working_day_number(start, today) for start in starts}
    today_day = _today_day(day_numbers)
    counted = ~Q(items__kind__in=BREAK_KINDS)
    done = Q(items__done_at__isnull=False)
    undone = Q(items__done_at__isnull=True)
    behind = counted & undone & Q(items__day__lt=today_day)
    zero = Value(0)
    next_meeting = (
        Meeting.objects.filter(assignment=OuterRef("pk"), held_at=None)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )
    return (
        assignments.select_related("plan", "trainee", "mentor")
        .annotate(
            plan_day=today_day,
            plan_days=Coalesce(Max("items__day"), zero),
            items_total=Count("items", filter=counted),
            items_done=Count("items", filter=counted & done),
            minutes_total=Coalesce(Sum("items__minutes", filter=counted), zero),
            minutes_done=Coalesce(Sum("items__minutes", filter=counted & done), zero),
            today_left=Count("items", filter=counted & undone & Q(items__day=today_day)),
            due_left=Count("items", filter=counted & undone & Q(items__day__lte=today_day)),
            behind_items=Count("items", filter=behind),
            behind_minutes=Coalesce(Sum("items__minutes", filter=behind), zero),
            oldest_behind=Min("items__day", filter=behind),
            next_meeting_at=Subquery(next_meeting),
        )
        .annotate(
            behind_days=Case(
                When(oldest_behind__isnull=True, then=zero),
                default=F("plan_day") - F("oldest_behind"),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "-behind_days", "-behind_minutes", "-behind_items", "trainee__username", "start_date"
        )
    )


def _progress(row: Any) -> Progress:
    return Progress(
        assignment=row,
        day=row.plan_day,
        days=row.plan_days,
        items_done=row.items_done,
        items_total=row.items_total,
        minutes_done=row.minutes_done,
        minutes_total=row.minutes_total,
        today_left=row.today_left,
        due_left=row.due_left,
        behind_items=row.behind_items,
        behind_minutes=row.behind_minutes,
        behind_days=row.behind_days,
        next_meeting=row.next_meeting_at,
    )


def progress_of(assignments: QuerySet[Assignment], today: date | None = None) -> list[Progress]:
    """The progress of each assignment, most behind first (two queries)."""
    return [_progress(row) for row in annotated(assignments, today)]


def progress_for(assignment: Assignment, today: date | None = None) -> Progress:
    return progress_of(Assignment.objects.filter(pk=assignment.pk), today)[0]


def active_assignments() -> QuerySet[Assignment]:
    """Unfinished assignments of people still working here."""
    return Assignment.objects.filter(finished_at=None, trainee__is_active=True)
