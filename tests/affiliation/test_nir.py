"""NIR rules against the examples of the Assurance Maladie's validator (tests/Spec/Cnamts/Nir/
NirKeySpec.php in github.com/assurance-maladie-digital/nir-validation) and fictitious numbers."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import nir as stdnum_nir

from affiliation.rules.nir import (
    IdentityMismatch,
    InvalidNir,
    NirError,
    NumberKind,
    control_key,
    identity_mismatches,
    parse_insured_number,
    parse_nir,
    temporary_number,
)

VALID_EXAMPLES = [
    ("255081416802538", "CNAM spec, classic public example"),
    ("294037512000591", "CNAM spec"),
    ("153124500723160", "CNAM spec"),
    ("284052A32102552", "CNAM spec, Corse-du-Sud (2A -> 19)"),
    ("284052B32102579", "CNAM spec, Haute-Corse (2B -> 18)"),
    ("284058832102532", "CNAM spec"),
    ("185017505612324", "fictitious, Paris"),
    ("290032A00404501", "fictitious, Ajaccio, key with a leading zero"),
    ("172112B03315016", "fictitious, Bastia"),
    ("295079912701217", "fictitious, born in Italy (99 + 127)"),
    ("188069710123436", "fictitious, Guadeloupe (971 + two-digit commune)"),
]


@pytest.mark.parametrize(("number", "source"), VALID_EXAMPLES)
def test_official_valid_examples_pass(number, source):
    assert parse_nir(number).number == number


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("255081416802500", NirError.KEY),  # CNAM spec: 38 expected
        ("284058832102530", NirError.KEY),  # the CNAM README's typo: its spec gives 32
        ("884058832102523", NirError.SEX),  # CNAM spec: 8 is not a NIR
        ("2840588321 30", NirError.LENGTH),  # CNAM spec: wrong length
        ("1851375056123" + f"{control_key('1851375056123'):02d}", NirError.MONTH),
        ("18501XX05612324", NirError.CHARACTERS),
        ("185010005612324", NirError.DEPARTMENT),
        ("185019805612324", NirError.DEPARTMENT),
        ("1850197701234" + f"{control_key('1850197701234'):02d}", NirError.DEPARTMENT),
        ("1850175000123" + f"{control_key('1850175000123'):02d}", NirError.COMMUNE),
        ("1850175056000" + f"{control_key('1850175056000'):02d}", NirError.ORDER),
    ],
)
def test_invalid_examples_name_their_reason(number, reason):
    with pytest.raises(InvalidNir) as caught:
        parse_nir(number)
    assert caught.value.reason == reason


def test_spaces_and_lower_case_corsica_are_normalised():
    assert parse_nir("2 84 05 2a 321 025 52").number == "284052A32102552"


def test_legacy_provisional_numbers_only_for_staff_imports():
    nnp = "7101312345678"  # 7 = man, 1 = creation, fund 013, sequence
    with pytest.raises(InvalidNir) as caught:
        parse_insured_number(nnp)
    assert caught.value.reason == NirError.LEGACY_NOT_ALLOWED
    assert parse_insured_number(nnp, allow_legacy=True) == (nnp, NumberKind.LEGACY_NNP)
    assert parse_insured_number("255081416802538") == ("255081416802538", NumberKind.NIR)


def test_identity_must_agree_with_the_number():
    nir = parse_nir("255081416802538")  # woman, born August 1955
    assert identity_mismatches(nir, sex="2", birth_date=datetime.date(1955, 8, 3)) == []
    assert identity_mismatches(nir, sex="1", birth_date=datetime.date(1956, 9, 3)) == [
        IdentityMismatch.SEX,
        IdentityMismatch.BIRTH_YEAR,
        IdentityMismatch.BIRTH_MONTH,
    ]


def test_corsica_letters_are_for_births_from_1976():
    lettered = parse_nir("284052A32102552")
    assert identity_mismatches(lettered, sex="2", birth_date=datetime.date(1984, 5, 1)) == []
    first_13 = "2740520321025"
    old_style = parse_nir(f"{first_13}{control_key(first_13):02d}")
    assert identity_mismatches(old_style, sex="2", birth_date=datetime.date(1974, 5, 1)) == []
    assert identity_mismatches(old_style, sex="2", birth_date=datetime.date(2074, 5, 1)) == [
        IdentityMismatch.CORSICA_CODE
    ]


def test_temporary_number_for_a_person_born_abroad_is_a_valid_nir():
    number = temporary_number(
        sex="2", birth_date=datetime.date(1995, 7, 9), country_code="127", order=12
    )
    assert number == "295079912701217"  # VALID_EXAMPLES' woman born in Italy
    assert parse_nir(number).is_born_abroad


# Every well-formed NIR: sex, year, month, a département (numeric, Corsica, overseas, abroad).
departments = st.sampled_from(
    [f"{n:02d}" for n in range(1, 97)] + ["2A", "2B", "99", "971", "974", "976"]
)


@st.composite
def valid_nirs(draw) -> str:
    department = draw(departments)
    commune_width = 2 if len(department) == 3 else 3
    commune = draw(st.integers(1, 10**commune_width - 1))
    first_13 = (
        f"{draw(st.sampled_from('12'))}{draw(st.integers(0, 99)):02d}"
        f"{draw(st.integers(1, 12)):02d}{department}{commune:0{commune_width}d}"
        f"{draw(st.integers(1, 999)):03d}"
    )
    return f"{first_13}{control_key(first_13):02d}"


@given(valid_nirs())
def test_every_generated_valid_nir_passes_and_agrees_with_stdnum(number):
    assert parse_nir(number).number == number
    assert stdnum_nir.is_valid(number)


@given(valid_nirs(), st.data())
def test_any_single_digit_change_fails(number, data):
    digit_positions = [i for i, char in enumerate(number) if char.isdigit()]
    position = data.draw(st.sampled_from(digit_positions))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(InvalidNir):
        parse_nir(changed)
