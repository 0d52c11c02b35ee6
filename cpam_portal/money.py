"""Money: amounts are `Decimal` euros, kept to the cent.

Pure (no Django, no settings), so that the `rules/` modules can use it. Rounding to the cent
always takes its mode from the caller: in this portal a rounding mode is a dated rule parameter
(`reimbursement.rounding`, `allowance.rounding.*`) or a choice its caller documents, never the
decimal context's default, and never `round()`.
"""

from decimal import Decimal
from typing import overload

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal, rounding: str) -> Decimal:
    """`amount` to the cent, rounded with `rounding` (one of the `decimal.ROUND_*` modes)."""
    return amount.quantize(CENT, rounding=rounding)


@overload
def api_amount(amount: Decimal) -> str: ...


@overload
def api_amount(amount: None) -> None: ...


def api_amount(amount: Decimal | None) -> str | None:
    """'19.00': how the APIs and the mutuelles' feed write an amount (a string, never a float).

    Two decimals, a point, no grouping; None (an amount the answer does not hold) stays None.
    """
    return None if amount is None else f"{amount:.2f}"
