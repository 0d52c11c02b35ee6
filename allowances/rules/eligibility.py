"""Eligibility on the first day of a stoppage: hours worked or contributions paid, affiliation.

Sources in the parameter rows (`allowance.eligibility.*`): SP F3053, ameli congé maternité.
A condition is True, False, or None when the inputs do not settle it (a month's hours unknown):
the engine pays on None and says the condition could not be checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from allowances.rules.periods import month_end, months_before
from allowances.rules.rounding import Rounding
from allowances.rules.types import (
    AllowanceClaim,
    AllowanceKind,
    Eligibility,
    EligibilityTest,
    ExplanationStep,
)
from cpam_portal.parameters import ParameterTable
from cpam_portal.periods import add_months

PREFIX = "allowance.eligibility."


def any_of(*values: bool | None) -> bool | None:
    if any(value is True for value in values):
        return True
    if all(value is False for value in values):
        return False
    return None


def all_of(*values: bool | None) -> bool | None:
    if any(value is False for value in values):
        return False
    if all(value is True for value in values):
        return True
    return None


def _reached(
    amounts: list[Decimal | None], threshold: Decimal
) -> tuple[Decimal | None, bool | None]:
    """Total of the months (None if one is unknown) and whether it reaches the threshold."""
    known = sum((amount for amount in amounts if amount is not None), Decimal(0))
    if known >= threshold:
        return (known if None not in amounts else None), True
    if None in amounts:
        return None, None
    return known, False


def eligibility_test(
    claim: AllowanceClaim,
    table: ParameterTable,
    rounding: Rounding,
    group: str,
    *,
    hours_months: int,
    contribution_months: int,
    affiliation_months: int | None,
) -> EligibilityTest:
    start = claim.stoppage_start
    hours_threshold = int(table.decimal(f"{PREFIX}{group}.hours", start))
    hour_months = months_before(start, hours_months)
    paid_months = months_before(start, contribution_months)
    smic_on = paid_months[0]
    if table.text(f"{PREFIX}smic_date", start) == "stoppage_start":
        smic_on = start
    smic = table.decimal("allowance.smic.hourly", smic_on)
    multiple = table.decimal(f"{PREFIX}{group}.smic_multiple", start)
    contribution_threshold = rounding.maximum(smic * multiple)

    salaries = {salary.month: salary for salary in claim.salaries}
    hours = [salaries[m].hours_worked if m in salaries else None for m in hour_months]
    gross = [salaries[m].gross if m in salaries else None for m in paid_months]
    hours_worked, hours_met = _reached(hours, Decimal(hours_threshold))
    contributions, contributions_met = _reached(gross, contribution_threshold)
    is_activity_met = any_of(hours_met, contributions_met)

    is_affiliation_met = None
    if affiliation_months is not None and claim.affiliation_start is not None:
        is_affiliation_met = claim.affiliation_start <= add_months(start, -affiliation_months)
    is_met = is_activity_met
    if affiliation_months is not None:
        is_met = all_of(is_affiliation_met, is_activity_met)
    return EligibilityTest(
        hours_threshold=hours_threshold,
        hours_period=(hour_months[0], month_end(hour_months[-1])),
        contribution_threshold=contribution_threshold,
        contribution_period=(paid_months[0], month_end(paid_months[-1])),
        smic_hourly=smic,
        smic_hourly_on=smic_on,
        hours_worked=hours_worked,
        contributions=contributions,
        is_activity_met=is_activity_met,
        affiliation_months=affiliation_months,
        is_affiliation_met=is_affiliation_met,
        is_met=is_met,
    )


def lasts_over_6_months(claim: AllowanceClaim, table: ParameterTable) -> bool:
    months = int(table.decimal(f"{PREFIX}long_stoppage_months", claim.stoppage_start))
    return claim.stoppage_end >= add_months(claim.stoppage_start, months)


def eligibility(
    claim: AllowanceClaim, table: ParameterTable, rounding: Rounding
) -> tuple[Eligibility, list[ExplanationStep]]:
    start = claim.stoppage_start
    maternity = claim.kind == AllowanceKind.MATERNITY
    affiliation_short = None
    if maternity:
        affiliation_short = int(table.decimal("allowance.maternity.affiliation_months", start))
    short = eligibility_test(
        claim,
        table,
        rounding,
        "up_to_6_months",
        hours_months=int(table.decimal(f"{PREFIX}up_to_6_months.hours_months", start)),
        contribution_months=int(
            table.decimal(f"{PREFIX}up_to_6_months.contribution_months", start)
        ),
        affiliation_months=affiliation_short,
    )
    long_months = int(table.decimal(f"{PREFIX}over_6_months.months", start))
    long = eligibility_test(
        claim,
        table,
        rounding,
        "over_6_months",
        hours_months=long_months,
        contribution_months=long_months,
        # Maternity: the 12-month activity is an alternative, with the same 6-month affiliation.
        affiliation_months=None
        if maternity
        else int(table.decimal(f"{PREFIX}over_6_months.affiliation_months", start)),
    )
    applies_long = claim.kind == AllowanceKind.SICKNESS and lasts_over_6_months(claim, table)
    steps: list[ExplanationStep] = []
    if claim.kind == AllowanceKind.WORK_ACCIDENT:
        result = Eligibility(False, short, long, False, True)
        steps.append(ExplanationStep("eligibility.not_required", "met"))
        return result, steps
    if maternity:
        activity = any_of(short.is_activity_met, long.is_activity_met)
        is_met = all_of(short.is_affiliation_met, activity)
    else:
        is_met = short.is_met
    prefix = "eligibility.maternity_" if maternity else "eligibility."
    steps.append(_test_step(f"{prefix}up_to_6_months", short, table, start))
    if applies_long or maternity:
        steps.append(_test_step(f"{prefix}over_6_months", long, table, start))
    if short.affiliation_months is not None:
        steps.append(
            ExplanationStep(
                "eligibility.affiliation",
                _verdict(short.is_affiliation_met),
                {"months": str(short.affiliation_months)},
            )
        )
    return Eligibility(True, short, long, applies_long, is_met), steps


def _verdict(value: bool | None) -> str:
    return {True: "met", False: "not_met", None: "unknown"}[value]


def _test_step(
    rule: str, test: EligibilityTest, table: ParameterTable, on: date
) -> ExplanationStep:
    group = rule.rsplit(".", 1)[1].removeprefix("maternity_")
    row = table.get(f"{PREFIX}{group}.smic_multiple", on)
    return ExplanationStep(
        rule,
        _verdict(test.is_activity_met),
        {
            "hours_threshold": str(test.hours_threshold),
            "hours_from": test.hours_period[0].isoformat(),
            "hours_to": test.hours_period[1].isoformat(),
            "hours_worked": "" if test.hours_worked is None else str(test.hours_worked),
            "smic_multiple": row.value,
            "smic_hourly": str(test.smic_hourly),
            "smic_on": test.smic_hourly_on.isoformat(),
            "contribution_threshold": str(test.contribution_threshold),
            "contribution_from": test.contribution_period[0].isoformat(),
            "contribution_to": test.contribution_period[1].isoformat(),
            "contributions": "" if test.contributions is None else str(test.contributions),
        },
        row.valid_from,
        row.source,
    )
