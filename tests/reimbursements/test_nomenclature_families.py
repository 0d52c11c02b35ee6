"""Dated values of the families added to the shipped nomenclature, on both sides of each change.

Auxiliaries: the physiotherapy key letters AMK/AMS/AMC 2.15 € → 2.21 € on 2024-02-22.
Specialists: the second step of the 2024 medical convention, planned for 2025-07-01, was
suspended by the comité d'alerte and applied on 2026-01-01 (CNPSY, gynaecology, geriatrics).
Biology: the key letter B at 0.27 € (undated sources: shipped unchanged since 2017-01-01).
Dental and imaging codes are not shipped (reimbursements/data/README.md says why).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from reimbursements.nomenclature import rule_snapshot_from_files
from reimbursements.rules import compute_sheet
from reimbursements.rules.types import (
    AlreadyWithheld,
    BeneficiarySituation,
    CareLine,
    Pathway,
    Professional,
    SheetInput,
)

ADULT = BeneficiarySituation(date(1985, 1, 15))

# (code, first day of the new value, value the day before, value from that day)
CHANGES = [
    ("AMK", date(2024, 2, 22), "2.15", "2.21"),
    ("AMS", date(2024, 2, 22), "2.15", "2.21"),
    ("AMC", date(2024, 2, 22), "2.15", "2.21"),
    ("CNPSY", date(2026, 1, 1), "55.00", "57.00"),
    ("CGYN", date(2026, 1, 1), "37.00", "40.00"),
    ("CGER", date(2026, 1, 1), "37.00", "42.00"),
]


def tariff(code, on):
    return rule_snapshot_from_files().on(on).acts[code].tariff


@pytest.mark.parametrize(("code", "first_day", "before", "after"), CHANGES)
def test_each_value_holds_up_to_the_day_before_its_change(code, first_day, before, after):
    assert tariff(code, first_day - timedelta(days=1)) == Decimal(before)
    assert tariff(code, first_day) == Decimal(after)


@pytest.mark.parametrize("code", ["CNPSY", "CGYN", "CGER"])
def test_the_specialists_second_step_did_not_apply_on_2025_07_01(code):
    assert tariff(code, date(2025, 7, 1)) == tariff(code, date(2024, 12, 22))
    assert tariff(code, date(2025, 12, 31)) == tariff(code, date(2024, 12, 22))


def test_the_physiotherapy_key_letters_were_2_15_since_2017():
    for code in ("AMK", "AMS", "AMC"):
        assert tariff(code, date(2017, 1, 1)) == Decimal("2.15")


@pytest.mark.parametrize(
    ("day", "base", "paid"),
    [(date(2024, 2, 21), "17.20", "9.82"), (date(2024, 2, 22), "17.68", "10.10")],
)
def test_a_physiotherapy_session_without_base_takes_the_key_letter_of_its_day(day, base, paid):
    # AMK 8: 8 × 2.15 = 17.20 € then 8 × 2.21 = 17.68 €; 60 % (auxiliaries) minus the 0.50 €
    # paramedical franchise (doubled only on 2024-03-31): 10.32 − 0.50, and 10.608 truncated
    # to 10.60, − 0.50.
    line = CareLine("AMK", Decimal("17.68"), Professional.PHYSIOTHERAPIST, quantity=Decimal(8))
    sheet = SheetInput(day, ADULT, (line,), AlreadyWithheld())
    [result] = compute_sheet(sheet, rule_snapshot_from_files()).lines
    assert result.base == Decimal(base)
    assert result.amo_paid == Decimal(paid)


@pytest.mark.parametrize(
    ("day", "base"), [(date(2025, 12, 31), "55.00"), (date(2026, 1, 1), "57.00")]
)
def test_a_psychiatrist_consultation_without_base_takes_the_tariff_of_its_day(day, base):
    line = CareLine(
        "CNPSY", Decimal("60.00"), Professional.SPECIALIST, pathway=Pathway.REFERRED_BY_GP
    )
    sheet = SheetInput(day, ADULT, (line,), AlreadyWithheld())
    [result] = compute_sheet(sheet, rule_snapshot_from_files()).lines
    assert result.base == Decimal(base)
    assert result.depassement == Decimal("60.00") - Decimal(base)


# --- Biology ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2017, 1, 1), date(2024, 5, 14), date(2026, 11, 23)])
def test_the_biology_key_letter_is_0_27(day):
    assert tariff("B", day) == Decimal("0.27")


@pytest.mark.parametrize(
    ("day", "paid"), [(date(2024, 5, 14), "10.34"), (date(2024, 5, 15), "9.34")]
)
def test_a_laboratory_line_without_base_is_coefficient_times_b_at_60_percent(day, paid):
    # B 70: 70 × 0.27 = 18.90 €; 60 % = 11.34 €, minus the participation forfaitaire
    # (1 € then 2 € from 2024-05-15).
    line = CareLine("B", Decimal("18.90"), Professional.LABORATORY, quantity=Decimal(70))
    sheet = SheetInput(day, ADULT, (line,), AlreadyWithheld())
    [result] = compute_sheet(sheet, rule_snapshot_from_files()).lines
    assert result.base == Decimal("18.90")
    assert result.rate == Decimal("0.60")
    assert result.amo_paid == Decimal(paid)
