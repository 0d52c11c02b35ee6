"""Date arithmetic shared by the rules: periods are half-open [valid_from, valid_until)."""

from datetime import date


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
