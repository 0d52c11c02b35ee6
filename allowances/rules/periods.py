"""Calendar months and day counts the allowance rules reason in."""

from datetime import date, timedelta
from functools import lru_cache

from cpam_portal.periods import add_months

ONE_DAY = timedelta(days=1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return add_months(month_start(month), 1) - ONE_DAY


def months_before(day: date, count: int) -> tuple[date, ...]:
    """The `count` calendar months before the month of `day`, oldest first (first days)."""
    return _months_before(day.year, day.month, count)


@lru_cache(maxsize=4096)  # pure; the engine asks for the same few windows over and over
def _months_before(year: int, month: int, count: int) -> tuple[date, ...]:
    first = year * 12 + month - 1 - count
    return tuple(date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(count))


def month_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def days_between(first: date, last: date) -> int:
    """Days from `first` to `last`, both included (0 when `last` is before `first`)."""
    return max((last - first).days + 1, 0)
