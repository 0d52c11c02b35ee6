"""One calendar of French public holidays (the `holidays` package), national or by département."""

from datetime import date, timedelta

import pytest

from cpam_portal.public_holidays import (
    add_working_days,
    is_working_day,
    public_holidays,
)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher): the oracle."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month = (h + ell - 7 * m + 90) // 25
    day = (h + ell - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def eleven_days(year: int) -> set[date]:
    """Art. L3133-1 code du travail, as the portal computed them before using the package."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    return {date(year, m, d) for m, d in fixed} | {easter + timedelta(days=n) for n in (1, 39, 50)}


def test_the_national_calendar_is_the_eleven_days_of_the_labour_code():
    # From 2008: in 2005-2007 Whit Monday was the "journée de solidarité", not a holiday.
    for year in range(2008, 2101):
        assert set(public_holidays(None, [year])) == eleven_days(year), year


def test_a_departement_without_days_of_its_own_follows_the_national_calendar():
    assert public_holidays("75", [2026]) == public_holidays(None, [2026])
    assert public_holidays("2A", [2026]) == public_holidays(None, [2026])


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_alsace_moselle_adds_good_friday_and_saint_stephen(department):
    days = public_holidays(department, [2026])
    assert set(days) - set(public_holidays(None, [2026])) == {date(2026, 4, 3), date(2026, 12, 26)}


@pytest.mark.parametrize(
    ("department", "abolition"),
    [
        ("971", date(2026, 5, 27)),
        ("972", date(2026, 5, 22)),
        ("973", date(2026, 6, 10)),
        ("974", date(2026, 12, 20)),
        ("976", date(2026, 4, 27)),
    ],
)
def test_each_overseas_departement_adds_its_abolition_day(department, abolition):
    assert abolition in public_holidays(department, [2026])
    assert abolition not in public_holidays(None, [2026])


def test_several_years_at_once():
    days = public_holidays(None, [2025, 2026])
    assert date(2025, 12, 25) in days and date(2026, 1, 1) in days
    assert len(days) == 22


def test_working_days_skip_weekends_and_the_holidays_of_the_departement():
    assert not is_working_day(date(2026, 3, 7))  # a Saturday
    assert not is_working_day(date(2026, 5, 1))
    assert is_working_day(date(2026, 4, 3))  # Good Friday, nationally
    assert not is_working_day(date(2026, 4, 3), "57")
    # Thursday 2 April 2026: Friday is Good Friday in Moselle, Monday Easter Monday everywhere.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 3)
    assert add_working_days(date(2026, 4, 2), 1, "57") == date(2026, 4, 7)
