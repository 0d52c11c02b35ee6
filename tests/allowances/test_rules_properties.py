"""Properties of the engine over generated claims (hypothesis)."""

from bisect import bisect_left
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from allowances.rules.engine import allowance_for_period, compute_allowance
from allowances.rules.periods import months_before
from allowances.rules.types import AllowanceClaim, AllowanceKind, MonthlySalary
from cpam_portal.periods import add_years
from tests.allowances.rules_helpers import TABLE

money = st.decimals(min_value=0, max_value=30000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def claims(draw, kinds=tuple(AllowanceKind)):
    kind = draw(st.sampled_from(kinds))
    start = draw(st.dates(min_value=date(2017, 1, 1), max_value=date(2026, 12, 31)))
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=1200)))
    months = months_before(start, 12)
    salaries = tuple(
        MonthlySalary(
            month,
            draw(money),
            draw(st.none() | st.decimals(min_value=0, max_value=250, places=1)),
        )
        for month in months
    )
    is_ald = kind == AllowanceKind.SICKNESS and draw(st.booleans())
    return AllowanceClaim(
        kind,
        start,
        end,
        salaries,
        is_ald=is_ald,
        days_already_paid_3_years=draw(st.integers(min_value=0, max_value=400)),
        previous_stoppage_end=draw(
            st.none() | st.just(start - timedelta(days=draw(st.integers(1, 10))))
        ),
        affiliation_start=draw(st.none() | st.dates(min_value=date(2000, 1, 1), max_value=start)),
    )


def sickness_cap(start: date) -> Decimal:
    """The published-rule maximum: rate x (factor x SMIC mensuel x 3 / 91.25), rounded up."""
    factor = TABLE.decimal("allowance.sickness.cap_smic_factor", start)
    smic = TABLE.decimal("allowance.smic.monthly", start.replace(day=1) - timedelta(days=1))
    return (factor * smic * 3 / Decimal("91.25") / 2).quantize(Decimal("0.01"), rounding="ROUND_UP")


@settings(max_examples=80, deadline=None)
@given(claims())
def test_daily_amount_never_exceeds_the_cap_in_force(claim):
    result = compute_allowance(claim, TABLE)
    start = claim.stoppage_start
    assert result.daily_base <= result.daily_base_cap
    for segment in result.segments:
        if claim.kind == AllowanceKind.SICKNESS:
            assert segment.daily_amount <= sickness_cap(start)
        elif claim.kind == AllowanceKind.WORK_ACCIDENT:
            cap = TABLE.decimal("allowance.pass.annual", start) * Decimal("0.00834")
            assert segment.daily_amount <= (cap * Decimal("0.8")).quantize(
                Decimal("0.01"), "ROUND_UP"
            )
        else:
            pmss = TABLE.decimal("allowance.pmss.monthly", start)
            assert segment.daily_amount <= (pmss * 3 / Decimal("91.25") * Decimal("0.79")).quantize(
                Decimal("0.01"), "ROUND_UP"
            )


@settings(max_examples=80, deadline=None)
@given(claims(kinds=(AllowanceKind.SICKNESS,)))
def test_days_paid_never_exceed_360_over_any_3_year_window(claim):
    """With the days already paid in the 3 years before, no 3-year window holds more than 360."""
    result = compute_allowance(claim, TABLE)
    if claim.is_ald:
        assert all(s.end < add_years(claim.stoppage_start, 3) for s in result.segments)
        return
    paid = [s.start + timedelta(days=i) for s in result.segments for i in range(s.days)]
    for index, day in enumerate(paid):  # paid days are sorted: count those of the window
        window_start = add_years(day, -3) + timedelta(days=1)
        in_window = index + 1 - bisect_left(paid, window_start)
        assert in_window + claim.days_already_paid_3_years <= 360


@settings(max_examples=60, deadline=None)
@given(claims())
def test_same_input_same_output(claim):
    assert compute_allowance(claim, TABLE) == compute_allowance(claim, TABLE)


@settings(max_examples=60, deadline=None)
@given(claims(), st.integers(min_value=1, max_value=30))
def test_payment_periods_add_up_to_the_total(claim, period_days):
    result = compute_allowance(claim, TABLE)
    day, days, amount = claim.stoppage_start, 0, Decimal(0)
    while day <= claim.stoppage_end:
        period = allowance_for_period(result, day, day + timedelta(days=period_days - 1))
        days, amount = days + period.days, amount + period.amount
        day += timedelta(days=period_days)
    assert (days, amount) == (result.days_paid, result.total)
