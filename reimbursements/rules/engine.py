"""Care sheet → amounts (RULES.md §3, §4, §11, §12)."""

from __future__ import annotations

from collections.abc import Iterable

from cpam_portal.parameters import ParameterTable
from reimbursements.rules.types import ActTariff, SheetInput, SheetResult


class RuleSnapshot:
    """The nomenclature and the `reimbursement.*` parameters, resolved per care date (cached)."""

    def __init__(self, acts: Iterable[ActTariff], parameters: ParameterTable) -> None:
        self.acts = tuple(acts)
        self.parameters = parameters


def compute_sheet(sheet: SheetInput, rules: RuleSnapshot) -> SheetResult:
    """Amounts of every line of `sheet` and its totals; raises `InvalidSheet` naming bad fields."""
    raise NotImplementedError
