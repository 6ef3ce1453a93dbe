"""The business-hours clock's laws, checked on drawn moments and lengths
(hypothesis): a deadline never comes earlier for a later start or a longer
stretch, two stretches add up to one, the working time up to a deadline is
the stretch, holidays and days off have no working time, and a working day
on the night the clocks change in Warsaw is an hour longer or shorter."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carebase.core.hours import Schedule, WeekError, read_week

WARSAW = ZoneInfo("Europe/Warsaw")
OFFICE = Schedule(read_week("mon-fri 08:00-18:00"), WARSAW, "PL")
SPLIT = Schedule(
    read_week("mon-fri 08:00-12:00, 13:00-17:00; sat 09:00-13:00"),
    WARSAW,
    "PL",
    frozenset({date(2026, 12, 31), date(2027, 1, 4)}),
)
# Open at night, across the hours in which the clocks change.
NIGHTS = Schedule(read_week("mon-sun 00:00-03:30, 21:00-24:00"), WARSAW)
ALWAYS = Schedule(read_week("mon-sun 00:00-24:00"), WARSAW)
SCHEDULES = st.sampled_from([OFFICE, SPLIT, NIGHTS, ALWAYS])

moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
stretches = st.integers(min_value=0, max_value=60 * 24 * 40).map(lambda m: timedelta(minutes=m))
seconds = st.integers(min_value=0, max_value=3600 * 24 * 5).map(lambda s: timedelta(seconds=s))


@settings(max_examples=300, deadline=None)
@given(SCHEDULES, moments, moments, stretches)
def test_a_later_start_never_gets_an_earlier_deadline(schedule, first, second, stretch):
    early, late = sorted([first, second])
    assert schedule.add(early, stretch) <= schedule.add(late, stretch)


@settings(max_examples=300, deadline=None)
@given(SCHEDULES, moments, stretches, stretches)
def test_a_longer_stretch_never_gets_an_earlier_deadline(schedule, start, one, other):
    short, long = sorted([one, other])
    assert schedule.add(start, short) <= schedule.add(start, long)


@settings(max_examples=300, deadline=None)
@given(SCHEDULES, moments, seconds, seconds)
def test_two_stretches_one_after_the_other_reach_as_far_as_both_at_once(schedule, start, a, b):
    assert schedule.add(schedule.add(start, a), b) == schedule.add(start, a + b)


@settings(max_examples=300, deadline=None)
@given(SCHEDULES, moments, stretches)
def test_the_working_time_up_to_a_deadline_is_the_stretch(schedule, start, stretch):
    deadline = schedule.add(start, stretch)
    assert schedule.between(start, deadline) == stretch
    if stretch:  # it falls in open hours, or at a closing
        assert schedule.is_open(deadline - timedelta(microseconds=1))


@settings(max_examples=300, deadline=None)
@given(SCHEDULES, moments, moments, moments)
def test_working_time_adds_up_over_consecutive_spans(schedule, one, two, three):
    a, b, c = sorted([one, two, three])
    assert schedule.between(a, c) == schedule.between(a, b) + schedule.between(b, c)
    assert schedule.between(c, a) == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(SCHEDULES, moments)
def test_the_next_opening_is_open_and_nothing_before_it_is(schedule, at):
    opening = schedule.next_open(at)
    assert opening >= at and schedule.is_open(opening)
    assert schedule.between(at, opening) == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(moments)
def test_always_open_counts_real_elapsed_time_across_the_clock_changes(at):
    later = at + timedelta(days=3, hours=5)
    assert ALWAYS.between(at, later) == later - at
    assert ALWAYS.add(at, timedelta(hours=30)) == at + timedelta(hours=30)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 11, 11),  # Independence Day
        date(2026, 12, 24),  # Christmas Eve, a holiday from 2025
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),  # Constitution Day
    ],
)
def test_a_polish_holiday_has_no_working_time(day):
    start = datetime.combine(day, datetime.min.time(), WARSAW)
    assert OFFICE.between(start, start + timedelta(days=1)) == timedelta(0)
    assert OFFICE.add(start, timedelta(minutes=1)).date() > day


def test_a_calendars_own_days_off_are_closed():
    new_year_eve = datetime(2026, 12, 31, 10, 0, tzinfo=WARSAW)  # a Thursday
    assert OFFICE.is_open(new_year_eve) and not SPLIT.is_open(new_year_eve)
    # 31 Dec off, 1 Jan a holiday, 2 Jan a Saturday (9-13), 4 Jan off: Tuesday.
    assert SPLIT.add(new_year_eve, timedelta(hours=5)) == datetime(2027, 1, 5, 9, 0, tzinfo=WARSAW)


def test_the_nights_the_clocks_change_are_an_hour_shorter_and_longer():
    # 2027: summer time from 28 March, 02:00 → 03:00; back on 31 October, 03:00 → 02:00.
    spring = datetime(2027, 3, 28, tzinfo=WARSAW)
    autumn = datetime(2027, 10, 31, tzinfo=WARSAW)
    assert ALWAYS.between(spring, spring + timedelta(days=1)) == timedelta(hours=23)
    assert ALWAYS.between(autumn, autumn + timedelta(days=1)) == timedelta(hours=25)
    # The night calendar's early period, 00:00-03:30, holds 2.5 and 4.5 hours.
    assert NIGHTS.between(spring, spring + timedelta(hours=12)) == timedelta(hours=2.5)
    assert NIGHTS.between(autumn, autumn + timedelta(hours=12)) == timedelta(hours=4.5)


def test_split_hours_skip_the_lunch_break():
    start = datetime(2026, 12, 1, 11, 30, tzinfo=WARSAW)
    assert SPLIT.add(start, timedelta(hours=1)) == datetime(2026, 12, 1, 13, 30, tzinfo=WARSAW)
    assert not SPLIT.is_open(datetime(2026, 12, 1, 12, 30, tzinfo=WARSAW))


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("mon 08:00-12:00, 11:00-15:00", "overlap"),
        ("fri-mon 08:00-18:00", "backwards"),
        ("mon 08:00-08:00", "closes before it opens"),
        ("mon 24:30-25:00", "no such time"),
        ("mon 8-18", "cannot read the hours"),
    ],
)
def test_a_week_that_cannot_be_a_week_is_refused_saying_why(text, complaint):
    with pytest.raises(WeekError, match=complaint):
        read_week(text)


def test_a_week_reads_back_as_it_was_written():
    text = "mon 08:00-12:00, 13:00-17:00; tue 08:00-17:00; sat 00:00-24:00"
    assert read_week(text).as_text() == text


def test_a_schedule_never_open_has_no_deadline():
    never = Schedule(read_week(""), WARSAW)
    with pytest.raises(ValueError, match="no open hours"):
        never.add(datetime(2026, 12, 1, tzinfo=UTC), timedelta(minutes=1))


def test_moments_given_in_warsaw_time_count_real_time_across_the_autumn_change():
    night = datetime(2027, 10, 31, 0, 30, tzinfo=WARSAW)  # summer time, 22:30 UTC before
    assert ALWAYS.add(night, timedelta(hours=5)) == datetime(2027, 10, 31, 3, 30, tzinfo=UTC)
    assert ALWAYS.between(night, datetime(2027, 10, 31, 5, 30, tzinfo=WARSAW)) == timedelta(hours=6)


def test_nothing_more_to_do_at_closing_time_ends_at_closing_time():
    # Found by hypothesis: 1 d 6 h of work from New Year's Day ends at 18:00
    # on 7 January; adding nothing to that must not move it to the next morning.
    schedule = OFFICE
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = schedule.add(start, timedelta(days=1, hours=6))
    assert end == datetime(2026, 1, 7, 17, 0, tzinfo=UTC)
    assert schedule.add(end, timedelta(0)) == end
    assert schedule.add(end, timedelta(minutes=1)) == datetime(2026, 1, 8, 7, 1, tzinfo=UTC)
