"""The daily-allowance (indemnités journalières) engine: one stoppage in, its allowances out.

Pure: the caller passes the claim and the `allowance.` parameter table; every figure comes from
a dated row whose source the explanation quotes. docs/sources.md §3 and allowances/data/README.md
describe the rules and the choices made where sources disagree (⚠, also in the rows' notes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allowances.rules.eligibility import eligibility
from allowances.rules.periods import (
    ONE_DAY,
    days_between,
    month_start,
    month_text,
    months_before,
)
from allowances.rules.rounding import Rounding
from allowances.rules.types import (
    AllowanceClaim,
    AllowanceKind,
    AllowanceResult,
    ClaimProblem,
    Eligibility,
    ExplanationStep,
    InvalidClaim,
    PaidSegment,
    PeriodAllowance,
    RulesNotHeld,
)
from cpam_portal.parameters import ParameterMissing, ParameterTable, ParameterValue
from cpam_portal.periods import add_months, add_years

# The parameter table holds every value from this day on (SMIC from 2016 for the periods
# before early-2017 stoppages); earlier stoppages are refused rather than guessed.
EARLIEST_STOPPAGE_START = date(2017, 1, 1)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MonthsNeeded:
    required: tuple[date, ...]  # the months of the daily base: their pay must be given
    allowed: tuple[date, ...]  # every month the rules look at (eligibility over 12 months)


def months_needed(kind: AllowanceKind, stoppage_start: date, table: ParameterTable) -> MonthsNeeded:
    reference = int(table.decimal(f"allowance.{kind.value}.reference_months", stoppage_start))
    allowed = int(table.decimal("allowance.eligibility.over_6_months.months", stoppage_start))
    return MonthsNeeded(
        months_before(stoppage_start, reference), months_before(stoppage_start, allowed)
    )


def claim_problems(claim: AllowanceClaim, table: ParameterTable) -> tuple[ClaimProblem, ...]:
    """Every bad input of the claim (empty when it can be computed)."""
    problems: list[ClaimProblem] = []
    if claim.stoppage_end < claim.stoppage_start:
        problems.append(ClaimProblem("stoppage_end", "before_start"))
    if claim.stoppage_start < EARLIEST_STOPPAGE_START:
        problems.append(
            ClaimProblem(
                "stoppage_start",
                "rules_not_held",
                {"earliest": EARLIEST_STOPPAGE_START.isoformat()},
            )
        )
    if claim.days_already_paid_3_years < 0:
        problems.append(ClaimProblem("days_already_paid_3_years", "negative"))
    if claim.is_ald and claim.kind != AllowanceKind.SICKNESS:
        problems.append(ClaimProblem("ald", "sickness_only"))
    if claim.previous_stoppage_end is not None and (
        claim.previous_stoppage_end >= claim.stoppage_start
    ):
        problems.append(ClaimProblem("previous_stoppage_end", "not_before_start"))
    for name in ("ald_period_start", "ald_waiting_period_applied_on", "affiliation_start"):
        value = getattr(claim, name)
        if value is not None and value > claim.stoppage_start:
            problems.append(ClaimProblem(name, "after_start"))
    seen: set[date] = set()
    for salary in claim.salaries:
        codes = []
        if salary.month in seen:
            codes.append("duplicate_month")
        seen.add(salary.month)
        if salary.month.day != 1:
            codes.append("not_a_month")
        if salary.gross < 0:
            codes.append("negative")
        if salary.hours_worked is not None and salary.hours_worked < 0:
            codes.append("negative_hours")
        problems += [
            ClaimProblem("monthly_gross_salaries", code, {"month": month_text(salary.month)})
            for code in codes
        ]
    if claim.stoppage_start >= EARLIEST_STOPPAGE_START:
        needed = months_needed(claim.kind, claim.stoppage_start, table)
        for salary in claim.salaries:
            if salary.month.day == 1 and salary.month not in needed.allowed:
                problems.append(
                    ClaimProblem(
                        "monthly_gross_salaries",
                        "month_not_needed",
                        {
                            "month": month_text(salary.month),
                            "first": month_text(needed.allowed[0]),
                            "last": month_text(needed.allowed[-1]),
                        },
                    )
                )
        missing = [month for month in needed.required if month not in seen]
        if missing:
            problems.append(
                ClaimProblem(
                    "monthly_gross_salaries",
                    "missing",
                    {"months": ", ".join(month_text(month) for month in missing)},
                )
            )
    return tuple(problems)


def compute_allowance(claim: AllowanceClaim, table: ParameterTable) -> AllowanceResult:
    """The allowances of one stoppage, with the explanation of each figure.

    Raises `InvalidClaim` naming every bad input, `RulesNotHeld` when a parameter has no value
    in force (stoppages before 2017-01-01).
    """
    problems = claim_problems(claim, table)
    if any(problem.code == "rules_not_held" for problem in problems):
        raise RulesNotHeld(claim.stoppage_start)
    if problems:
        raise InvalidClaim(problems)
    try:
        return _compute(claim, table)
    except ParameterMissing as missing:
        raise RulesNotHeld(missing.on, missing.key) from missing


@dataclass
class _Steps:
    steps: list[ExplanationStep] = field(default_factory=list)

    def add(
        self, rule: str, value: object, row: ParameterValue | None = None, **params: object
    ) -> None:
        self.steps.append(
            ExplanationStep(
                rule,
                str(value),
                {name: str(param) for name, param in params.items()},
                row.valid_from if row else None,
                row.source if row else "",
            )
        )


@dataclass(frozen=True)
class _Base:
    salary_cap_monthly: Decimal
    daily_base_cap: Decimal
    daily_base: Decimal
    daily_amount: Decimal
    daily_amount_from_day_29: Decimal | None = None


def _compute(claim: AllowanceClaim, table: ParameterTable) -> AllowanceResult:
    start = claim.stoppage_start
    rounding = Rounding.on(table, start)
    steps = _Steps()
    verdict, eligibility_steps = eligibility(claim, table, rounding)
    steps.steps.extend(eligibility_steps)
    waiting_days, is_waiting_applied = _waiting_days(claim, table, steps)
    base = _BASES[claim.kind](claim, table, rounding, steps)
    steps.add(
        "rounding",
        rounding.amount_row.value,
        rounding.amount_row,
        daily_base_mode=rounding.daily_base_row.value,
        amount_mode=rounding.amount_row.value,
        maximum_mode=rounding.maximum_row.value,
    )

    first_paid = start + waiting_days * ONE_DAY
    last_paid = claim.stoppage_end
    limit: date | None = None
    if verdict.is_met is False:
        steps.add("duration.not_eligible", 0)
        limit = first_paid - ONE_DAY
    else:
        limit = _duration_limit(
            claim, table, verdict.applies_over_6_months, verdict, first_paid, steps
        )
    if limit is not None and limit < last_paid:
        last_paid = limit
    segments = _segments(claim, table, base, first_paid, last_paid)
    days_paid = sum(segment.days for segment in segments)
    total = sum((segment.daily_amount * segment.days for segment in segments), ZERO)
    steps.add("total", total, days=days_paid)
    return AllowanceResult(
        kind=claim.kind,
        stoppage_start=start,
        stoppage_end=claim.stoppage_end,
        eligibility=verdict,
        waiting_days=waiting_days,
        is_waiting_period_applied=is_waiting_applied,
        salary_cap_monthly=base.salary_cap_monthly,
        daily_base_cap=base.daily_base_cap,
        daily_base=base.daily_base,
        daily_amount=base.daily_amount,
        daily_amount_from_day_29=base.daily_amount_from_day_29,
        segments=segments,
        days_paid=days_paid,
        total=total,
        last_payable_day=limit if limit is not None and limit < claim.stoppage_end else None,
        explanation=tuple(steps.steps),
    )


def _waiting_days(claim: AllowanceClaim, table: ParameterTable, steps: _Steps) -> tuple[int, bool]:
    start = claim.stoppage_start
    if claim.kind == AllowanceKind.WORK_ACCIDENT:
        steps.add("waiting.none_work_accident", 0)
        return 0, False
    if claim.kind == AllowanceKind.MATERNITY:
        steps.add("waiting.none_maternity", 0)
        return 0, False
    if claim.previous_stoppage_end is not None:
        gap_row = table.get("allowance.sickness.waiting_gap_days", start)
        days_worked = (start - claim.previous_stoppage_end).days - 1
        if days_worked <= int(gap_row.decimal):
            steps.add(
                "waiting.none_work_resumed",
                0,
                gap_row,
                previous_end=claim.previous_stoppage_end.isoformat(),
                days_worked=days_worked,
            )
            return 0, False
    if claim.is_ald and claim.ald_waiting_period_applied_on is not None:
        years_row = table.get("allowance.sickness.ald_waiting_years", start)
        until = add_years(claim.ald_waiting_period_applied_on, int(years_row.decimal))
        if start < until:
            steps.add(
                "waiting.none_ald",
                0,
                years_row,
                applied_on=claim.ald_waiting_period_applied_on.isoformat(),
                years=years_row.value,
            )
            return 0, False
    row = table.get("allowance.sickness.waiting_days", start)
    stoppage_days = days_between(start, claim.stoppage_end)
    waiting = min(int(row.decimal), stoppage_days)
    steps.add("waiting.days", waiting, row, rule_days=row.value)
    return waiting, True


def _sickness_base(
    claim: AllowanceClaim, table: ParameterTable, rounding: Rounding, steps: _Steps
) -> _Base:
    start = claim.stoppage_start
    factor_row = table.get("allowance.sickness.cap_smic_factor", start)
    # The SMIC of the last day of the month before the stoppage (SP A18779; journaldunet).
    smic_on = month_start(start) - ONE_DAY
    smic_row = table.get("allowance.smic.monthly", smic_on)
    cap = rounding.maximum(factor_row.decimal * smic_row.decimal)
    steps.add(
        "cap.sickness",
        cap,
        factor_row,
        factor=factor_row.value,
        smic_monthly=smic_row.value,
        smic_on=smic_on.isoformat(),
        smic_source=smic_row.source,
    )
    return _capped_base(claim, table, rounding, steps, "sickness", cap, Decimal(1))


def _maternity_base(
    claim: AllowanceClaim, table: ParameterTable, rounding: Rounding, steps: _Steps
) -> _Base:
    start = claim.stoppage_start
    pmss_row = table.get("allowance.pmss.monthly", start)
    cap = rounding.maximum(pmss_row.decimal)
    steps.add("cap.maternity", cap, pmss_row, pmss=pmss_row.value)
    deduction_row = table.get("allowance.maternity.deduction", start)
    base = _capped_base(
        claim, table, rounding, steps, "maternity", cap, Decimal(1) - deduction_row.decimal
    )
    try:
        minimum_row: ParameterValue | None = table.get(
            "allowance.maternity.daily_amount_min", start
        )
    except ParameterMissing:
        minimum_row = None
    if minimum_row is None:
        steps.add("amount.maternity_minimum_not_held", base.daily_amount)
        return base
    if base.daily_amount < minimum_row.decimal:
        steps.add("amount.maternity_minimum", minimum_row.value, minimum_row)
        return _Base(
            cap, base.daily_base_cap, base.daily_base, rounding.maximum(minimum_row.decimal)
        )
    return base


def _capped_base(
    claim: AllowanceClaim,
    table: ParameterTable,
    rounding: Rounding,
    steps: _Steps,
    kind: str,
    cap: Decimal,
    rate_factor: Decimal,
) -> _Base:
    """Sickness and maternity: each month's pay capped, summed, divided, then the rate."""
    start = claim.stoppage_start
    months_row = table.get(f"allowance.{kind}.reference_months", start)
    divisor_row = table.get(f"allowance.{kind}.divisor", start)
    counted = Decimal(0)
    for month in months_before(start, int(months_row.decimal)):
        salary = claim.salary_of(month)
        gross = salary.gross if salary else Decimal(0)
        counted += min(gross, cap)
    counted = rounding.amount(counted)
    daily_base = rounding.daily_base(counted / divisor_row.decimal)
    daily_base_cap = rounding.daily_base(cap * months_row.decimal / divisor_row.decimal)
    steps.add(
        f"base.{kind}",
        daily_base,
        divisor_row,
        months=months_row.value,
        counted=counted,
        divisor=divisor_row.value,
    )
    if kind == "maternity":
        rate_row = table.get("allowance.maternity.deduction", start)
        rate = rate_factor
    else:
        rate_row = table.get("allowance.sickness.rate", start)
        rate = rate_row.decimal
    amount, maximum = rounding.daily_amount(daily_base, daily_base_cap, rate)
    if kind == "maternity":
        steps.add("amount.maternity", amount, rate_row, deduction=rate_row.value)
    else:
        steps.add("amount.rate", amount, rate_row, rate=rate, daily_base=daily_base)
    _maximum_step(steps, "amount.maximum", maximum, rounding, rate, daily_base_cap, daily_base)
    return _Base(cap, daily_base_cap, daily_base, amount)


def _maximum_step(
    steps: _Steps,
    rule: str,
    maximum: Decimal,
    rounding: Rounding,
    rate: Decimal,
    daily_base_cap: Decimal,
    daily_base: Decimal,
) -> None:
    """The published maximum daily amount, and whether the person's daily base reaches it."""
    steps.add(
        rule,
        maximum,
        rounding.maximum_row,
        rate=rate,
        daily_base_cap=daily_base_cap,
        reached="yes" if daily_base >= daily_base_cap else "no",
    )


def _work_accident_base(
    claim: AllowanceClaim, table: ParameterTable, rounding: Rounding, steps: _Steps
) -> _Base:
    start = claim.stoppage_start
    pass_row = table.get("allowance.pass.annual", start)
    cap_rate_row = table.get("allowance.work_accident.cap_pass_rate", start)
    divisor_row = table.get("allowance.work_accident.divisor", start)
    daily_cap = rounding.maximum(pass_row.decimal * cap_rate_row.decimal)
    monthly_cap = rounding.maximum(daily_cap * divisor_row.decimal)
    steps.add(
        "cap.work_accident",
        daily_cap,
        cap_rate_row,
        pass_annual=pass_row.value,
        rate=cap_rate_row.value,
        pass_source=pass_row.source,
    )
    months_row = table.get("allowance.work_accident.reference_months", start)
    months = months_before(start, int(months_row.decimal))
    gross = Decimal(0)
    for month in months:
        salary = claim.salary_of(month)
        gross += salary.gross if salary else Decimal(0)
    uncapped = rounding.daily_base(gross / divisor_row.decimal)
    daily_base = min(uncapped, daily_cap)
    steps.add(
        "base.work_accident",
        daily_base,
        divisor_row,
        counted=rounding.amount(gross),
        divisor=divisor_row.value,
        uncapped=uncapped,
    )
    rate_row = table.get("allowance.work_accident.rate", start)
    later_row = table.get("allowance.work_accident.rate_from_day_29", start)
    amount, maximum = rounding.daily_amount(daily_base, daily_cap, rate_row.decimal)
    later, later_maximum = rounding.daily_amount(daily_base, daily_cap, later_row.decimal)
    steps.add("amount.rate", amount, rate_row, rate=rate_row.value, daily_base=daily_base)
    _maximum_step(
        steps, "amount.maximum", maximum, rounding, rate_row.decimal, daily_cap, daily_base
    )
    steps.add("amount.from_day_29", later, later_row, rate=later_row.value, daily_base=daily_base)
    _maximum_step(
        steps,
        "amount.maximum_from_day_29",
        later_maximum,
        rounding,
        later_row.decimal,
        daily_cap,
        daily_base,
    )
    return _Base(monthly_cap, daily_cap, daily_base, amount, later)


_BASES: dict[AllowanceKind, Callable[[AllowanceClaim, ParameterTable, Rounding, _Steps], _Base]] = {
    AllowanceKind.SICKNESS: _sickness_base,
    AllowanceKind.MATERNITY: _maternity_base,
    AllowanceKind.WORK_ACCIDENT: _work_accident_base,
}


def _duration_limit(
    claim: AllowanceClaim,
    table: ParameterTable,
    applies_over_6_months: bool,
    verdict: Eligibility,
    first_paid: date,
    steps: _Steps,
) -> date | None:
    """Last payable day set by a duration rule (None when none ends the stoppage early)."""
    start = claim.stoppage_start
    limits: list[date] = []
    if applies_over_6_months and verdict.over_6_months.is_met is False:
        row = table.get("allowance.eligibility.long_stoppage_months", start)
        last = add_months(start, int(row.decimal)) - ONE_DAY
        steps.add("duration.over_6_months_not_met", last.isoformat(), row, months=row.value)
        limits.append(last)
    if claim.kind == AllowanceKind.SICKNESS and claim.is_ald:
        row = table.get("allowance.sickness.ald_max_years", start)
        period_start = claim.ald_period_start or start
        last = add_years(period_start, int(row.decimal)) - ONE_DAY
        steps.add(
            "duration.ald", last.isoformat(), row, years=row.value, since=period_start.isoformat()
        )
        limits.append(last)
    elif claim.kind == AllowanceKind.SICKNESS:
        row = table.get("allowance.sickness.max_days_3_years", start)
        remaining = max(int(row.decimal) - claim.days_already_paid_3_years, 0)
        last = first_paid + (remaining - 1) * ONE_DAY
        steps.add(
            "duration.max_days",
            remaining,
            row,
            max_days=row.value,
            already_paid=claim.days_already_paid_3_years,
            last=last.isoformat(),
        )
        limits.append(last)
    return min(limits) if limits else None


def _segments(
    claim: AllowanceClaim, table: ParameterTable, base: _Base, first: date, last: date
) -> tuple[PaidSegment, ...]:
    if last < first:
        return ()
    if base.daily_amount_from_day_29 is None:
        return (PaidSegment(first, last, base.daily_amount),)
    switch_day = int(
        table.decimal("allowance.work_accident.increased_rate_from_day", claim.stoppage_start)
    )
    switch = claim.stoppage_start + (switch_day - 1) * ONE_DAY
    segments = []
    if first < switch:
        segments.append(PaidSegment(first, min(last, switch - ONE_DAY), base.daily_amount))
    if last >= switch:
        segments.append(PaidSegment(max(first, switch), last, base.daily_amount_from_day_29))
    return tuple(segments)


def allowance_for_period(
    result: AllowanceResult, period_start: date, period_end: date
) -> PeriodAllowance:
    """Days and amount due for [period_start, period_end] (both included) of a computed stoppage.

    A slice of the result's paid segments: the periods of a stoppage add up to its total.
    """
    if period_end < period_start:
        raise InvalidClaim((ClaimProblem("period_end", "before_start"),))
    pieces = []
    for segment in result.segments:
        first, last = max(segment.start, period_start), min(segment.end, period_end)
        if first <= last:
            pieces.append(PaidSegment(first, last, segment.daily_amount))
    return PeriodAllowance(
        period_start=period_start,
        period_end=period_end,
        segments=tuple(pieces),
        days=sum(piece.days for piece in pieces),
        amount=sum((piece.daily_amount * piece.days for piece in pieces), ZERO),
    )
