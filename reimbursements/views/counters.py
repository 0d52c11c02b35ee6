"""What a statement page shows beside the amounts: why each amount, and the year's caps.

"Why this amount?" is the engine's explanation stored on the line, turned into sentences in the
reader's language by rb-engine's `reimbursements.explanations`. The caps counters read the
ledger (what was withheld from the person in the calendar year of the care) and the caps in
force on the date of care (dated parameters).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpam_portal.models import RuleParameter
from cpam_portal.parameters import ParameterMissing
from reimbursements.explanations import explain_stored
from reimbursements.models import StatementLine, WithholdingYear
from reimbursements.nomenclature import annual_caps

# The annual caps of the participation forfaitaire and of the franchises (ameli.fr participation
# forfaitaire and franchise pages; docs/sources.md §5).
CAP_KEYS = ("reimbursement.pf.cap.year", "reimbursement.franchise.cap.year")


def explanation_of(line: StatementLine) -> list[str]:
    """The sentences of "why this amount?" for a statement line, in the active language."""
    return explain_stored(line.explanation)


@dataclass(frozen=True)
class Counter:
    used: Decimal
    cap: Decimal | None

    @property
    def percent(self) -> int:
        if not self.cap:
            return 0
        return min(100, int(self.used * 100 / self.cap))

    @property
    def is_reached(self) -> bool:
        return self.cap is not None and self.used >= self.cap


@dataclass(frozen=True)
class YearCounters:
    year: int
    participation: Counter
    franchises: Counter


def year_counters(person, on: date) -> YearCounters:
    """The person's PF and franchises withheld in `on`'s year, against the caps in force on `on`."""
    ledger = WithholdingYear.objects.filter(person=person, year=on.year).first()
    try:
        pf_cap, franchise_cap = annual_caps(
            RuleParameter.objects.filter(key__in=CAP_KEYS).table(), on
        )
    except ParameterMissing:
        pf_cap = franchise_cap = None
    zero = Decimal("0.00")
    return YearCounters(
        year=on.year,
        participation=Counter(ledger.participation_forfaitaire if ledger else zero, pf_cap),
        franchises=Counter(ledger.franchises if ledger else zero, franchise_cap),
    )
