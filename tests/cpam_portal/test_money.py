"""The one home of money helpers: the cent, rounding with the caller's mode, the API string."""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest

from cpam_portal.money import CENT, ZERO, api_amount, to_cents


def test_the_cent_and_zero_are_two_decimal_amounts():
    assert str(CENT) == "0.01"
    assert str(ZERO) == "0.00"


@pytest.mark.parametrize(
    ("mode", "expected"),
    [(ROUND_HALF_UP, "2.13"), (ROUND_HALF_EVEN, "2.12"), (ROUND_DOWN, "2.12")],
)
def test_to_cents_rounds_with_the_mode_it_is_given(mode, expected):
    assert str(to_cents(Decimal("2.125"), mode)) == expected


def test_to_cents_keeps_two_decimals_on_a_whole_amount():
    assert str(to_cents(Decimal("19"), ROUND_HALF_UP)) == "19.00"


def test_an_api_amount_is_a_string_with_two_decimals_and_a_point():
    assert api_amount(Decimal("19")) == "19.00"
    assert api_amount(Decimal("13957.5")) == "13957.50"
    assert api_amount(Decimal("-0.10")) == "-0.10"


def test_an_absent_amount_stays_absent():
    assert api_amount(None) is None
