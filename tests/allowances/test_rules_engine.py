"""The engine's rules one by one: waiting days, day-29 rate, durations, eligibility, bad input."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from allowances.rules.engine import allowance_for_period, compute_allowance, months_needed
from allowances.rules.types import AllowanceKind, InvalidClaim, MonthlySalary, RulesNotHeld
from tests.allowances.rules_helpers import TABLE, claim

SICKNESS = AllowanceKind.SICKNESS
WORK_ACCIDENT = AllowanceKind.WORK_ACCIDENT
MATERNITY = AllowanceKind.MATERNITY
START = date(2026, 3, 2)


def compute(*args, **kwargs):
    return compute_allowance(claim(*args, **kwargs), TABLE)


def problems_of(error) -> set[tuple[str, str]]:
    return {(problem.field, problem.code) for problem in error.value.problems}


def test_sickness_has_three_waiting_days():
    result = compute(SICKNESS, START, date(2026, 3, 15), "2000")
    assert result.waiting_days == 3
    assert result.segments[0].start == date(2026, 3, 5)
    assert result.days_paid == 11
    assert result.total == Decimal("11") * result.daily_amount


def test_a_stoppage_shorter_than_the_waiting_period_pays_nothing():
    result = compute(SICKNESS, START, date(2026, 3, 3), "2000")
    assert (result.waiting_days, result.days_paid, result.total) == (2, 0, Decimal("0.00"))


def test_no_new_waiting_period_after_48_hours_of_work():
    # Previous stoppage ended on the 27th; work on the 28th and 1st; new stoppage on the 2nd.
    result = compute(
        SICKNESS, START, date(2026, 3, 15), "2000", previous_stoppage_end=date(2026, 2, 27)
    )
    assert result.waiting_days == 0
    assert result.days_paid == 14
    assert result.explanation[1].rule == "waiting.none_work_resumed"


def test_a_new_waiting_period_after_three_days_of_work():
    result = compute(
        SICKNESS, START, date(2026, 3, 15), "2000", previous_stoppage_end=date(2026, 2, 26)
    )
    assert result.waiting_days == 3


def test_ald_one_waiting_period_per_three_years():
    within = compute(
        SICKNESS,
        START,
        date(2026, 3, 15),
        "2000",
        is_ald=True,
        ald_waiting_period_applied_on=date(2023, 3, 3),
    )
    after = compute(
        SICKNESS,
        START,
        date(2026, 3, 15),
        "2000",
        is_ald=True,
        ald_waiting_period_applied_on=date(2023, 3, 2),
    )
    assert (within.waiting_days, after.waiting_days) == (0, 3)


def test_work_accident_has_no_waiting_days_and_switches_rate_on_day_29():
    result = compute(WORK_ACCIDENT, date(2026, 1, 1), date(2026, 2, 15), "3000")
    assert result.waiting_days == 0
    first, second = result.segments
    assert (first.start, first.end, first.daily_amount) == (
        date(2026, 1, 1),
        date(2026, 1, 28),
        Decimal("59.16"),
    )
    assert (second.start, second.end, second.daily_amount) == (
        date(2026, 1, 29),
        date(2026, 2, 15),
        Decimal("78.88"),
    )
    # 3 000 / 30.42 = 98.619 -> 98.61; x 60 % = 59.166 and x 80 % = 78.888, truncated
    assert result.daily_base == Decimal("98.61")
    assert result.total == 28 * Decimal("59.16") + 18 * Decimal("78.88")


def test_maternity_has_no_waiting_days():
    result = compute(MATERNITY, START, date(2026, 6, 21), "2500")
    assert result.waiting_days == 0
    assert result.days_paid == 112
    assert result.daily_amount == Decimal("64.93")  # 7 500 / 91.25 = 82.19 (cut), x 79 %


def test_360_allowances_over_three_years_counting_those_already_paid():
    result = compute(SICKNESS, START, date(2027, 3, 1), "2000", days_already_paid_3_years=350)
    assert result.days_paid == 10
    assert result.last_payable_day == date(2026, 3, 14)


def test_no_allowance_left_when_360_were_already_paid():
    result = compute(SICKNESS, START, date(2026, 4, 1), "2000", days_already_paid_3_years=360)
    assert result.days_paid == 0
    assert result.total == Decimal("0.00")


def test_ald_pays_beyond_360_days_for_three_years_date_to_date():
    result = compute(
        SICKNESS,
        START,
        date(2029, 12, 31),
        "2000",
        is_ald=True,
        affiliation_start=date(2020, 1, 1),
        ald_period_start=date(2025, 1, 10),
        hours="151.67",
    )
    assert result.last_payable_day == date(2028, 1, 9)
    assert result.days_paid == (date(2028, 1, 9) - date(2026, 3, 5)).days + 1


def test_over_6_months_without_12_months_affiliation_stops_after_6_months():
    result = compute(
        SICKNESS,
        START,
        date(2026, 12, 31),
        "2000",
        is_ald=True,
        hours="151.67",
        affiliation_start=date(2025, 6, 1),
    )
    assert result.eligibility.applies_over_6_months
    assert result.eligibility.over_6_months.is_met is False
    assert result.last_payable_day == date(2026, 9, 1)


def test_over_6_months_with_the_conditions_met_pays_on():
    result = compute(
        SICKNESS,
        START,
        date(2026, 12, 31),
        "2000",
        is_ald=True,
        hours="151.67",
        affiliation_start=date(2020, 1, 1),
    )
    assert result.eligibility.over_6_months.is_met is True
    assert result.last_payable_day is None
    assert result.segments[-1].end == date(2026, 12, 31)


def test_a_stoppage_of_exactly_6_months_needs_no_long_conditions():
    result = compute(SICKNESS, START, date(2026, 9, 1), "2000", affiliation_start=date(2026, 1, 1))
    assert not result.eligibility.applies_over_6_months


def test_not_eligible_when_neither_hours_nor_contributions_reach_the_threshold():
    result = compute(SICKNESS, START, date(2026, 3, 31), "500", hours="40")
    assert result.eligibility.is_met is False
    assert result.days_paid == 0
    assert result.total == Decimal("0.00")


def test_eligible_by_hours_alone():
    result = compute(SICKNESS, START, date(2026, 3, 31), "500", hours="50")
    assert result.eligibility.up_to_6_months.hours_worked == Decimal("150")
    assert result.eligibility.is_met is True


def test_eligibility_unknown_without_hours_and_with_pay_below_the_threshold():
    result = compute(SICKNESS, START, date(2026, 3, 31), "1000")
    assert result.eligibility.is_met is None
    assert result.days_paid == 27  # paid, the explanation says it could not be checked


def test_work_accident_needs_no_eligibility():
    result = compute(WORK_ACCIDENT, START, date(2026, 3, 31), "100", hours="1")
    assert result.eligibility.is_required is False
    assert result.eligibility.is_met is True


def test_maternity_needs_six_months_of_affiliation():
    short = compute(
        MATERNITY, START, date(2026, 6, 21), "2500", affiliation_start=date(2025, 10, 1)
    )
    long = compute(MATERNITY, START, date(2026, 6, 21), "2500", affiliation_start=date(2025, 9, 2))
    assert (short.eligibility.is_met, long.eligibility.is_met) == (False, True)


def test_maternity_minimum_not_held_in_2019_applies_none_and_says_so():
    result = compute(MATERNITY, date(2019, 5, 1), date(2019, 8, 20), "100")
    assert result.daily_amount == Decimal("2.59")  # 300 / 91.25 = 3.28 (cut) x 79 %
    assert "amount.maternity_minimum_not_held" in {step.rule for step in result.explanation}


def test_cap_uses_the_smic_of_the_last_day_of_the_month_before():
    january = compute(SICKNESS, date(2026, 1, 20), date(2026, 1, 31), "0")
    assert january.salary_cap_monthly == Decimal("2522.52")  # 1.4 x 1 801.80 (2025-12-31)


def test_explanation_steps_carry_parameter_dates_and_sources():
    result = compute(SICKNESS, START, date(2026, 3, 15), "2000")
    steps = {step.rule: step for step in result.explanation}
    cap = steps["cap.sickness"]
    assert (cap.value, cap.effective_from) == ("2552.24", date(2025, 4, 1))
    assert "2025-160" in cap.source
    assert steps["base.sickness"].value == "65.75"
    assert steps["amount.rate"].value == "32.87"
    assert (steps["amount.maximum"].value, steps["amount.maximum"].params["reached"]) == (
        "41.95",
        "no",
    )
    rounding = steps["rounding"].params
    assert (rounding["amount_mode"], rounding["maximum_mode"]) == ("ROUND_DOWN", "ROUND_HALF_UP")
    assert steps["total"].params["days"] == "11"


def test_periods_of_a_stoppage_add_up_to_its_total():
    result = compute(WORK_ACCIDENT, date(2026, 1, 1), date(2026, 3, 31), "3000")
    day, periods = date(2026, 1, 1), []
    while day <= date(2026, 3, 31):
        periods.append(
            allowance_for_period(result, day, min(day + timedelta(days=13), date(2026, 3, 31)))
        )
        day += timedelta(days=14)
    assert sum(period.days for period in periods) == result.days_paid
    assert sum(period.amount for period in periods) == result.total
    crossing = allowance_for_period(result, date(2026, 1, 22), date(2026, 2, 4))
    assert [segment.daily_amount for segment in crossing.segments] == [
        Decimal("59.16"),
        Decimal("78.88"),
    ]
    assert crossing.amount == 7 * Decimal("59.16") + 7 * Decimal("78.88")


def test_a_period_inside_the_waiting_days_pays_nothing():
    result = compute(SICKNESS, START, date(2026, 3, 31), "2000")
    period = allowance_for_period(result, START, date(2026, 3, 4))
    assert (period.days, period.amount) == (0, Decimal("0.00"))


def test_months_needed_for_sickness_and_work_accident():
    sickness = months_needed(SICKNESS, START, TABLE)
    assert sickness.required == (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))
    assert sickness.allowed[0] == date(2025, 3, 1)
    assert months_needed(WORK_ACCIDENT, START, TABLE).required == (date(2026, 2, 1),)


def test_a_start_before_2017_is_refused_as_rules_not_held():
    with pytest.raises(RulesNotHeld) as error:
        compute(SICKNESS, date(2016, 12, 31), date(2017, 1, 10), "2000")
    assert problems_of(error) == {("stoppage_start", "rules_not_held")}


def test_every_bad_field_is_named():
    bad = claim(SICKNESS, START, date(2026, 3, 1), "2000", days_already_paid_3_years=-1)
    bad = type(bad)(
        **{
            **bad.__dict__,
            "salaries": (
                MonthlySalary(date(2026, 1, 1), Decimal("-1")),
                MonthlySalary(date(2024, 1, 1), Decimal("10")),
            ),
            "is_ald": False,
        }
    )
    with pytest.raises(InvalidClaim) as error:
        compute_allowance(bad, TABLE)
    assert problems_of(error) == {
        ("stoppage_end", "before_start"),
        ("days_already_paid_3_years", "negative"),
        ("monthly_gross_salaries", "negative"),
        ("monthly_gross_salaries", "month_not_needed"),
        ("monthly_gross_salaries", "missing"),
    }


def test_ald_is_for_sickness_only():
    with pytest.raises(InvalidClaim) as error:
        compute(MATERNITY, START, date(2026, 6, 1), "2000", is_ald=True)
    assert problems_of(error) == {("ald", "sickness_only")}


def test_previous_stoppage_must_end_before_the_new_one():
    with pytest.raises(InvalidClaim) as error:
        compute(SICKNESS, START, date(2026, 3, 9), "2000", previous_stoppage_end=START)
    assert problems_of(error) == {("previous_stoppage_end", "not_before_start")}
