"""Pure rules of documents: validity periods at their edges, codes, fund codes, file facts."""

import datetime
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affiliation.rules import documents as rules
from affiliation.rules.documents import (
    CODE_ALPHABET,
    BadCardTransition,
    CardKind,
    CardNotAllowed,
    CardRefusal,
    DocumentState,
    ExemptionFacts,
    FileMember,
    InsuredFile,
    MalformedCode,
    NoOpenRights,
    NotAFileHolder,
    Scheme,
)
from cpam_portal.periods import Period

D = datetime.date


# --- Periods ------------------------------------------------------------------------------------


def test_an_attestation_lasts_one_year_when_the_rights_are_open_ended():
    validity = rules.attestation_validity(D(2026, 11, 23), None)
    assert validity == Period(D(2026, 11, 23), D(2027, 11, 23))
    assert validity.last_day == D(2027, 11, 22)


@pytest.mark.parametrize(
    ("rights_until", "expected_until"),
    [
        (D(2027, 3, 1), D(2027, 3, 1)),  # rights end first: the attestation ends with them
        (D(2027, 11, 22), D(2027, 11, 22)),  # one day before the year's end
        (D(2027, 11, 23), D(2027, 11, 23)),  # exactly the year
        (D(2027, 11, 24), D(2027, 11, 23)),  # later: capped at one year
        (D(2026, 11, 24), D(2026, 11, 24)),  # rights end tomorrow: valid today only
    ],
)
def test_an_attestation_never_outlives_the_rights(rights_until, expected_until):
    validity = rules.attestation_validity(D(2026, 11, 23), rights_until)
    assert validity.valid_until == expected_until


def test_ceam_card_and_provisional_certificate_periods():
    assert rules.ceam_card_validity(D(2026, 11, 23)) == Period(D(2026, 11, 23), D(2028, 11, 23))
    assert rules.ceam_card_validity(D(2028, 2, 29)).valid_until == D(2030, 3, 1)
    assert rules.provisional_certificate_validity(D(2026, 11, 23), None).valid_until == D(
        2027, 2, 23
    )
    assert rules.provisional_certificate_validity(D(2026, 11, 23), D(2027, 1, 1)).valid_until == D(
        2027, 1, 1
    )


def test_rights_end_joins_touching_and_overlapping_periods():
    periods = (
        Period(D(2020, 1, 1), D(2026, 7, 1)),
        Period(D(2026, 7, 1), D(2027, 1, 1)),  # touches
        Period(D(2026, 12, 1), D(2027, 6, 1)),  # overlaps
        Period(D(2027, 6, 2), None),  # one day's gap: not joined
    )
    assert rules.rights_end(periods, D(2026, 3, 1)) == D(2027, 6, 1)
    assert rules.rights_end(periods, D(2027, 6, 2)) is None


def test_rights_are_not_open_on_the_end_date_nor_before_the_start():
    periods = (Period(D(2026, 1, 1), D(2026, 11, 23)),)
    assert rules.rights_end(periods, D(2026, 11, 22)) == D(2026, 11, 23)
    with pytest.raises(NoOpenRights):
        rules.rights_end(periods, D(2026, 11, 23))  # valid_until is exclusive
    with pytest.raises(NoOpenRights):
        rules.rights_end(periods, D(2025, 12, 31))
    with pytest.raises(NoOpenRights):
        rules.rights_end((), D(2026, 1, 1))


@pytest.mark.parametrize(
    ("on", "is_revoked", "state"),
    [
        (D(2026, 11, 22), False, DocumentState.NOT_YET_VALID),
        (D(2026, 11, 23), False, DocumentState.VALID),  # first day
        (D(2027, 11, 22), False, DocumentState.VALID),  # last day
        (D(2027, 11, 23), False, DocumentState.EXPIRED),  # the exclusive end
        (D(2027, 1, 1), True, DocumentState.REVOKED),
    ],
)
def test_document_state(on, is_revoked, state):
    period = Period(D(2026, 11, 23), D(2027, 11, 23))
    assert rules.document_state(period, is_revoked=is_revoked, on=on) == state


# --- Verification codes -------------------------------------------------------------------------


def test_codes_carry_at_least_80_bits_in_an_unambiguous_alphabet():
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 32
    assert not set("01OI") & set(CODE_ALPHABET)
    assert rules.CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 80
    code = rules.new_verification_code()
    assert len(code) == 19 and code.count("-") == 3
    assert all(len(group) == 4 for group in code.split("-"))
    assert len({rules.new_verification_code() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JKLM-NPQR",
        "abcd-efgh-jklm-npqr",
        "ABCDEFGHJKLMNPQR",
        " abcd efgh jklm npqr ",
        "AbCd–EfGh—JkLm-NpQr",
        "ABCD.EFGH.JKLM.NPQR",
    ],
)
def test_normalising_accepts_case_spaces_and_missing_dashes(typed):
    assert rules.normalise_code(typed) == "ABCDEFGHJKLMNPQR"


@pytest.mark.parametrize(
    "typed",
    ["", "ABCD-EFGH-JKLM-NPQ", "ABCD-EFGH-JKLM-NPQRS", "ABCD-EFGH-JKLM-NPQ0", "ABCD-EFGH-JKLM-NPQI",
     "ABCD/EFGH/JKLM/NPQR", "ABCD-EFGH-JKLM-NPQÉ"],
)  # fmt: skip
def test_malformed_codes_are_refused(typed):
    with pytest.raises(MalformedCode):
        rules.normalise_code(typed)


@given(st.text(alphabet=CODE_ALPHABET, min_size=16, max_size=16))
def test_a_printed_code_normalises_back_to_its_symbols(symbols):
    printed = rules.format_code(symbols)
    assert rules.normalise_code(printed) == symbols
    assert rules.normalise_code(printed.lower().replace("-", " ")) == symbols
    assert rules.code_digest(symbols) == rules.code_digest(rules.normalise_code(printed.lower()))
    assert len(rules.code_digest(symbols)) == 64


def test_holder_initials_and_spaced_nir():
    assert rules.holder_initials("camille anne", "de la Tour") == "C. D."
    assert rules.spaced_nir("185017505612324") == "1 85 01 75 056 123 24"


# --- Fund codes (our convention) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("department", "caisse"),
    [("75", "751"), ("01", "011"), ("69", "691"), ("2A", "201"), ("2b", "202"), ("974", "974")],
)
def test_fund_codes(department, caisse):
    codes = rules.fund_codes(department)
    assert (codes.regime, codes.caisse, codes.centre) == ("01", caisse, "0001")
    assert str(codes) == f"01 {caisse} 0001"


@pytest.mark.parametrize("department", ["", "7", "2C", "9745", "AB"])
def test_fund_codes_refuse_what_is_no_departement(department):
    with pytest.raises(rules.UnknownDepartment):
        rules.fund_codes(department)


# --- What an attestation shows ------------------------------------------------------------------

OPEN = (Period(D(2020, 1, 1), None),)


def member(rank, **fields):
    defaults = {
        "last_name": f"Nom{rank}",
        "first_names": f"Prénom{rank}",
        "birth_date": D(1980 + rank, 1, 1),
        "has_attending_doctor": rank == 1,
        "coverage": OPEN,
    }
    return FileMember(rank=rank, **{**defaults, **fields})


def test_the_facts_list_every_beneficiary_with_open_rights_in_rank_order():
    file = InsuredFile(
        nir="185017505612324",
        fund_department="67",
        is_alsace_moselle=True,
        members=(
            member(3, coverage=(Period(D(2020, 1, 1), D(2027, 5, 1)),)),
            member(1),
            member(2, coverage=(Period(D(2020, 1, 1), D(2026, 11, 23)),)),  # closed today
            member(
                4,
                exemptions=(
                    ExemptionFacts("ald", Period(D(2020, 1, 1), D(2026, 11, 23))),  # ended
                    ExemptionFacts("css", Period(D(2027, 11, 22), None)),  # last day: shown
                    ExemptionFacts("maternity", Period(D(2027, 11, 23), None)),  # after: not
                    ExemptionFacts("invalidity", Period(D(2026, 1, 1), D(2026, 11, 24))),
                ),
            ),
        ),
    )
    facts = rules.attestation_facts(file, issued_on=D(2026, 11, 23))

    assert facts.validity == Period(D(2026, 11, 23), D(2027, 11, 23))
    assert [line.rank_label for line in facts.beneficiaries] == ["01", "03", "04"]
    assert facts.beneficiaries[1].rights_until == D(2027, 5, 1)
    assert [e.ground for e in facts.beneficiaries[2].exemptions] == ["invalidity", "css"]
    assert facts.scheme == Scheme.ALSACE_MOSELLE and facts.rate_percent == 90
    assert str(facts.fund_codes) == "01 671 0001"
    assert facts.beneficiaries[0].has_attending_doctor
    assert not facts.beneficiaries[1].has_attending_doctor


def test_no_attestation_without_open_rights_or_a_holder():
    closed = InsuredFile("185017505612324", "75", False, (member(1, coverage=()),))
    with pytest.raises(NoOpenRights):
        rules.attestation_facts(closed, issued_on=D(2026, 11, 23))
    dependant_only = InsuredFile("185017505612324", "75", False, (member(2),))
    with pytest.raises(NotAFileHolder):
        rules.attestation_facts(dependant_only, issued_on=D(2026, 11, 23))


def test_the_general_scheme_is_70_percent():
    file = InsuredFile("185017505612324", "75", False, (member(1),))
    facts = rules.attestation_facts(file, issued_on=D(2026, 11, 23))
    assert facts.scheme == Scheme.GENERAL and facts.rate_percent == 70


# --- Cards --------------------------------------------------------------------------------------


def test_no_carte_vitale_with_a_temporary_number_but_a_ceam_is_fine():
    with pytest.raises(CardNotAllowed) as refusal:
        rules.check_card_order(
            CardKind.CARTE_VITALE, has_temporary_number=True, has_open_rights=True
        )
    assert refusal.value.reason == CardRefusal.TEMPORARY_NUMBER
    rules.check_card_order(CardKind.CEAM, has_temporary_number=True, has_open_rights=True)
    rules.check_card_order(CardKind.CARTE_VITALE, has_temporary_number=False, has_open_rights=True)


def test_no_card_without_open_rights():
    with pytest.raises(CardNotAllowed) as refusal:
        rules.check_card_order(CardKind.CEAM, has_temporary_number=False, has_open_rights=False)
    assert refusal.value.reason == CardRefusal.NO_OPEN_RIGHTS


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("ordered", "produced", True),
        ("ordered", "cancelled", True),
        ("ordered", "sent", False),
        ("produced", "sent", True),
        ("produced", "cancelled", True),
        ("sent", "cancelled", False),
        ("cancelled", "produced", False),
        ("produced", "ordered", False),
    ],
)
def test_card_transitions(current, target, allowed):
    if allowed:
        rules.check_card_transition(current, target)
    else:
        with pytest.raises(BadCardTransition):
            rules.check_card_transition(current, target)
