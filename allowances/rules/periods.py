"""Calendar months and day counts the allowance rules reason in."""

from datetime import date, timedelta

from affiliation.rules.dates import add_months

ONE_DAY = timedelta(days=1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return add_months(month_start(month), 1) - ONE_DAY


def months_before(day: date, count: int) -> tuple[date, ...]:
    """The `count` calendar months before the month of `day`, oldest first (first days)."""
    first = add_months(month_start(day), -count)
    return tuple(add_months(first, index) for index in range(count))


def days_between(first: date, last: date) -> int:
    """Days from `first` to `last`, both included (0 when `last` is before `first`)."""
    return max((last - first).days + 1, 0)
