"""Plan days are working days: Monday to Friday less the Polish public
holidays (Independence Day on 11 November, Christmas Eve and the two days
of Christmas in 2026). Day 1 is the start date, or the next working day
when it starts on a day off; before it the plan day is 0, and on a day off
it is the last working day's."""

from datetime import date

import pytest

from carebase.academy.progress import date_of_day, plan_dates, working_day_number


def test_a_plan_started_on_friday_goes_on_after_the_weekend_and_independence_day():
    start = date(2026, 11, 6)  # a Friday
    assert working_day_number(start, date(2026, 11, 5)) == 0
    assert working_day_number(start, start) == 1
    assert working_day_number(start, date(2026, 11, 7)) == 1  # Saturday
    assert working_day_number(start, date(2026, 11, 8)) == 1  # Sunday
    assert working_day_number(start, date(2026, 11, 9)) == 2  # Monday
    assert working_day_number(start, date(2026, 11, 10)) == 3
    assert working_day_number(start, date(2026, 11, 11)) == 3  # Independence Day
    assert working_day_number(start, date(2026, 11, 12)) == 4
    assert [date_of_day(start, number) for number in (1, 2, 3, 4)] == [
        date(2026, 11, 6),
        date(2026, 11, 9),
        date(2026, 11, 10),
        date(2026, 11, 12),
    ]


def test_christmas_eve_and_christmas_are_not_plan_days():
    start = date(2026, 12, 21)  # a Monday
    assert plan_dates(start, 5) == {
        1: date(2026, 12, 21),
        2: date(2026, 12, 22),
        3: date(2026, 12, 23),
        4: date(2026, 12, 28),  # 24th, 25th (Friday), the weekend with the 26th
        5: date(2026, 12, 29),
    }
    assert working_day_number(start, date(2026, 12, 27)) == 3
    assert working_day_number(start, date(2026, 12, 28)) == 4


def test_a_start_on_a_holiday_makes_the_next_working_day_day_one():
    start = date(2026, 11, 11)  # Wednesday, Independence Day
    assert working_day_number(start, start) == 0
    assert working_day_number(start, date(2026, 11, 12)) == 1
    assert date_of_day(start, 1) == date(2026, 11, 12)
    assert date_of_day(start, 2) == date(2026, 11, 13)
    assert date_of_day(start, 3) == date(2026, 11, 16)


def test_plan_days_are_numbered_from_one():
    with pytest.raises(ValueError):
        date_of_day(date(2026, 11, 9), 0)
