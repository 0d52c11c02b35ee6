"""Rounding to the cent, as dated parameters (no public text read states the mode, see
docs/sources.md §3.1).

Three rows, each dated (`allowance.rounding.*`):
- `daily_base` rounds the SJB / SJR (and the daily base of the cap);
- `amount` rounds an individual daily amount computed from a person's own pay;
- `maximum` rounds the regulatory figures: monthly and daily caps, thresholds, and the maximum
  daily amounts (the amount of a daily base at the cap), which are published figures.
A person's daily amount is `min(amount(daily_base x rate), maximum(daily_base_cap x rate))`, and
exactly the maximum when the daily base reaches the cap. The rows' notes say which published
figures each choice reproduces.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpam_portal.money import to_cents
from cpam_portal.parameters import ParameterTable, ParameterValue

MODES = {
    name: getattr(decimal, name)
    for name in ("ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_HALF_DOWN", "ROUND_DOWN", "ROUND_UP")
}


def _mode(row: ParameterValue) -> str:
    if row.value not in MODES:
        raise ValueError(f"{row.key} = {row.value!r} is not a rounding mode ({', '.join(MODES)})")
    return MODES[row.value]


@dataclass(frozen=True)
class Rounding:
    daily_base_row: ParameterValue
    amount_row: ParameterValue
    maximum_row: ParameterValue

    @classmethod
    def on(cls, table: ParameterTable, day: date) -> Rounding:
        return cls(
            table.get("allowance.rounding.daily_base", day),
            table.get("allowance.rounding.amount", day),
            table.get("allowance.rounding.maximum", day),
        )

    def daily_base(self, value: Decimal) -> Decimal:
        return to_cents(value, _mode(self.daily_base_row))

    def amount(self, value: Decimal) -> Decimal:
        """An individual amount (a daily allowance from the person's own pay)."""
        return to_cents(value, _mode(self.amount_row))

    def maximum(self, value: Decimal) -> Decimal:
        """A regulatory figure: a cap, a threshold, a maximum or minimum daily amount."""
        return to_cents(value, _mode(self.maximum_row))

    def daily_amount(
        self, daily_base: Decimal, daily_base_cap: Decimal, rate: Decimal
    ) -> tuple[Decimal, Decimal]:
        """(the daily amount, the maximum daily amount) for a daily base and its cap."""
        maximum = self.maximum(daily_base_cap * rate)
        if daily_base >= daily_base_cap:
            return maximum, maximum
        return min(self.amount(daily_base * rate), maximum), maximum
