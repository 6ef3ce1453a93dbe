""" "Behind by" counts the items of past working days left undone, their
minutes, and how many working days back the oldest of them is; today's
items are today's work, and lunch and admin time never count. The trainees
page and the API give the same figures."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.academy.actions_plans import do_complete_item
from carebase.academy.models import Plan, PlanItem
from carebase.academy.tests.academy_helpers import make_assignment
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def _plan():
    plan = Plan.objects.create(title="Support agent onboarding")
    for day, kind, title, minutes in [
        (1, "task", "A", 60),
        (1, "task", "B", 30),
        (1, "lunch", "Lunch", 30),
        (2, "task", "C", 45),
        (2, "admin", "Admin", 15),
        (3, "setup", "D", 90),
        (4, "shadow", "E", 20),
    ]:
        PlanItem.objects.create(plan=plan, day=day, kind=kind, title=title, minutes=minutes)
    return plan


def _row(client, assignment):
    page = client.get("/academy/trainees/").content.decode()
    row = re.search(rf'<tr data-assignment="{assignment.pk}".*?</tr>', page, re.S).group(0)
    return {
        name: re.search(rf'data-{name}="([^"]*)"', row).group(1)
        for name in ("state", "day", "percent", "behind-items", "behind-minutes", "behind-days")
    }


def test_behind_by_after_a_weekend_and_a_holiday(mentor, trainee, api_as):
    # Day 1 is Friday 6 November 2026; Wednesday 11th is Independence Day,
    # so Thursday 12th is day 4.
    assignment = make_assignment(trainee, mentor, date(2026, 11, 6), _plan())
    items = {item.title: item for item in assignment.items.all()}
    with time_machine.travel(datetime(2026, 11, 6, 12, tzinfo=WARSAW), tick=False):
        do_complete_item(items["B"], trainee)
    client = client_for(mentor)

    with time_machine.travel(datetime(2026, 11, 7, 12, tzinfo=WARSAW), tick=False):  # Saturday
        assert _row(client, assignment) == {
            "state": "ok",
            "day": "1",
            "percent": "12",  # 30 of 245 minutes of work
            "behind-items": "0",
            "behind-minutes": "0",
            "behind-days": "0",
        }

    with time_machine.travel(datetime(2026, 11, 12, 9, tzinfo=WARSAW), tick=False):
        assert _row(client, assignment) == {
            "state": "red",
            "day": "4",
            "percent": "12",
            "behind-items": "3",  # A, C and D; E is today's
            "behind-minutes": "195",
            "behind-days": "3",  # A is of day 1
        }
        [progress] = api_as(mentor).get("/academy/progress").json()["items"]
        assert {
            key: progress[key]
            for key in (
                "day",
                "days",
                "items_done",
                "items_total",
                "minutes_done",
                "minutes_total",
                "today_left",
                "due_left",
                "behind_items",
                "behind_minutes",
                "behind_days",
                "state",
            )
        } == {
            "day": 4,
            "days": 4,
            "items_done": 1,
            "items_total": 5,
            "minutes_done": 30,
            "minutes_total": 245,
            "today_left": 1,
            "due_left": 4,
            "behind_items": 3,
            "behind_minutes": 195,
            "behind_days": 3,
            "state": "red",
        }

        do_complete_item(items["A"], trainee)
        do_complete_item(items["C"], trainee)
        row = _row(client, assignment)
        assert (row["state"], row["behind-items"], row["behind-minutes"], row["behind-days"]) == (
            "amber",
            "1",
            "90",
            "1",
        )
