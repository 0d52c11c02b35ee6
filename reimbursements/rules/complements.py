"""What covers the patient's share after the fund: the Alsace-Moselle local scheme, then the CSS.

The local scheme's rates are dated parameters (`local.rate.*`, sources in
reimbursements/data/parameters.csv).
"""

from __future__ import annotations

from decimal import Decimal

from cpam_portal.money import to_cents
from reimbursements.rules.snapshot import ActRules, DateRules
from reimbursements.rules.types import ZERO, ExplanationStep

# The source shown with the CSS step: statement lines keep the one of their day in their JSON.
CSS_SOURCE = "ameli.fr, page « Complémentaire santé solidaire » (address not recorded)"


def local_scheme_part(
    base: Decimal,
    amo_gross: Decimal,
    patient_share: Decimal,
    daily_charge: Decimal,
    act: ActRules,
    rules: DateRules,
) -> Decimal:
    """What the local scheme pays: its rate's total on the base less the fund's part.

    Never more than the patient's share (ticket modérateur and flat fee), never below zero;
    plus the daily charge of a stay when the scheme covers it.
    """
    local_total = to_cents(base * act.local_rate.value, rules.rounding)
    part = max(ZERO, min(patient_share, local_total - amo_gross))
    if daily_charge and rules.local_covers_fjh:
        part += daily_charge
    return part


def css_part(
    patient_share: Decimal, daily_charge: Decimal, local_part: Decimal
) -> tuple[Decimal, ExplanationStep]:
    """What the CSS pays, with its step: the patient's share and daily charge the local scheme left.

    Not the dépassement: it stays with the patient.
    """
    part = patient_share + daily_charge - local_part
    return part, ExplanationStep("css", str(part), None, CSS_SOURCE)
