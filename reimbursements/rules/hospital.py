"""The forfait journalier hospitalier: what a stay (GHS) leaves to the patient per day.

Choices no parameter holds (days counted, exemptions, stays beyond 30 days) are listed in
reimbursements/data/README.md.
"""

from __future__ import annotations

from decimal import Decimal

from reimbursements.rules.context import LineContext
from reimbursements.rules.snapshot import EXEMPT_FROM_DAILY_CHARGE
from reimbursements.rules.steps import step_like
from reimbursements.rules.types import ZERO, CareLine, Exemption, ExplanationStep, Specialty

_AT_MP, _PSYCHIATRY = Exemption.AT_MP, Specialty.PSYCHIATRY  # read once (see rates.py)
DAY_SECONDS = 24 * 3600


def daily_charge(line: CareLine, context: LineContext) -> tuple[Decimal, int, ExplanationStep]:
    """(the charge, the days of stay, the step that says why) for a stay line.

    Days count from admission to discharge, the day of discharge included; a stay under 24 h
    counts none. The line's admission and discharge are set (checked by validation).
    """
    rules = context.rules
    admission, discharge = line.admission, line.discharge
    if admission is None or discharge is None:  # resolve_lines refuses such a stay line
        raise ValueError(f"{line.act_code}: a stay without its admission and discharge")
    if (discharge - admission).total_seconds() < DAY_SECONDS:
        return ZERO, 0, rules.steps["fjh.short_stay"]
    days = (discharge.date() - admission.date()).days + 1
    exemptions = context.person.exemptions
    if exemptions:
        for exemption in EXEMPT_FROM_DAILY_CHARGE:
            if exemption in exemptions:
                return ZERO, days, rules.fjh_exempt_steps[exemption]
        if line.at_mp_related and _AT_MP in exemptions:
            return ZERO, days, rules.fjh_exempt_steps[_AT_MP]
    age_in_days = (admission.date() - context.person.birth_date).days
    if age_in_days < rules.newborn_days:
        return ZERO, days, rules.steps["fjh.exempt.newborn"]
    figure = rules.fjh_psychiatry if line.specialty is _PSYCHIATRY else rules.fjh
    step = step_like(figure.step, figure.step.rule, params=(("days", str(days)),))
    return figure.value * days, days, step
