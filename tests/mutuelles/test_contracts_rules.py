"""The rules of complementary contracts: periods, conflicts, and routing a statement."""

from datetime import date

from cpam_portal.periods import Period
from mutuelles.rules import contracts as rules
from mutuelles.rules.contracts import ContractTerms, routed_contract


def test_conflicts_are_pairs_of_contracts_of_one_person():
    open_ended = Period(date(2025, 1, 1), None)
    contracts = [
        rules.ContractPeriod(1, person_id=10, period=open_ended),
        rules.ContractPeriod(2, person_id=11, period=open_ended),  # someone else: no conflict
        rules.ContractPeriod(3, person_id=10, period=Period(date(2026, 1, 1), None)),
        rules.ContractPeriod(4, person_id=10, period=Period(date(2024, 1, 1), date(2025, 1, 1))),
    ]
    assert rules.contract_conflicts(contracts) == [(1, 3)]


def test_keeping_the_later_contract_ends_the_earlier_one_the_day_before():
    earlier = Period(date(2024, 1, 1), None)
    later = Period(date(2026, 3, 1), None)
    assert rules.resolve_conflict(kept=later, other=earlier) == (
        rules.Resolution.END,
        date(2026, 3, 1),  # exclusive: the last day covered is 28 February
    )


def test_keeping_the_earlier_contract_withdraws_the_later_one():
    earlier = Period(date(2024, 1, 1), None)
    later = Period(date(2026, 3, 1), None)
    assert rules.resolve_conflict(kept=earlier, other=later) == (rules.Resolution.WITHDRAW, None)
    same_day = Period(date(2024, 1, 1), date(2025, 1, 1))
    assert rules.resolve_conflict(kept=earlier, other=same_day)[0] == rules.Resolution.WITHDRAW


def terms(contract_id, mutuelle_id, status="confirmed", valid_from=date(2025, 1, 1), until=None):
    return ContractTerms(contract_id, mutuelle_id, status, Period(valid_from, until))


CARE = date(2025, 3, 4)


def test_a_statement_goes_under_the_contract_covering_its_date_of_care():
    assert routed_contract([terms(1, 10)], CARE) == terms(1, 10)
    assert routed_contract([terms(1, 10, until=CARE)], CARE) is None  # ended the day before
    assert routed_contract([terms(1, 10, valid_from=date(2025, 3, 5))], CARE) is None
    assert routed_contract([], CARE) is None


def test_two_mutuelles_covering_the_day_hold_the_statement_back():
    assert routed_contract([terms(1, 10), terms(2, 20, "declared")], CARE) is None


def test_with_one_mutuelle_the_confirmed_then_declared_then_latest_contract_is_chosen():
    declared = terms(1, 10, "declared", date(2025, 2, 1))
    confirmed = terms(2, 10, "confirmed", date(2024, 1, 1))
    subscribed = terms(3, 10, "subscribed", date(2025, 3, 1))
    assert routed_contract([declared, subscribed, confirmed], CARE) == confirmed
    assert routed_contract([subscribed, declared], CARE) == declared
    later = terms(4, 10, "declared", date(2025, 3, 1))
    assert routed_contract([declared, later], CARE) == later
    twin = terms(5, 10, "declared", date(2025, 3, 1))
    assert routed_contract([later, twin], CARE) == twin  # the latest row breaks a tie
