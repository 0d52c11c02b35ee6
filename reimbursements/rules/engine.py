"""Care sheet → amounts: what the fund pays of each line, what stays with the patient.

For each line:
    base             = unit price (line's own, else the nomenclature's, sector-adjusted) × qty
    amo_gross        = base × rate, or base − flat fee on a heavy act
    ticket_moderateur= base − amo_gross − flat fee
    amo_paid         = amo_gross − participation forfaitaire − franchise (never below 0)
    depassement      = amount charged − base (never paid by the fund)
Rounding is per line, to the cent, with the dated mode `reimbursement.rounding`. The steps live
in their own modules: `validation`, `rates`, `withholdings`, `hospital`, `complements`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from operator import itemgetter

from cpam_portal.money import CENT
from reimbursements.rules.complements import css_part, local_scheme_part
from reimbursements.rules.context import LineContext
from reimbursements.rules.hospital import daily_charge
from reimbursements.rules.rates import (
    flat_fee_due,
    full_cover,
    has_stay_with_heavy_act,
    line_rate,
    unit_price,
)
from reimbursements.rules.snapshot import ActRules, RuleSnapshot
from reimbursements.rules.types import (
    ZERO,
    CareLine,
    Exemption,
    ExplanationStep,
    LineResult,
    Scheme,
    SheetInput,
    SheetResult,
    Totals,
)
from reimbursements.rules.validation import resolve_lines
from reimbursements.rules.withholdings import Ledger

__all__ = ["RuleSnapshot", "compute_sheet"]

ONE = Decimal("1.00")
# Members read once (on CPython 3.11 `Enum.MEMBER` costs ~0.1 µs: EnumType.__getattr__).
_ALSACE_MOSELLE, _CSS = Scheme.ALSACE_MOSELLE, Exemption.CSS


def compute_sheet(sheet: SheetInput, rules: RuleSnapshot) -> SheetResult:
    """Amounts of every line of `sheet` and its totals; raises `InvalidSheet` naming bad fields."""
    day = rules.on(sheet.care_date)
    resolved = resolve_lines(sheet, day)
    person = sheet.beneficiary
    context = LineContext(
        rules=day,
        person=person,
        age=age_on(person.birth_date, sheet.care_date),
        stay_with_heavy_act=has_stay_with_heavy_act(resolved),
    )
    ledger = Ledger(sheet.already_withheld)
    lines = sheet.lines
    results = tuple(
        [
            _line(line, act, is_heavy, context, ledger)
            for line, (act, is_heavy) in zip(lines, resolved, strict=True)
        ]
    )
    return SheetResult(
        care_date=sheet.care_date,
        lines=results,
        totals=_totals(lines, results),
        withheld=ledger.sheet_withholdings(),
    )


def age_on(birth: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _line(
    line: CareLine, act: ActRules, is_heavy: bool, context: LineContext, ledger: Ledger
) -> LineResult:
    """The amounts of one line; its withholdings are taken on `ledger`."""
    rules = context.rules
    rounding = rules.rounding
    exemptions = context.person.exemptions
    price, price_steps = unit_price(line, act, rules)
    # `quantize` itself rather than cpam_portal.money.to_cents on the two roundings every line
    # makes: the calls cost ~2 % of the engine's time (bench reimbursement_engine).
    base = (price * line.quantity).quantize(CENT, rounding)
    cover = full_cover(line, exemptions) if exemptions else None
    rate = line_rate(line, act, cover, context)
    steps: list[ExplanationStep] = [*price_steps, rate.step]
    # A heavy act's flat fee replaces the ticket modérateur, except in 100 % cases.
    fee = None
    if cover is None and (is_heavy or act.is_stay):
        fee = flat_fee_due(act, context, base)
    if fee is None:
        flat_fee = ZERO
        amo_gross = (base * rate.value).quantize(CENT, rounding)
    else:
        flat_fee, fee_step = fee
        steps.append(fee_step)
        amo_gross = base - flat_fee
    ticket_moderateur = base - amo_gross - flat_fee
    participation, franchise, franchise_kind, withheld_steps = ledger.withhold(
        line, act, context, amo_gross
    )
    steps += withheld_steps
    amo_paid = amo_gross - participation - franchise

    charge, days = ZERO, 0
    if act.is_stay:
        charge, days, charge_step = daily_charge(line, context)
        steps.append(charge_step)
    patient_share = ticket_moderateur + flat_fee
    local_part = css = ZERO
    if context.person.scheme is _ALSACE_MOSELLE:
        local_part = local_scheme_part(base, amo_gross, patient_share, charge, act, rules)
        if local_part:
            steps.append(act.local_rate.step)
    if _CSS in exemptions:
        css, css_step = css_part(patient_share, charge, local_part)
        steps.append(css_step)
    steps.append(rules.rounding_step)
    return LineResult(
        act_code=line.act_code,
        family=act.family,
        quantity=line.quantity,
        base=base,
        rate=rate.value if fee is None else ONE,
        amo_gross=amo_gross,
        participation_forfaitaire=participation,
        franchise=franchise,
        franchise_kind=franchise_kind,
        flat_fee=flat_fee,
        amo_paid=amo_paid,
        ticket_moderateur=ticket_moderateur,
        depassement=max(line.amount_charged - base, ZERO),
        hospital_daily_charge=charge,
        hospital_days=days,
        css_part=css,
        local_scheme_part=local_part,
        patient_remainder=line.amount_charged + charge - amo_paid - css - local_part,
        explanation=tuple(steps),
    )


# Positions in LineResult of the amounts that Totals sums, in Totals' order after amount_charged.
_SUMMED = tuple(
    LineResult._fields.index(name) for name in Totals._fields if name != "amount_charged"
)
_PICK_SUMMED = itemgetter(*_SUMMED)


def _totals(lines: tuple[CareLine, ...], results: tuple[LineResult, ...]) -> Totals:
    """The sums of the lines' amounts (picked by name, see `_SUMMED`)."""
    if len(results) == 1:
        return Totals(lines[0].amount_charged, *_PICK_SUMMED(results[0]))
    columns = _PICK_SUMMED(tuple(zip(*results, strict=True)))
    return Totals(
        sum([line.amount_charged for line in lines], ZERO),
        *[sum(column, ZERO) for column in columns],
    )
