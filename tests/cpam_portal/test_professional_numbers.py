"""The numbers of health professionals: RPPS (Luhn key, idNatPS form) and ADELI."""

import pytest
from stdnum import luhn

from cpam_portal import professional_numbers as numbers


def rpps(serial: int) -> str:
    first_10 = f"1{serial:09d}"
    return first_10 + luhn.calc_check_digit(first_10)


def test_a_valid_rpps_number_passes_its_luhn_key():
    # 1000000000 + Luhn key 9: computed by hand, 11 digits.
    assert numbers.parse_rpps("10000000009") == "10000000009"


def test_an_rpps_number_may_be_typed_with_spaces_or_as_the_national_identifier():
    assert numbers.parse_rpps("100 000 000 09") == "10000000009"
    assert numbers.parse_rpps("810000000009") == "10000000009"  # idNatPS = "8" + RPPS


@pytest.mark.parametrize("typo", ["10000000008", "10000000019", "01000000009"])
def test_a_single_typo_in_an_rpps_number_is_caught_by_the_key(typo):
    with pytest.raises(numbers.InvalidRpps) as raised:
        numbers.parse_rpps(typo)
    assert raised.value.reason == "key"


@pytest.mark.parametrize("text", ["1000000000", "100000000099", "1000000000A", ""])
def test_an_rpps_number_has_eleven_digits(text):
    with pytest.raises(numbers.InvalidRpps) as raised:
        numbers.parse_rpps(text)
    assert raised.value.reason == "shape"


def test_all_zeros_is_not_an_rpps_number_even_though_its_key_adds_up():
    with pytest.raises(numbers.InvalidRpps):
        numbers.parse_rpps("00000000000")


def test_a_care_sheet_carries_an_rpps_number_with_its_key_or_an_adeli_number():
    assert numbers.parse_professional_number(rpps(7)) == rpps(7)
    assert numbers.parse_professional_number("8" + rpps(7)) == rpps(7)  # idNatPS
    assert numbers.parse_professional_number("75 1 23456 7") == "751234567"  # ADELI
    assert numbers.parse_professional_number("75.123.456-7") == "751234567"
    wrong_key = rpps(7)[:-1] + str((int(rpps(7)[-1]) + 1) % 10)
    for wrong in (wrong_key, "12345678", "", "000000000"):
        with pytest.raises(ValueError):
            numbers.parse_professional_number(wrong)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("10000000008", "key"), ("1234567890", "shape"), ("000000000", "shape"), ("", "shape")],
)
def test_a_wrong_care_sheet_number_says_whether_its_key_or_its_shape_is_wrong(text, reason):
    with pytest.raises(numbers.InvalidProfessionalNumber) as raised:
        numbers.parse_professional_number(text)
    assert raised.value.reason == reason
