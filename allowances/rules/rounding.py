"""Rounding to the cent, as dated parameters (RULES.md §11: no public source states the mode).

`allowance.rounding.daily_base` rounds the SJB / SJR, `allowance.rounding.amount` every other
amount (caps, thresholds, daily amounts). The rows' notes say which published figures each
choice reproduces.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpam_portal.parameters import ParameterTable, ParameterValue

CENT = Decimal("0.01")
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

    @classmethod
    def on(cls, table: ParameterTable, day: date) -> Rounding:
        return cls(
            table.get("allowance.rounding.daily_base", day),
            table.get("allowance.rounding.amount", day),
        )

    def daily_base(self, value: Decimal) -> Decimal:
        return value.quantize(CENT, rounding=_mode(self.daily_base_row))

    def amount(self, value: Decimal) -> Decimal:
        return value.quantize(CENT, rounding=_mode(self.amount_row))
