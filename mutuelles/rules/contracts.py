"""Complementary contracts as the rules see them: periods, conflicts, and which contract a
statement is routed to. Pure: values in, values out.

Only one complementary insurer receives a beneficiary's reimbursements for a given day: the
"liaison NOEMIE" is set per beneficiary and routes each statement to the organism whose
contract covers the date of care (NOEMIE OC specification, cahier des charges of June 2005
updated 10/2007). Two contracts with different mutuelles over common days block the flow until
the insured person resolves the conflict in their account (ameli.fr news, 2020).
mutuelles.services.contracts and mutuelles.services.release apply it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cpam_portal.periods import Period


@dataclass(frozen=True)
class ContractPeriod:
    """A declared contract as the rule sees it: who is covered, and when."""

    contract_id: int
    person_id: int
    period: Period


def contract_conflicts(contracts: list[ContractPeriod]) -> list[tuple[int, int]]:
    """Pairs of contract ids (smaller first) covering one person over common days."""
    pairs: list[tuple[int, int]] = []
    for i, first in enumerate(contracts):
        for second in contracts[i + 1 :]:
            if first.person_id == second.person_id and first.period.overlaps(second.period):
                ids = (first.contract_id, second.contract_id)
                pairs.append((min(ids), max(ids)))
    return sorted(pairs)


class Resolution(StrEnum):
    END = "end"  # the other contract stops the day before the kept one starts
    WITHDRAW = "withdraw"  # the other contract never takes effect


def resolve_conflict(kept: Period, other: Period) -> tuple[Resolution, date | None]:
    """What becomes of `other` when the person keeps `kept`.

    A contract that started before the kept one ends the day before it starts (its last day
    is kept.valid_from - 1, i.e. valid_until = kept.valid_from): the days it alone covered
    stay covered. A contract starting on or after the kept one is withdrawn.
    """
    if other.valid_from < kept.valid_from:
        return Resolution.END, kept.valid_from
    return Resolution.WITHDRAW, None


# --- Routing a statement --------------------------------------------------------------------

# Among contracts of one mutuelle covering the date of care, the statement goes under the one
# both halves agreed on first, then the person's declaration, then the mutuelle's subscription;
# the latest start, then the latest row, break ties.
ROUTING_PREFERENCE = {"confirmed": 0, "declared": 1, "subscribed": 2}


@dataclass(frozen=True)
class ContractTerms:
    """What routing reads of a contract in force (withdrawn contracts are never given)."""

    contract_id: int
    mutuelle_id: int
    status: str
    period: Period


def covering(contracts: Iterable[ContractTerms], on: date) -> list[ContractTerms]:
    """The contracts covering `on`, the preferred first."""
    return sorted(
        (contract for contract in contracts if contract.period.contains(on)),
        key=lambda c: (
            ROUTING_PREFERENCE[c.status],
            -c.period.valid_from.toordinal(),
            -c.contract_id,
        ),
    )


def routed_contract(contracts: Iterable[ContractTerms], care_date: date) -> ContractTerms | None:
    """The contract a statement for care on `care_date` goes under, or None: no complementary
    that day, or contracts of two different mutuelles (a conflict holds the statement back).
    Two contracts with the same mutuelle are no conflict: the statement goes to it once."""
    candidates = covering(contracts, care_date)
    if len({contract.mutuelle_id for contract in candidates}) != 1:
        return None
    return candidates[0]
