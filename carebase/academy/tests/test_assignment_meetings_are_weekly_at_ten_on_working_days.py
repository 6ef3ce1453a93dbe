"""Assigning a plan schedules the mentor's meetings: every 7 days (or the
interval chosen) from the start, at 10:00 Warsaw time, over the plan's
length rounded up to whole weeks (at least one), each moved forward past
weekends and Polish holidays."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from carebase.academy.actions_plans import do_assign_plan
from carebase.academy.tests.academy_helpers import make_plan
from carebase.core.roles import Role
from carebase.testing import make_user

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def _meetings(assignment):
    return [meeting.scheduled_at.astimezone(WARSAW) for meeting in assignment.meetings.all()]


def test_a_ten_day_plan_has_a_meeting_each_week(mentor, trainee):
    # 2 November 2026 is a Monday; with Independence Day on the 11th, day 10
    # is Monday the 16th: three weeks from the start.
    assignment = do_assign_plan(
        make_plan(days=10), trainee=trainee, mentor=mentor, start_date=date(2026, 11, 2)
    )
    assert _meetings(assignment) == [
        datetime(2026, 11, 9, 10, tzinfo=WARSAW),
        datetime(2026, 11, 16, 10, tzinfo=WARSAW),
        datetime(2026, 11, 23, 10, tzinfo=WARSAW),
    ]


def test_a_meeting_on_christmas_moves_to_the_next_working_day(mentor, trainee):
    assignment = do_assign_plan(
        make_plan(days=3), trainee=trainee, mentor=mentor, start_date=date(2026, 12, 17)
    )
    assert _meetings(assignment) == [datetime(2026, 12, 28, 10, tzinfo=WARSAW)]


def test_meetings_every_three_days_never_fall_twice_on_one_day(mentor):
    trainee = make_user("trainee9", Role.TRAINEE)
    assignment = do_assign_plan(
        make_plan(days=5),
        trainee=trainee,
        mentor=mentor,
        start_date=date(2026, 11, 2),
        meeting_every_days=3,
    )
    # Every 3 days over 7 from Monday 2 November: Thursday 5th, Sunday 8th
    # (moved to Monday 9th), Wednesday 11th (Independence Day: Thursday 12th).
    assert [moment.date() for moment in _meetings(assignment)] == [
        date(2026, 11, 5),
        date(2026, 11, 9),
        date(2026, 11, 12),
    ]
