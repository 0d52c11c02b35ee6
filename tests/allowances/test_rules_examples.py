"""The published worked examples of daily allowances (docs/sources.md §3 names their pages), one
test each, figures as printed by the source.

Rounding: see allowances/data/README.md. An individual daily amount is truncated to the cent,
the caps and maxima (published regulatory figures) are rounded half-up: every example holds.
"""

from datetime import date
from decimal import Decimal

import pytest

from allowances.rules.engine import compute_allowance
from allowances.rules.types import AllowanceKind
from tests.allowances.rules_helpers import TABLE, claim

SICKNESS = AllowanceKind.SICKNESS
WORK_ACCIDENT = AllowanceKind.WORK_ACCIDENT
MATERNITY = AllowanceKind.MATERNITY
HIGH_PAY = "20000.00"  # far above every cap


def sickness_maximum(start: date) -> Decimal:
    return compute_allowance(claim(SICKNESS, start, start, HIGH_PAY), TABLE).daily_amount


def test_sp_example_2000_a_month_gives_sjb_65_75():
    """SP via moneyvox (01/2026): 2 000 €/month -> 6 000 € / 91.25 = SJB 65.75 €."""
    result = compute_allowance(claim(SICKNESS, date(2026, 1, 12), date(2026, 1, 25), "2000"), TABLE)
    assert result.daily_base == Decimal("65.75")


def test_sp_example_2000_a_month_daily_amount_is_32_87():
    """SP via moneyvox (01/2026): SJB 65.75 € -> 32.87 €/day (65.75 x 50 % = 32.875, truncated).

    allowance.rounding.amount = ROUND_DOWN (half-up would give ledroit.fr's 32.88 €).
    """
    result = compute_allowance(claim(SICKNESS, date(2026, 1, 12), date(2026, 1, 25), "2000"), TABLE)
    assert (result.daily_base, result.daily_amount) == (Decimal("65.75"), Decimal("32.87"))


def test_journaldunet_example_3000_a_month_daily_amount_is_49_31():
    """journaldunet prints 49.31 € (exact 49.3151 = 9 000 / 91.25 x 50 %): truncated, not 49.32.

    The stoppage date is ours: before 2025-04-01, when 3 000 €/month is below the 1.8 SMIC cap.
    """
    result = compute_allowance(claim(SICKNESS, date(2025, 3, 10), date(2025, 3, 31), "3000"), TABLE)
    assert (result.daily_base, result.daily_amount) == (Decimal("98.63"), Decimal("49.31"))


@pytest.mark.parametrize(
    ("start", "cap", "maximum"),
    [
        (date(2025, 3, 31), "3243.24", "53.31"),
        (date(2025, 4, 1), "2522.52", "41.47"),
        (date(2026, 2, 1), "2552.24", "41.95"),
    ],
)
def test_a_salary_one_cent_above_the_cap_gets_exactly_the_published_maximum(start, cap, maximum):
    """41.47 = half-up(82.93 x 50 % = 41.465): a base at the cap is not truncated to 41.46."""
    above = str(Decimal(cap) + Decimal("0.01"))
    result = compute_allowance(claim(SICKNESS, start, start, above), TABLE)
    assert result.salary_cap_monthly == Decimal(cap)
    assert result.daily_base == result.daily_base_cap
    assert result.daily_amount == Decimal(maximum)


def test_a_salary_just_below_the_cap_is_truncated_and_stays_under_the_maximum():
    """2 522.00 €/month: 7 566 / 91.25 = 82.9150 -> 82.91; x 50 % = 41.455 -> 41.45 (< 41.47)."""
    result = compute_allowance(claim(SICKNESS, date(2025, 6, 1), date(2025, 6, 1), "2522"), TABLE)
    assert (result.daily_base, result.daily_amount) == (Decimal("82.91"), Decimal("41.45"))


def test_work_accident_one_cent_above_the_daily_cap_gets_the_published_maxima():
    """SJR cap 400.82 € (2026): 400.83 x 30.42 is above it; maxima 240.49 / 320.66 € (half-up)."""
    gross = "12193.25"  # / 30.42 = 400.83
    result = compute_allowance(
        claim(WORK_ACCIDENT, date(2026, 6, 1), date(2026, 6, 1), gross), TABLE
    )
    assert result.daily_base == Decimal("400.82")
    assert (result.daily_amount, result.daily_amount_from_day_29) == (
        Decimal("240.49"),
        Decimal("320.66"),
    )


def test_sickness_maximum_53_31_for_a_stoppage_starting_2025_03_31():
    assert sickness_maximum(date(2025, 3, 31)) == Decimal("53.31")


def test_sickness_maximum_41_47_for_a_stoppage_starting_2025_04_01():
    assert sickness_maximum(date(2025, 4, 1)) == Decimal("41.47")


def test_sickness_maximum_41_47_for_a_stoppage_starting_2026_01_31():
    """A January 2026 stoppage still uses the SMIC of 2025-12-31 (1 801.80 €)."""
    assert sickness_maximum(date(2026, 1, 31)) == Decimal("41.47")


def test_sickness_maximum_41_95_for_a_stoppage_starting_2026_02_01():
    assert sickness_maximum(date(2026, 2, 1)) == Decimal("41.95")


def test_salary_cap_2025_is_2522_52():
    result = compute_allowance(claim(SICKNESS, date(2025, 6, 1), date(2025, 6, 1), "0"), TABLE)
    assert result.salary_cap_monthly == Decimal("2522.52")


def test_salary_cap_2026_is_2552_24_rounded_half_up_not_sp_2552_25():
    """SP A18779 prints 2 552.25 €, moneyvox 2 552.24 €: 1.4 x 1 823.03 = 2 552.242."""
    result = compute_allowance(claim(SICKNESS, date(2026, 2, 1), date(2026, 2, 1), "0"), TABLE)
    assert result.salary_cap_monthly == Decimal("2552.24")


def test_salary_cap_before_2025_04_01_is_1_8_smic():
    result = compute_allowance(claim(SICKNESS, date(2025, 3, 31), date(2025, 3, 31), "0"), TABLE)
    assert result.salary_cap_monthly == Decimal("3243.24")


def test_maternity_maximum_2025_is_101_94():
    result = compute_allowance(
        claim(MATERNITY, date(2025, 5, 1), date(2025, 8, 20), HIGH_PAY), TABLE
    )
    assert result.daily_amount == Decimal("101.94")


def test_maternity_minimum_2025_is_11_02():
    result = compute_allowance(claim(MATERNITY, date(2025, 5, 1), date(2025, 8, 20), "100"), TABLE)
    assert result.daily_amount == Decimal("11.02")


def test_maternity_maximum_2026_is_104_02():
    result = compute_allowance(
        claim(MATERNITY, date(2026, 3, 1), date(2026, 6, 20), HIGH_PAY), TABLE
    )
    assert result.daily_amount == Decimal("104.02")


def test_maternity_minimum_2026_is_11_12():
    result = compute_allowance(claim(MATERNITY, date(2026, 3, 1), date(2026, 6, 20), "100"), TABLE)
    assert result.daily_amount == Decimal("11.12")


def work_accident_maxima(start: date) -> tuple[Decimal, Decimal | None]:
    result = compute_allowance(claim(WORK_ACCIDENT, start, start, "50000"), TABLE)
    return result.daily_amount, result.daily_amount_from_day_29


def test_work_accident_maxima_2022_book_secu_vyv():
    assert work_accident_maxima(date(2022, 6, 1)) == (Decimal("205.84"), Decimal("274.46"))


def test_work_accident_maxima_2025_from_pass_47100():
    assert work_accident_maxima(date(2025, 6, 1)) == (Decimal("235.69"), Decimal("314.25"))


def test_work_accident_maxima_2026_hrconseil():
    assert work_accident_maxima(date(2026, 6, 1)) == (Decimal("240.49"), Decimal("320.66"))


def test_work_accident_daily_cap_2025_and_2026():
    assert compute_allowance(
        claim(WORK_ACCIDENT, date(2025, 6, 1), date(2025, 6, 1), "0"), TABLE
    ).daily_base_cap == Decimal("392.81")
    assert compute_allowance(
        claim(WORK_ACCIDENT, date(2026, 6, 1), date(2026, 6, 1), "0"), TABLE
    ).daily_base_cap == Decimal("400.82")


def test_eligibility_thresholds_for_a_stoppage_from_2017_01_01_sp_f3053():
    """SP F3053 copy: 150 h or 1 015 x 9.67 = 9 815.05 € over the 6 months before."""
    result = compute_allowance(claim(SICKNESS, date(2017, 1, 1), date(2017, 1, 10), "0"), TABLE)
    test = result.eligibility.up_to_6_months
    assert test.hours_threshold == 150
    assert test.hours_period == (date(2016, 10, 1), date(2016, 12, 31))
    assert (test.smic_hourly, test.smic_hourly_on) == (Decimal("9.67"), date(2016, 7, 1))
    assert test.contribution_threshold == Decimal("9815.05")
    assert test.contribution_period == (date(2016, 7, 1), date(2016, 12, 31))


def test_eligibility_threshold_for_a_stoppage_from_2024_01_01_c_i_j():
    """c-i-j.com and the issue's API contract: 1 015 x 11.65 = 11 824.75 € (SMIC of 2024-01-01).

    allowance.eligibility.smic_date is 'stoppage_start' from 2024-01-01 (the earliest date this
    reading is evidenced), 'period_start' before (SP F3053's 2017 figure, test above).
    """
    result = compute_allowance(claim(SICKNESS, date(2024, 1, 1), date(2024, 1, 10), "0"), TABLE)
    test = result.eligibility.up_to_6_months
    assert test.contribution_period == (date(2023, 7, 1), date(2023, 12, 31))
    assert (test.smic_hourly, test.smic_hourly_on) == (Decimal("11.65"), date(2024, 1, 1))
    assert test.contribution_threshold == Decimal("11824.75")


def test_eligibility_smic_reading_switches_on_2024_01_01():
    """The day before, the SMIC of the period's first day (2023-06-01: 11.52 €) still applies."""
    result = compute_allowance(claim(SICKNESS, date(2023, 12, 31), date(2024, 1, 10), "0"), TABLE)
    test = result.eligibility.up_to_6_months
    assert (test.smic_hourly, test.smic_hourly_on) == (Decimal("11.52"), date(2023, 6, 1))
    assert test.contribution_threshold == Decimal("11692.80")


def test_over_6_months_thresholds_beside_the_short_ones():
    result = compute_allowance(claim(SICKNESS, date(2024, 1, 1), date(2024, 1, 10), "0"), TABLE)
    test = result.eligibility.over_6_months
    assert test.hours_threshold == 600
    assert test.hours_period == (date(2023, 1, 1), date(2023, 12, 31))
    assert test.contribution_threshold == Decimal("23649.50")  # 2 030 x 11.65 (2024-01-01)
    assert test.affiliation_months == 12
