"""The business-hours clock: open Monday to Friday 8 to 18 in Warsaw by
default, closed on Polish public holidays, and working minutes that carry
over the evening, the weekend and a holiday."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from carebase.core.hours import default_schedule, is_open, parse_week

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*parts):
    return datetime(*parts, tzinfo=WARSAW)


def test_the_desk_is_open_on_weekday_hours_only():
    assert is_open(at(2026, 11, 30, 8, 0))  # Monday
    assert is_open(at(2026, 11, 30, 17, 59))
    assert not is_open(at(2026, 11, 30, 18, 0))
    assert not is_open(at(2026, 11, 30, 7, 59))
    assert not is_open(at(2026, 12, 5, 10, 0))  # Saturday


def test_polish_public_holidays_are_closed_days():
    assert not is_open(at(2026, 11, 11, 10, 0))  # Independence Day, a Wednesday
    assert not is_open(at(2026, 12, 24, 10, 0))  # Christmas Eve, a holiday from 2025
    assert is_open(at(2026, 11, 12, 10, 0))


def test_a_moment_in_another_zone_is_read_in_warsaw_time():
    assert is_open(datetime(2026, 11, 30, 7, 30, tzinfo=ZoneInfo("UTC")))  # 8:30 in Warsaw
    assert not is_open(datetime(2026, 11, 30, 17, 30, tzinfo=ZoneInfo("UTC")))


def add_business_minutes(start, minutes):
    return default_schedule().add(start, timedelta(minutes=minutes))


def test_working_minutes_carry_over_the_evening_weekend_and_holidays():
    assert add_business_minutes(at(2026, 11, 30, 10, 0), 30) == at(2026, 11, 30, 10, 30)
    assert add_business_minutes(at(2026, 11, 30, 17, 50), 30) == at(2026, 12, 1, 8, 20)
    assert add_business_minutes(at(2026, 12, 4, 17, 45), 30) == at(2026, 12, 7, 8, 15)  # Friday
    assert add_business_minutes(at(2026, 11, 10, 17, 30), 60) == at(2026, 11, 12, 8, 30)
    assert add_business_minutes(at(2026, 12, 5, 12, 0), 10) == at(2026, 12, 7, 8, 10)


def test_the_week_is_configurable(settings):
    settings.BUSINESS_HOURS = "mon-fri 09:00-17:00; sat 10:00-14:00"
    assert is_open(at(2026, 12, 5, 11, 0))
    assert not is_open(at(2026, 11, 30, 8, 30))


@pytest.mark.parametrize(
    "text",
    ["mon-fri 8-18", "mon-xyz 08:00-18:00", "mon 18:00-08:00", "mon 25:00-26:00", "weekdays"],
)
def test_an_unreadable_week_is_a_configuration_error_that_names_it(text):
    with pytest.raises(ImproperlyConfigured, match="BUSINESS_HOURS"):
        parse_week(text)
