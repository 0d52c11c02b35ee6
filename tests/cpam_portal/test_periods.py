"""Half-open periods [valid_from, valid_until) and the month arithmetic that bounds them."""

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cpam_portal import periods as rules
from cpam_portal.periods import Period

D = datetime.date


def test_a_period_covers_its_first_day_and_not_its_end():
    january = Period(D(2026, 1, 1), D(2026, 2, 1))
    assert january.contains(D(2026, 1, 1))
    assert january.contains(D(2026, 1, 31))
    assert not january.contains(D(2025, 12, 31))
    assert not january.contains(D(2026, 2, 1))
    assert january.last_day == D(2026, 1, 31)


def test_an_open_ended_period_covers_every_later_day():
    open_ended = Period(D(2026, 1, 1), None)
    assert open_ended.contains(D(2999, 12, 31))
    assert not open_ended.contains(D(2025, 12, 31))
    assert open_ended.last_day is None


def test_periods_that_touch_do_not_overlap():
    january = Period(D(2026, 1, 1), D(2026, 2, 1))
    assert not january.overlaps(Period(D(2026, 2, 1), None))
    assert not Period(D(2026, 2, 1), None).overlaps(january)
    assert january.overlaps(Period(D(2026, 1, 31), None))
    assert Period(D(2020, 1, 1), None).overlaps(Period(D(2030, 1, 1), None))


days = st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 3, 1))
ends = st.none() | days


@given(days, ends, days, ends)
def test_overlap_is_sharing_a_day(first_from, first_until, second_from, second_until):
    # Periods are never empty (every table has a constraint valid_until > valid_from).
    assume(first_until is None or first_from < first_until)
    assume(second_until is None or second_from < second_until)
    first, second = Period(first_from, first_until), Period(second_from, second_until)
    day, shared = D(2025, 12, 31), False
    while day <= D(2026, 3, 2):
        shared = shared or (first.contains(day) and second.contains(day))
        day += datetime.timedelta(days=1)
    assert first.overlaps(second) == shared == second.overlaps(first)
    assert rules.overlap(first_from, first_until, second_from, second_until) == shared


@given(days, ends, days)
def test_the_plain_function_is_the_period_method(valid_from, valid_until, on):
    assert rules.is_in_force(valid_from, valid_until, on) == Period(
        valid_from, valid_until
    ).contains(on)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 11, 23), 3, D(2027, 2, 23)),
        (D(2026, 11, 30), 3, D(2027, 3, 1)),  # 30 February does not exist
        (D(2027, 11, 30), 3, D(2028, 3, 1)),  # nor 30 February of a leap year
        (D(2026, 12, 31), 2, D(2027, 3, 1)),  # 31 February -> 1 March
        (D(2026, 10, 31), 1, D(2026, 12, 1)),  # 31 November -> 1 December
        (D(2026, 11, 15), 14, D(2028, 1, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert rules.add_months(start, months) == expected


def test_a_year_from_29_february_ends_on_28_february_inclusive():
    assert rules.add_years(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert rules.last_valid_day(rules.add_years(D(2024, 2, 29), 1)) == D(2025, 2, 28)
    assert rules.add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
