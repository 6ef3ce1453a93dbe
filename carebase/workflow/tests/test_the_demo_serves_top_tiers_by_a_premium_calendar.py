"""The demo's premium calendar: strategic and key clients are served from
7:00 to 22:00 every day, public holidays included; seeding it again
changes nothing, and a tier someone already gave to a calendar of theirs
stays there."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from carebase.core.hours import calendar_serving
from carebase.core.models import Calendar
from carebase.workflow import demo_calendars
from carebase.workflow.calendars import CalendarData, do_save_calendar, tiers_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

WARSAW = ZoneInfo("Europe/Warsaw")


def test_the_demo_serves_strategic_and_key_clients_every_day():
    call_command("demo", tickets=20, stdout=StringIO())
    premium = demo_calendars.seed()
    assert demo_calendars.seed() == premium  # again: nothing doubled
    assert Calendar.objects.filter(name=demo_calendars.PREMIUM).count() == 1
    assert tiers_of(premium) == ["strategic", "key"]
    assert calendar_serving("standard") is None
    hours = premium.schedule()
    assert hours.is_open(datetime(2027, 3, 6, 21, 30, tzinfo=WARSAW))  # a Saturday evening
    assert not hours.is_open(datetime(2027, 3, 6, 22, 30, tzinfo=WARSAW))
    assert hours.is_open(datetime(2026, 12, 25, 8, 0, tzinfo=WARSAW))  # Christmas Day


def test_a_tier_already_served_elsewhere_stays_there():
    own = do_save_calendar(
        CalendarData(name="Klienci kluczowi", hours="mon-fri 07:00-20:00", tiers=["key"]),
        actor=None,
    )
    premium = demo_calendars.seed()
    assert tiers_of(premium) == ["strategic"]
    assert calendar_serving("key") == own
