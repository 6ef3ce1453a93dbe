"""Items behind schedule on the agenda are the plan's items not done whose
working day has passed, counted in Polish working days (1 May is a public
holiday, weekends are not plan days); today's items, items done and lunch
or admin time are not behind."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from carebase.academy.models import Assignment, AssignmentItem, Meeting
from carebase.academy.tests.academy_helpers import make_plan
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_undone_items_of_past_working_days_are_behind(mentor, trainee):
    # Thursday 30 April 2026 is day 1; Friday 1 May is a holiday, so Monday
    # 4 May is day 2, Tuesday day 3, and Wednesday 6 May (today) day 4.
    assignment = Assignment.objects.create(
        plan=make_plan(), trainee=trainee, mentor=mentor, start_date=date(2026, 4, 30)
    )
    done = timezone.now()
    for day, kind, title, minutes, done_at in [
        (1, "read", "Read the recording rules", 45, None),
        (1, "lunch", "Lunch", 30, None),
        (2, "task", "Configure a test project", 120, None),
        (3, "quiz", "Take the product quiz", 30, done),
        (4, "shadow", "Shadow calls", 90, None),
    ]:
        AssignmentItem.objects.create(
            assignment=assignment, day=day, kind=kind, title=title, minutes=minutes, done_at=done_at
        )
    meeting = Meeting.objects.create(assignment=assignment, scheduled_at=timezone.now())

    with time_machine.travel(datetime(2026, 5, 6, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))):
        client = client_for(mentor)
        client.post(f"/academy/meetings/{meeting.pk}/prepare/")
        page = client.get(f"/academy/meetings/{meeting.pk}/").content.decode()
    meeting.refresh_from_db()
    behind = [
        (row["title"], row["day"], row["planned_for"], row["working_days_late"], row["minutes"])
        for row in meeting.agenda["behind"]
    ]
    assert behind == [
        ("Read the recording rules", 1, "2026-04-30", 3, 45),
        ("Configure a test project", 2, "2026-05-04", 2, 120),
    ]
    catch_up = [prompt for prompt in meeting.agenda["prompts"] if prompt["kind"] == "catch_up"]
    assert catch_up == [{"kind": "catch_up", "count": 2, "minutes": 165}]
    assert "Configure a test project" in page
    assert "Agree how to catch up: 2 items are behind schedule (165 minutes)." in page
    assert "Shadow calls" not in page
