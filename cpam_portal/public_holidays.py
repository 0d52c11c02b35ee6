"""French public holidays (jours fériés) and working days, from the `holidays` package. Pure.

The national calendar is the eleven days of art. L3133-1 code du travail. A département may
add its own: Moselle (57) and Alsace (67, 68) Good Friday and 26 December (art. L3134-13 code
du travail), each overseas département the day slavery was abolished there. The package knows
these subdivisions; a caller without a département (a national estimate) gets the eleven days.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

# The package's France subdivisions (holidays 0.108: "57", "6AE" for Bas-Rhin and Haut-Rhin,
# "971"…"976"); every other département follows the national calendar.
HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


def holiday_subdivision(department_code: str | None) -> str | None:
    return HOLIDAY_SUBDIVISIONS.get(department_code or "")


@lru_cache(maxsize=512)
def _year(subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    # Building a year's calendar costs about a millisecond: working-day counts ask per day.
    calendar = holidays.France(subdiv=subdivision, years=year, language="fr")
    return tuple(sorted(calendar.items()))


def public_holidays(department_code: str | None, years: Iterable[int]) -> dict[date, str]:
    """The public holidays that apply in this département (None: nationally): day -> name."""
    subdivision = holiday_subdivision(department_code)
    return {day: name for year in years for day, name in _year(subdivision, year)}


def is_public_holiday(day: date, department_code: str | None = None) -> bool:
    return day in public_holidays(department_code, [day.year])


def is_working_day(day: date, department_code: str | None = None) -> bool:
    """Monday to Friday, public holidays excluded."""
    return day.weekday() < 5 and not is_public_holiday(day, department_code)


def add_working_days(start: date, days: int, department_code: str | None = None) -> date:
    """The `days`-th working day after `start` (start itself is not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, department_code):
            remaining -= 1
    return current
