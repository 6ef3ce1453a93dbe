"""The trainee's plan page puts today first (today's items with their time
and buttons), then the items of past days left undone, then every day with
its date; it offers to write down a question for the mentor. Before the
start it says when the plan starts and shows the first day. The mentor
sees the same with the controls to adjust it; the trainee gets none."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebase.academy.tests.academy_helpers import make_assignment, make_plan
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def _section(page, name):
    found = re.search(rf'<section class="card {name}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_today_then_overdue(mentor, trainee):
    assignment = make_assignment(trainee, mentor, date(2026, 11, 9), make_plan(days=3))
    with time_machine.travel(datetime(2026, 11, 10, 9, tzinfo=WARSAW), tick=False):
        page = client_for(trainee).get(f"/academy/assignments/{assignment.pk}/").content.decode()
        mentors = client_for(mentor).get(f"/academy/assignments/{assignment.pk}/").content.decode()
    today = _section(page, "today")
    assert "Today: day 2 (Tuesday, 11/10/2026)" in today
    assert "Task 2" in today and "Lunch" in today and "30 min" in today
    assert "Task 1" not in today
    overdue = _section(page, "overdue")
    assert "Task 1" in overdue and "day 1" in overdue and "Task 2" not in overdue
    assert page.index('id="today"') < page.index('id="overdue"') < page.index('id="days-head"')
    ask = _section(page, "ask")
    assert f'action="/academy/assignments/{assignment.pk}/ask/"' in ask and 'name="text"' in ask
    assert "/remove/" not in page and "Add an item" not in page
    assert "/remove/" in mentors and "Add an item to this trainee" in mentors
    assert 'name="text"' not in mentors  # the question form is the trainee's


def test_before_the_start_the_first_day_is_shown(mentor, trainee):
    assignment = make_assignment(trainee, mentor, date(2026, 11, 11), make_plan(days=2))
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=WARSAW), tick=False):
        page = client_for(trainee).get(f"/academy/assignments/{assignment.pk}/").content.decode()
    today = _section(page, "today")
    # The 11th is Independence Day: the plan starts on the 12th.
    assert "The plan starts on Thursday, 11/12/2026" in today and "Task 1" in today
    assert _section(page, "overdue") == ""
