"""Daily-allowance engine: computations per second on one core, against a plain-arithmetic baseline.

The engine's figure is a full `compute_allowance` on a 19-day sickness stoppage (the simulator's
example): claim checks, eligibility over 12 months, dated parameter look-ups, rounding modes read
from the table, the explanation steps and the paid segments.

The baseline, measured in the same run, is the bare arithmetic of the same allowance with the
figures already known: three capped months summed, divided by 91.25, cut to the cent, halved and
cut again, times the days paid. The ratio says what the explanation, the checks and the dated
look-ups cost over the arithmetic itself (a lower bound any engine must pay).
"""

import time
from datetime import date
from decimal import ROUND_DOWN, Decimal

from allowances.data import shipped_parameter_table
from allowances.rules.engine import compute_allowance
from allowances.rules.periods import months_before
from allowances.rules.types import AllowanceClaim, AllowanceKind, MonthlySalary
from cpam_portal.money import CENT

DURATION_SECONDS = 1.0


def _rate(function) -> float:
    """Calls per second of `function`, over about DURATION_SECONDS."""
    calls, started = 0, time.perf_counter()
    while True:
        for _ in range(50):
            function()
        calls += 50
        elapsed = time.perf_counter() - started
        if elapsed >= DURATION_SECONDS:
            return calls / elapsed


def _claim() -> AllowanceClaim:
    start = date(2026, 2, 10)
    salaries = tuple(
        MonthlySalary(month, Decimal("2000.00"), Decimal("151.67"))
        for month in months_before(start, 12)
    )
    return AllowanceClaim(AllowanceKind.SICKNESS, start, date(2026, 2, 28), salaries)


def _plain_arithmetic() -> Decimal:
    cap = Decimal("2552.24")
    counted = sum(min(Decimal("2000.00"), cap) for _ in range(3))
    # `quantize` itself, not cpam_portal.money.to_cents: the baseline is the bare arithmetic.
    daily_base = (counted / Decimal("91.25")).quantize(CENT, rounding=ROUND_DOWN)
    # An individual amount is truncated (allowance.rounding.amount); the maximum is not reached.
    daily_amount = (daily_base * Decimal("0.50")).quantize(CENT, rounding=ROUND_DOWN)
    return daily_amount * 16


def run() -> None:
    table = shipped_parameter_table()
    claim = _claim()
    if compute_allowance(claim, table).total != _plain_arithmetic():
        raise RuntimeError("the baseline no longer computes the engine's figure")
    baseline = _rate(_plain_arithmetic)
    engine = _rate(lambda: compute_allowance(claim, table))
    print(f"    IJ engine: {engine:,.0f} computations/s on one core (with explanation)")
    print(f"    baseline (plain arithmetic of one IJ): {baseline:,.0f}/s")
    print(f"    ratio engine / baseline: {engine / baseline:.4f}")
