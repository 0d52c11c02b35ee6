"""Building claims for the engine's tests (DB-free)."""

from datetime import date
from decimal import Decimal

from allowances.data import shipped_parameter_table
from allowances.rules.periods import months_before
from allowances.rules.types import AllowanceClaim, AllowanceKind, MonthlySalary

TABLE = shipped_parameter_table()


def claim(
    kind: AllowanceKind,
    start: date,
    end: date,
    gross: str | Decimal,
    *,
    months: int = 12,
    hours: str | None = None,
    **fields,
) -> AllowanceClaim:
    """A claim with the same gross pay (and hours, if given) in each of `months` months before."""
    salaries = tuple(
        MonthlySalary(month, Decimal(gross), Decimal(hours) if hours is not None else None)
        for month in months_before(start, months)
    )
    return AllowanceClaim(kind, start, end, salaries, **fields)
