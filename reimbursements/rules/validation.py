"""Whether a care sheet can be computed: each line's act rules, or every bad field at once."""

from __future__ import annotations

from decimal import Decimal

from reimbursements.rules.rates import is_heavy_act
from reimbursements.rules.snapshot import ActRules, DateRules
from reimbursements.rules.types import CareLine, ErrorCode, FieldError, InvalidSheet, SheetInput


def resolve_lines(sheet: SheetInput, rules: DateRules) -> list[tuple[ActRules, bool]]:
    """Each line's act rules and whether it is a heavy act; `InvalidSheet` naming every bad field.

    Every sheet goes through here, so the check only asks whether anything is wrong; the list
    of what is wrong is built when something is.
    """
    limit = rules.max_amount
    listed = rules.act_rules
    unlisted = rules.unlisted_rules
    resolved = []
    valid = bool(sheet.lines) and sheet.beneficiary.birth_date <= sheet.care_date
    for line in sheet.lines:
        act = listed.get(line.act_code) or unlisted[line.professional]
        resolved.append((act, act.may_be_heavy and is_heavy_act(line, act, rules)))
        if not _is_computable(line, act, limit):
            valid = False
    if not valid:
        raise InvalidSheet(_field_errors(sheet, limit, resolved))
    return resolved


def _is_computable(line: CareLine, act: ActRules, limit: Decimal) -> bool:
    """Whether `_field_errors` finds nothing wrong with the line."""
    quantity = line.quantity
    base = line.base
    return not (
        quantity <= 0
        or (act.whole_units and quantity % 1)
        or not 0 <= line.amount_charged <= limit
        or (base is not None and not 0 <= base <= limit)
        or (
            act.is_stay
            and (
                line.admission is None or line.discharge is None or line.discharge < line.admission
            )
        )
        or (base is None and act.tariff is None)
    )


def _field_errors(
    sheet: SheetInput, limit: Decimal, resolved: list[tuple[ActRules, bool]]
) -> list[FieldError]:
    errors: list[FieldError] = []
    if not sheet.lines:
        errors.append(FieldError("lines", ErrorCode.NO_LINES))
    if sheet.beneficiary.birth_date > sheet.care_date:
        errors.append(FieldError("beneficiary.birth_date", ErrorCode.BIRTH_AFTER_CARE))
    for index, (line, (act, _is_heavy)) in enumerate(zip(sheet.lines, resolved, strict=True)):
        where = f"lines[{index}]"
        if line.base is None:
            if act.act is None:
                errors.append(FieldError(f"{where}.act_code", ErrorCode.UNKNOWN_ACT_CODE))
            elif act.tariff is None:
                errors.append(FieldError(f"{where}.base", ErrorCode.BASE_REQUIRED))
        if line.quantity <= 0 or (act.whole_units and line.quantity % 1):
            errors.append(FieldError(f"{where}.quantity", ErrorCode.QUANTITY_INVALID))
        for name, amount in (("amount_charged", line.amount_charged), ("base", line.base)):
            if amount is None:
                continue
            if amount < 0:
                errors.append(FieldError(f"{where}.{name}", ErrorCode.AMOUNT_NEGATIVE))
            elif amount > limit:
                errors.append(FieldError(f"{where}.{name}", ErrorCode.AMOUNT_TOO_LARGE))
        if act.is_stay:
            if line.admission is None or line.discharge is None:
                errors.append(FieldError(f"{where}.admission", ErrorCode.STAY_DATES_REQUIRED))
            elif line.discharge < line.admission:
                errors.append(FieldError(f"{where}.discharge", ErrorCode.STAY_DATES_INVALID))
    return errors
