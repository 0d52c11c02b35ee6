"""The public simulator's use case: a care sheet in, the engine's amounts out, nothing saved.

Shared by the JSON endpoint (`reimbursements.api`) and the page (`reimbursements.views.simulator`):
both validate their input, build a `SheetInput`, call `simulate()`, and show `result_data()`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cpam_portal.problems import invalid_param
from reimbursements.explanations import step_text
from reimbursements.models.statements import TOTAL_AMOUNTS
from reimbursements.nomenclature import rule_snapshot
from reimbursements.rules import compute_sheet
from reimbursements.rules.types import ErrorCode, InvalidSheet, SheetInput, SheetResult

LINE_AMOUNTS = (
    "base",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "flat_fee",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "hospital_daily_charge",
    "css_part",
    "local_scheme_part",
    "patient_remainder",
)
ERROR_MESSAGES = {
    ErrorCode.UNKNOWN_ACT_CODE: _(
        "Ce code d'acte n'existe pas à la date des soins : indiquez la base de remboursement "
        "imprimée sur la feuille."
    ),
    ErrorCode.BASE_REQUIRED: _(
        "Ce code n'a pas de tarif unique : indiquez la base de remboursement (prix unitaire)."
    ),
    ErrorCode.PARAMETERS_MISSING: _(
        "Les règles de remboursement de cette date ne sont pas connues."
    ),
    ErrorCode.QUANTITY_INVALID: _(
        "La quantité doit être positive, et entière pour des actes, des boîtes ou un séjour."
    ),
    ErrorCode.AMOUNT_NEGATIVE: _("Le montant ne peut pas être négatif."),
    ErrorCode.AMOUNT_TOO_LARGE: _("Ce montant dépasse les limites possibles."),
    ErrorCode.STAY_DATES_REQUIRED: _("Un séjour demande ses dates d'entrée et de sortie."),
    ErrorCode.STAY_DATES_INVALID: _("La sortie ne peut pas précéder l'entrée."),
    ErrorCode.NO_LINES: _("Indiquez au moins un acte."),
    ErrorCode.BIRTH_AFTER_CARE: _("La date de naissance est postérieure à la date des soins."),
}


def simulate(sheet: SheetInput) -> SheetResult:
    """The engine's result with the rules held in the database (cached); raises `InvalidSheet`."""
    return compute_sheet(sheet, rule_snapshot())


def invalid_params(error: InvalidSheet) -> list[dict[str, str]]:
    """The problem document's invalid_params: field path, stable code, translated message."""
    return [
        invalid_param(item.field, item.code, ERROR_MESSAGES[item.code]) for item in error.errors
    ]


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def explanation_data(steps) -> list[dict]:
    return [
        {
            "rule": step.rule,
            "value": step.value,
            "effective_from": step.effective_from.isoformat() if step.effective_from else None,
            "source": step.source,
            "text": step_text(step),
        }
        for step in steps
    ]


def result_data(result: SheetResult) -> dict:
    """The API's shape: amounts as strings with two decimals, rates as "0.70"."""
    lines = []
    for line in result.lines:
        data = {"act_code": line.act_code, "family": str(line.family)}
        data["quantity"] = f"{line.quantity.normalize():f}"
        for name in LINE_AMOUNTS:
            data[name] = _money(getattr(line, name))
        data["rate"] = f"{line.rate:.2f}"
        data["hospital_days"] = line.hospital_days
        data["explanation"] = explanation_data(line.explanation)
        lines.append(data)
    totals = {name: _money(getattr(result.totals, name)) for name in TOTAL_AMOUNTS}
    return {"care_date": result.care_date.isoformat(), "lines": lines, "totals": totals}
