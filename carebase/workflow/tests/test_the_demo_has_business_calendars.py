"""The demo's business calendars: one per team, with the company's days off,
readable over the API; seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import Team, User
from carebase.core.hours import schedule_for_team
from carebase.core.models import Calendar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_the_demo_gives_each_team_its_calendar(api_as):
    call_command("demo", tickets=20, stdout=StringIO())
    call_command("demo", tickets=20, stdout=StringIO())  # again: nothing doubled
    assert Calendar.objects.count() == 3  # and the top tiers' Premium
    support = Team.objects.select_related("calendar").get(slug="support")
    assert support.calendar.days_off.count() == 2
    success = Team.objects.select_related("calendar").get(slug="success")
    assert "13:30-17:00" in success.calendar.hours
    assert schedule_for_team(support) != schedule_for_team(success)
    head = User.objects.get(username="kasia.head")
    listed = api_as(head).get("/calendars").json()
    assert {calendar["name"] for calendar in listed} == set(
        Calendar.objects.values_list("name", flat=True)
    )
