"""Care sheet → amounts (RULES.md §3 reimbursement, §4 what stays with the patient, §11, §12).

For each line (RULES §3.1):
    base             = unit price (line's own, else the nomenclature's, sector-adjusted) × qty
    amo_gross        = round(base × rate), or base − flat fee on a heavy act (§4.4)
    ticket_moderateur= base − amo_gross − flat fee
    amo_paid         = amo_gross − participation forfaitaire − franchise (never below 0)
    depassement      = amount charged − base (never paid by the fund)
Rounding is per line, to the cent, with the dated mode `reimbursement.rounding`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from operator import itemgetter

from reimbursements.rules.snapshot import FAMILY_OF_PROFESSIONAL, DateRules, Figure, RuleSnapshot
from reimbursements.rules.types import (
    ZERO,
    ActKind,
    ActTariff,
    AlreadyWithheld,
    CareLine,
    ErrorCode,
    Exemption,
    ExplanationStep,
    Family,
    FieldError,
    FranchiseKind,
    InvalidSheet,
    LineResult,
    ParticipationCount,
    Pathway,
    Professional,
    Scheme,
    Sector,
    SheetInput,
    SheetResult,
    SheetWithholdings,
    Specialty,
    Totals,
    Unit,
)

__all__ = ["RuleSnapshot", "compute_sheet"]

CENT = Decimal("0.01")
ONE = Decimal("1.00")
DOCTORS = frozenset({Professional.GENERAL_PRACTITIONER, Professional.SPECIALIST})
# Pathways that keep the parcours rate whoever the doctor is (RULES §3.4).
IN_PATHWAY = frozenset(
    {Pathway.DECLARED_GP, Pathway.REFERRED_BY_GP, Pathway.EMERGENCY, Pathway.AWAY_FROM_HOME}
)
NEEDS_DECLARED_GP = frozenset({Pathway.DECLARED_GP, Pathway.REFERRED_BY_GP})
DIRECT_ACCESS_SPECIALTIES = frozenset(
    {Specialty.GYNAECOLOGY, Specialty.OPHTHALMOLOGY, Specialty.STOMATOLOGY}
)
UNIT_OF_FAMILY = {Family.PHARMACY: Unit.BOX, Family.HOSPITAL: Unit.STAY}
WHOLE_UNITS = frozenset({Unit.ACT, Unit.BOX, Unit.STAY})


CSS_SOURCE = "RULES.md §3.5 (ameli CSS page)"


def _step(rule: str, value: object, params: tuple[tuple[str, str], ...] = ()) -> ExplanationStep:
    """A step about the line itself (its own base): no parameter, no date."""
    return ExplanationStep(rule, str(value), None, "", params)


def _like(
    step: ExplanationStep, rule: str, value: str | None = None, params: tuple = ()
) -> ExplanationStep:
    """A step of `rule` that follows from the parameter of `step` (same date and source)."""
    return ExplanationStep(
        rule, step.value if value is None else value, step.effective_from, step.source, params
    )


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class _Ledger:
    """The person's withholdings as the sheet's lines consume the caps, in line order."""

    __slots__ = (
        "fr_medicine",
        "fr_paramedical",
        "fr_paramedical_day",
        "fr_transport",
        "fr_transport_day",
        "fr_year",
        "pf_by_professional",
        "pf_count",
        "pf_day",
        "pf_total",
        "pf_year",
    )

    def __init__(self, before: AlreadyWithheld) -> None:
        self.pf_year = before.participation_year
        self.fr_year = before.franchise_year
        day = before.participation_day
        self.pf_day = {key: value.count for key, value in day.items()} if day else {}
        self.fr_paramedical_day = before.franchise_paramedical_day
        self.fr_transport_day = before.franchise_transport_day
        self.pf_total = ZERO
        self.pf_count = 0
        self.pf_by_professional: dict[str, list] = {}
        self.fr_medicine = ZERO
        self.fr_paramedical = ZERO
        self.fr_transport = ZERO


def _validate(sheet: SheetInput, rules: DateRules) -> list[tuple]:
    """Each line's (act, family, unit, is heavy); `InvalidSheet` naming every bad field."""
    acts = rules.acts
    limit = rules.max_amount
    flat_families = rules.flat_fee_families
    resolved = []
    valid = bool(sheet.lines) and sheet.beneficiary.birth_date <= sheet.care_date
    for line in sheet.lines:
        act = acts.get(line.act_code)
        base = line.base
        if act is None:
            family = FAMILY_OF_PROFESSIONAL[line.professional]
            unit = UNIT_OF_FAMILY.get(family, Unit.ACT)
            valid = valid and base is not None
        else:
            family = act.family
            unit = act.unit
            valid = valid and (base is not None or act.tariff is not None)
        resolved.append(
            (act, family, unit, family in flat_families and _is_heavy(line, act, unit, rules))
        )
        quantity = line.quantity
        if (
            quantity <= 0
            or (unit in WHOLE_UNITS and quantity % 1)
            or not 0 <= line.amount_charged <= limit
            or (base is not None and not 0 <= base <= limit)
            or (
                unit is Unit.STAY
                and (
                    line.admission is None
                    or line.discharge is None
                    or line.discharge < line.admission
                )
            )
        ):
            valid = False
    if not valid:
        raise InvalidSheet(_errors(sheet, limit, resolved))
    return resolved


def _errors(sheet: SheetInput, limit: Decimal, resolved: list) -> list[FieldError]:
    errors: list[FieldError] = []
    if not sheet.lines:
        errors.append(FieldError("lines", ErrorCode.NO_LINES))
    if sheet.beneficiary.birth_date > sheet.care_date:
        errors.append(FieldError("beneficiary.birth_date", ErrorCode.BIRTH_AFTER_CARE))
    for index, (line, (act, _family, unit, _heavy)) in enumerate(
        zip(sheet.lines, resolved, strict=True)
    ):
        where = f"lines[{index}]"
        if line.base is None:
            if act is None:
                errors.append(FieldError(f"{where}.act_code", ErrorCode.UNKNOWN_ACT_CODE))
            elif act.tariff is None:
                errors.append(FieldError(f"{where}.base", ErrorCode.BASE_REQUIRED))
        if line.quantity <= 0 or (unit in WHOLE_UNITS and line.quantity % 1):
            errors.append(FieldError(f"{where}.quantity", ErrorCode.QUANTITY_INVALID))
        for name, amount in (("amount_charged", line.amount_charged), ("base", line.base)):
            if amount is None:
                continue
            if amount < 0:
                errors.append(FieldError(f"{where}.{name}", ErrorCode.AMOUNT_NEGATIVE))
            elif amount > limit:
                errors.append(FieldError(f"{where}.{name}", ErrorCode.AMOUNT_TOO_LARGE))
        if unit is Unit.STAY:
            if line.admission is None or line.discharge is None:
                errors.append(FieldError(f"{where}.admission", ErrorCode.STAY_DATES_REQUIRED))
            elif line.discharge < line.admission:
                errors.append(FieldError(f"{where}.discharge", ErrorCode.STAY_DATES_INVALID))
    return errors


def compute_sheet(sheet: SheetInput, rules: RuleSnapshot) -> SheetResult:
    """Amounts of every line of `sheet` and its totals; raises `InvalidSheet` naming bad fields."""
    day = rules.on(sheet.care_date)
    resolved = _validate(sheet, day)
    person = sheet.beneficiary
    exemptions = person.exemptions
    age = _age_on(person.birth_date, sheet.care_date)
    ledger = _Ledger(sheet.already_withheld)
    lines = sheet.lines
    # A stay that includes a heavy act carries one flat fee for the whole stay (RULES §4.4).
    stay_with_heavy_act = len(resolved) > 1 and (
        any(found[3] for found in resolved) and any(found[2] is Unit.STAY for found in resolved)
    )
    results = tuple(
        [
            _line(line, *found, stay_with_heavy_act, day, person, exemptions, age, ledger)
            for line, found in zip(lines, resolved, strict=True)
        ]
    )
    by_professional = ledger.pf_by_professional
    return SheetResult(
        sheet.care_date,
        results,
        _totals(lines, results),
        SheetWithholdings(
            ledger.pf_total,
            ledger.pf_count,
            {key: ParticipationCount(*entry) for key, entry in by_professional.items()}
            if by_professional
            else {},
            ledger.fr_medicine,
            ledger.fr_paramedical,
            ledger.fr_transport,
        ),
    )


def _is_heavy(line: CareLine, act: ActTariff | None, unit: Unit, day: DateRules) -> bool:
    """Tariff of 120 € or more, or coefficient of 60 or more (RULES §4.4)."""
    if unit is Unit.STAY:
        return False
    if unit is Unit.COEFFICIENT:
        return line.quantity >= day.flat_fee_coefficient
    unit_price = line.base if line.base is not None else (act.tariff if act else None)
    return unit_price is not None and unit_price * line.quantity >= day.flat_fee_threshold


def _unit_price(
    line: CareLine, act: ActTariff | None, family: Family, day: DateRules, steps: list
) -> Decimal:
    if act is not None and act.tariff is not None:
        steps.append(day.tariff_steps[act.code])
    if line.base is not None:
        if act is None:
            steps.append(_step("base.unlisted", line.base))
        elif act.tariff is None:
            steps.append(_step("base.given", line.base))
        elif line.base != act.tariff:
            steps.append(_step("base.differs", line.base, (("tariff", str(act.tariff)),)))
        return line.base
    tariff: Decimal = act.tariff  # type: ignore[union-attr,assignment]
    sector = line.sector
    if sector is Sector.ONE or sector is Sector.TWO_OPTAM:
        return tariff
    if family is Family.DOCTOR and line.professional in DOCTORS:
        kind = act.kind  # type: ignore[union-attr]
        # Non-OPTAM sector 2 consultations: lower base (P11 ⚠); sector 3: tarif d'autorité on
        # each act, nothing on majorations ⚠.
        if sector is Sector.TWO and kind is ActKind.CONSULTATION:
            figure = day.sector2_base[line.professional]
            if figure.value < tariff:
                steps.append(figure.step)
                return figure.value
        elif sector is Sector.THREE:
            figure = day.sector3_base[line.professional]
            steps.append(figure.step)
            return ZERO if kind is ActKind.MAJORATION else min(figure.value, tariff)
    return tariff


def _full_cover(line: CareLine, exemptions: frozenset[Exemption]) -> Exemption | None:
    """Which 100 % case covers the line, if any (RULES §3.5)."""
    if not exemptions:
        return None
    if Exemption.AME in exemptions:
        return Exemption.AME
    if Exemption.MATERNITY in exemptions:
        return Exemption.MATERNITY
    if line.at_mp_related and Exemption.AT_MP in exemptions:
        return Exemption.AT_MP
    if line.ald_related and Exemption.ALD in exemptions:
        return Exemption.ALD
    if Exemption.INVALIDITY in exemptions:
        return Exemption.INVALIDITY
    return None


def _doctor_rate(
    line: CareLine, specialty: Specialty | None, person, exemptions, age: int, day: DateRules
) -> Figure:
    """70 % in the parcours de soins, 30 % outside (RULES §3.4)."""
    normal = day.rate[Family.DOCTOR]
    if age < day.pathway_min_age:
        return Figure(normal.value, day.steps["pathway.under_age"])
    for exemption in (Exemption.MATERNITY, Exemption.CSS, Exemption.AME):
        if exemption in exemptions:
            return Figure(normal.value, day.steps[f"pathway.exempt.{exemption}"])
    pathway = line.pathway
    if pathway in IN_PATHWAY:
        if pathway not in NEEDS_DECLARED_GP or person.has_declared_gp:
            return normal
    elif pathway is Pathway.DIRECT_ACCESS and person.has_declared_gp:
        if specialty in DIRECT_ACCESS_SPECIALTIES:
            return Figure(normal.value, day.steps[f"pathway.direct_access.{specialty}"])
        if specialty is Specialty.PSYCHIATRY and age <= day.psychiatry_max_age:
            return Figure(normal.value, day.steps["pathway.direct_access.psychiatry"])
    return day.rate_outside_pathway


def _line(
    line: CareLine,
    act: ActTariff | None,
    family: Family,
    unit: Unit,
    is_heavy: bool,
    stay_with_heavy_act: bool,
    day: DateRules,
    person,
    exemptions: frozenset[Exemption],
    age: int,
    ledger: _Ledger,
) -> LineResult:
    rounding = day.rounding
    steps: list[ExplanationStep] = []
    unit_price = _unit_price(line, act, family, day, steps)
    base = (unit_price * line.quantity).quantize(CENT, rounding)
    specialty = line.specialty or (act.specialty if act is not None else None)
    kind = act.kind if act is not None else ActKind.ACT
    in_hospital = family is Family.HOSPITAL or line.admission is not None

    # Rate, or the 100 % case that replaces it.
    full = _full_cover(line, exemptions)
    if full is not None:
        rate = day.rate_full.value
        steps.append(day.steps[f"coverage.{full}"])
    elif family is Family.PHARMACY and act is not None and act.rate is not None:
        rate = act.rate
        steps.append(day.pharmacy_rate_steps[act.code])
    elif family is Family.DOCTOR:
        figure = _doctor_rate(line, specialty, person, exemptions, age, day)
        rate = figure.value
        steps.append(figure.step)
    else:
        figure = day.rate[family]
        rate = figure.value
        steps.append(figure.step)

    # Heavy act: a flat fee replaces the ticket modérateur (RULES §4.4), except in 100 % cases.
    flat_fee = ZERO
    if full is None and ((unit is Unit.STAY and stay_with_heavy_act) or is_heavy):
        if unit is Unit.STAY or not stay_with_heavy_act:
            flat_fee = min(day.flat_fee.value, base)
            steps.append(day.flat_fee.step)
        else:
            steps.append(day.steps["flat_fee.in_stay"])
        rate = ONE
        amo_gross = base - flat_fee
    else:
        amo_gross = (base * rate).quantize(CENT, rounding)
    ticket_moderateur = base - amo_gross - flat_fee

    # Participation forfaitaire (RULES §4.1).
    participation = ZERO
    if family in day.pf_families and kind is not ActKind.MAJORATION and not in_hospital:
        participation = _participation(line, day, exemptions, age, ledger, steps, amo_gross)

    # Franchises (RULES §4.2).
    franchise = ZERO
    franchise_kind = None
    if family is Family.PHARMACY:
        franchise_kind = FranchiseKind.MEDICINE
    elif family is Family.AUXILIARY:
        franchise_kind = FranchiseKind.PARAMEDICAL
    elif family is Family.TRANSPORT and line.pathway is not Pathway.EMERGENCY:
        franchise_kind = FranchiseKind.TRANSPORT
    if franchise_kind is not None and not in_hospital:
        franchise = _franchise(
            line, franchise_kind, day, exemptions, age, ledger, steps, amo_gross - participation
        )

    amo_paid = amo_gross - participation - franchise
    depassement = max(line.amount_charged - base, ZERO)

    # Forfait journalier hospitalier (RULES §4.3).
    daily_charge = ZERO
    days = 0
    if unit is Unit.STAY:
        daily_charge, days = _daily_charge(line, day, person, exemptions, steps)

    # Alsace-Moselle local scheme, then the CSS (RULES §3.2, §3.5).
    local_part = ZERO
    if person.scheme is Scheme.ALSACE_MOSELLE:
        if family is Family.PHARMACY and act is not None and act.code in day.local_pharmacy_rate:
            local = day.local_pharmacy_rate[act.code]
        else:
            local = day.local_rate[family]
        local_total = (base * local.value).quantize(CENT, rounding)
        local_part = max(ZERO, min(ticket_moderateur + flat_fee, local_total - amo_gross))
        if daily_charge and day.local_covers_fjh:
            local_part += daily_charge
        if local_part:
            steps.append(local.step)
    css_part = ZERO
    if Exemption.CSS in exemptions:
        css_part = ticket_moderateur + flat_fee + daily_charge - local_part
        steps.append(ExplanationStep("css", str(css_part), None, CSS_SOURCE))
    steps.append(day.rounding_step)

    remainder = line.amount_charged + daily_charge - amo_paid - css_part - local_part
    return LineResult(
        line.act_code,
        family,
        line.quantity,
        base,
        rate,
        amo_gross,
        participation,
        franchise,
        franchise_kind,
        flat_fee,
        amo_paid,
        ticket_moderateur,
        depassement,
        daily_charge,
        days,
        css_part,
        local_part,
        remainder,
        tuple(steps),
    )


def _participation(line, day: DateRules, exemptions, age, ledger: _Ledger, steps, room) -> Decimal:
    if age < day.pf_min_age:
        steps.append(day.steps["pf.exempt.under_age"])
        return ZERO
    for exemption in (Exemption.MATERNITY, Exemption.CSS, Exemption.AME):
        if exemption in exemptions:
            steps.append(day.steps[f"pf.exempt.{exemption}"])
            return ZERO
    # Without a professional id the daily count is kept within this sheet only.
    key = line.professional_id or ""
    count = ledger.pf_day.get(key, 0)
    if count >= day.pf_day_count:
        steps.append(day.pf_day_count_step)
        return ZERO
    amount = day.pf.value
    left = day.pf_year.value - ledger.pf_year
    if left < amount:
        amount = max(left, ZERO)
        steps.append(_like(day.pf_year.step, "pf.cap.year", params=(("left", str(amount)),)))
    if room < amount:  # the payment cannot go below zero: only what it holds is withheld
        amount = max(room, ZERO)
        steps.append(_like(day.pf.step, "pf.limited_by_payment", str(amount)))
    if not amount:
        return ZERO
    steps.append(day.pf.step)
    ledger.pf_day[key] = count + 1
    ledger.pf_year += amount
    ledger.pf_total += amount
    ledger.pf_count += 1
    if line.professional_id:
        entry = ledger.pf_by_professional.setdefault(line.professional_id, [0, ZERO])
        entry[0] += 1
        entry[1] += amount
    return amount


def _franchise(line, kind, day: DateRules, exemptions, age, ledger: _Ledger, steps, room):
    if age < day.franchise_min_age:
        steps.append(day.steps["franchise.exempt.under_age"])
        return ZERO
    for exemption in (Exemption.MATERNITY, Exemption.CSS, Exemption.AME):
        if exemption in exemptions:
            steps.append(day.steps[f"franchise.exempt.{exemption}"])
            return ZERO
    if kind is FranchiseKind.MEDICINE:
        figure = day.franchise_medicine
        amount = figure.value * line.quantity
    elif kind is FranchiseKind.PARAMEDICAL:
        figure = day.franchise_paramedical
        amount = figure.value
        left = day.franchise_paramedical_day.value - ledger.fr_paramedical_day
        if left < amount:
            amount = max(left, ZERO)
            steps.append(day.franchise_paramedical_day.step)
    else:
        figure = day.franchise_transport
        amount = figure.value * line.quantity
        left = day.franchise_transport_day.value - ledger.fr_transport_day
        if left < amount:
            amount = max(left, ZERO)
            steps.append(day.franchise_transport_day.step)
    left = day.franchise_year.value - ledger.fr_year
    if left < amount:
        amount = max(left, ZERO)
        steps.append(
            _like(day.franchise_year.step, "franchise.cap.year", params=(("left", str(amount)),))
        )
    if room < amount:
        amount = max(room, ZERO)
        steps.append(_like(figure.step, "franchise.limited_by_payment", str(amount)))
    if not amount:
        return ZERO
    steps.append(figure.step)
    ledger.fr_year += amount
    if kind is FranchiseKind.MEDICINE:
        ledger.fr_medicine += amount
    elif kind is FranchiseKind.PARAMEDICAL:
        ledger.fr_paramedical += amount
        ledger.fr_paramedical_day += amount
    else:
        ledger.fr_transport += amount
        ledger.fr_transport_day += amount
    return amount


def _daily_charge(line: CareLine, day: DateRules, person, exemptions, steps) -> tuple[Decimal, int]:
    """Days of stay, day of discharge included; none for a stay under 24 h (RULES §4.3)."""
    admission, discharge = line.admission, line.discharge
    if (discharge - admission).total_seconds() < 24 * 3600:  # type: ignore[operator]
        steps.append(day.steps["fjh.short_stay"])
        return ZERO, 0
    days = (discharge.date() - admission.date()).days + 1  # type: ignore[union-attr]
    for exemption in (Exemption.MATERNITY, Exemption.AME):
        if exemption in exemptions:
            steps.append(day.steps[f"fjh.exempt.{exemption}"])
            return ZERO, days
    if line.at_mp_related and Exemption.AT_MP in exemptions:
        steps.append(day.steps["fjh.exempt.at_mp"])
        return ZERO, days
    if (admission.date() - person.birth_date).days < day.newborn_days:  # type: ignore[union-attr]
        steps.append(day.steps["fjh.exempt.newborn"])
        return ZERO, days
    figure = day.fjh_psychiatry if line.specialty is Specialty.PSYCHIATRY else day.fjh
    step = figure.step
    steps.append(
        ExplanationStep(
            step.rule, step.value, step.effective_from, step.source, (("days", str(days)),)
        )
    )
    return figure.value * days, days


# Positions in LineResult of the amounts that Totals sums, in Totals' order after amount_charged.
_SUMMED = tuple(
    LineResult._fields.index(name) for name in Totals._fields if name != "amount_charged"
)


_PICK_SUMMED = itemgetter(*_SUMMED)


def _totals(lines: tuple[CareLine, ...], results: tuple[LineResult, ...]) -> Totals:
    if len(results) == 1:
        return Totals(lines[0].amount_charged, *_PICK_SUMMED(results[0]))
    columns = _PICK_SUMMED(tuple(zip(*results, strict=True)))
    return Totals(
        sum([line.amount_charged for line in lines], ZERO),
        *[sum(column, ZERO) for column in columns],
    )
