"""Periods of validity, and the month arithmetic that bounds them. Pure: dates in, dates out.

Every period of the portal is half-open, [valid_from, valid_until): `valid_until` is the first
day no longer covered, None while the period is open-ended. Two periods that follow each other
share no day ([January, July) then [July, …)), and the last day covered, the one a document
prints, is valid_until - 1 day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def is_in_force(valid_from: date, valid_until: date | None, on: date) -> bool:
    """Whether [valid_from, valid_until) covers `on` (for a caller holding the two dates)."""
    return valid_from <= on and (valid_until is None or on < valid_until)


def overlap(
    valid_from: date, valid_until: date | None, other_from: date, other_until: date | None
) -> bool:
    """Whether [valid_from, valid_until) and [other_from, other_until) share at least one day."""
    return (other_until is None or valid_from < other_until) and (
        valid_until is None or other_from < valid_until
    )


def last_valid_day(valid_until: date) -> date:
    """The last day a period ending (exclusive) on `valid_until` covers: what a document prints."""
    return valid_until - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    valid_from: date
    valid_until: date | None  # exclusive; None while open-ended

    def contains(self, on: date) -> bool:
        return is_in_force(self.valid_from, self.valid_until, on)

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day (touching ones do not)."""
        return overlap(self.valid_from, self.valid_until, other.valid_from, other.valid_until)

    @property
    def last_day(self) -> date | None:
        """The last day covered, as printed; None while open-ended."""
        return None if self.valid_until is None else last_valid_day(self.valid_until)


# --- Lengths ------------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """The same day `months` later; when that day does not exist, the first of the next month.

    So a period [start, add_months(start, n)) never lasts longer than n months:
    2026-11-30 + 3 months -> 2027-03-01 (last valid day 28 February).
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    try:
        return start.replace(year=year, month=month)
    except ValueError:  # 29, 30 or 31 in a shorter month
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(next_year, next_month, 1)


def add_years(start: date, years: int) -> date:
    """Same rule as add_months: 29 February + 1 year -> 1 March."""
    return add_months(start, 12 * years)
