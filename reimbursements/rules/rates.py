"""What the fund covers of a line before withholdings: its unit price, its rate, the flat fee.

Figures come from the dated parameters (each with its source in
reimbursements/data/parameters.csv); the choices no parameter holds are listed in
reimbursements/data/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reimbursements.rules.context import LineContext
from reimbursements.rules.snapshot import EXEMPT_FROM_PATHWAY, ActRules, DateRules, Figure
from reimbursements.rules.steps import line_step
from reimbursements.rules.types import (
    ZERO,
    ActKind,
    CareLine,
    Exemption,
    ExplanationStep,
    Family,
    Pathway,
    Professional,
    Sector,
    Specialty,
    Unit,
)

DOCTORS = frozenset({Professional.GENERAL_PRACTITIONER, Professional.SPECIALIST})
# Sectors whose fees the nomenclature's tariff reimburses as it is.
AT_TARIFF = frozenset({Sector.ONE, Sector.TWO_OPTAM})
# Pathways that keep the parcours rate whoever the doctor is.
IN_PATHWAY = frozenset(
    {Pathway.DECLARED_GP, Pathway.REFERRED_BY_GP, Pathway.EMERGENCY, Pathway.AWAY_FROM_HOME}
)
NEEDS_DECLARED_GP = frozenset({Pathway.DECLARED_GP, Pathway.REFERRED_BY_GP})
DIRECT_ACCESS_SPECIALTIES = frozenset(
    {Specialty.GYNAECOLOGY, Specialty.OPHTHALMOLOGY, Specialty.STOMATOLOGY}
)
# Members read once: on CPython 3.11 reading `Enum.MEMBER` goes through EnumType.__getattr__
# (~0.1 µs, measured), and every line reads several.
_AME, _MATERNITY, _AT_MP, _ALD, _INVALIDITY = (
    Exemption.AME,
    Exemption.MATERNITY,
    Exemption.AT_MP,
    Exemption.ALD,
    Exemption.INVALIDITY,
)
_DOCTOR = Family.DOCTOR
_STAY, _COEFFICIENT = Unit.STAY, Unit.COEFFICIENT
_SECTOR_TWO, _SECTOR_THREE = Sector.TWO, Sector.THREE
_CONSULTATION, _MAJORATION = ActKind.CONSULTATION, ActKind.MAJORATION
_DIRECT_ACCESS, _PSYCHIATRY = Pathway.DIRECT_ACCESS, Specialty.PSYCHIATRY


def unit_price(
    line: CareLine, act: ActRules, rules: DateRules
) -> tuple[Decimal, tuple[ExplanationStep, ...]]:
    """The price of one unit of the line, and the steps that set it.

    The line's own base when it carries one, else the nomenclature's tariff, lowered for a
    doctor's consultation in non-OPTAM sector 2 and for every act in sector 3.
    """
    base, tariff = line.base, act.tariff
    if base is not None:
        if act.act is None:
            return base, (line_step("base.unlisted", base),)
        if tariff is None:
            return base, (line_step("base.given", base),)
        if base != tariff:
            differs = line_step("base.differs", base, (("tariff", str(tariff)),))
            return base, (*act.tariff_steps, differs)
        return base, act.tariff_steps
    if tariff is None:  # resolve_lines lets through only lines with a base or a tariff
        raise ValueError(f"{line.act_code}: neither a base nor a tariff")
    sector = line.sector
    if sector in AT_TARIFF or act.family is not _DOCTOR or line.professional not in DOCTORS:
        return tariff, act.tariff_steps
    # Non-OPTAM sector 2 consultations: a lower base; sector 3: the tarif d'autorité on each
    # act, nothing on majorations (choices: reimbursements/data/README.md).
    if sector is _SECTOR_TWO and act.kind is _CONSULTATION:
        figure = rules.sector2_base[line.professional]
        if figure.value < tariff:
            return figure.value, (*act.tariff_steps, figure.step)
    elif sector is _SECTOR_THREE:
        figure = rules.sector3_base[line.professional]
        price = ZERO if act.kind is _MAJORATION else min(figure.value, tariff)
        return price, (*act.tariff_steps, figure.step)
    return tariff, act.tariff_steps


def full_cover(line: CareLine, exemptions: frozenset[Exemption]) -> Exemption | None:
    """The exemption that puts the line at 100 %, if any (the first that applies, in order)."""
    if not exemptions:
        return None
    if _AME in exemptions:
        return _AME
    if _MATERNITY in exemptions:
        return _MATERNITY
    if line.at_mp_related and _AT_MP in exemptions:
        return _AT_MP
    if line.ald_related and _ALD in exemptions:
        return _ALD
    if _INVALIDITY in exemptions:
        return _INVALIDITY
    return None


def line_rate(
    line: CareLine, act: ActRules, cover: Exemption | None, context: LineContext
) -> Figure:
    """The rate of the line: 100 % under `cover`, else its code's or its family's rate."""
    if cover is not None:
        return context.rules.full_cover[cover]
    if act.rate is not None:
        return act.rate
    return doctor_rate(line, act, context)


def doctor_rate(line: CareLine, act: ActRules, context: LineContext) -> Figure:
    """A doctor's rate: the normal rate in the parcours de soins, a lower one outside it."""
    rules = context.rules
    if context.age < rules.pathway_min_age:
        return rules.doctor_rate_under_age
    exemptions = context.person.exemptions
    if exemptions:
        for exemption in EXEMPT_FROM_PATHWAY:
            if exemption in exemptions:
                return rules.doctor_rate_exempt[exemption]
    pathway = line.pathway
    has_declared_gp = context.person.has_declared_gp
    if pathway in IN_PATHWAY:
        if pathway not in NEEDS_DECLARED_GP or has_declared_gp:
            return rules.rate[_DOCTOR]
    elif pathway is _DIRECT_ACCESS and has_declared_gp:
        specialty = line.specialty or act.specialty
        if specialty in DIRECT_ACCESS_SPECIALTIES or (
            specialty is _PSYCHIATRY and context.age <= rules.psychiatry_max_age
        ):
            return rules.doctor_rate_direct_access[specialty]
    return rules.rate_outside_pathway


def is_heavy_act(line: CareLine, act: ActRules, rules: DateRules) -> bool:
    """A tariff of the threshold or more, or a coefficient of the threshold or more."""
    unit = act.unit
    if unit is _STAY:
        return False
    if unit is _COEFFICIENT:
        return line.quantity >= rules.flat_fee_coefficient
    price = line.base if line.base is not None else act.tariff
    return price is not None and price * line.quantity >= rules.flat_fee_threshold


def has_stay_with_heavy_act(resolved: Sequence[tuple[ActRules, bool]]) -> bool:
    """Whether the sheet holds a stay and a heavy act: the stay then carries the one flat fee."""
    return len(resolved) > 1 and (
        any(is_heavy for _act, is_heavy in resolved) and any(act.is_stay for act, _ in resolved)
    )


def flat_fee_due(
    act: ActRules, context: LineContext, base: Decimal
) -> tuple[Decimal, ExplanationStep] | None:
    """The flat fee that replaces the ticket modérateur of a heavy act, with its step.

    Asked for a heavy act or a stay that no exemption covers. On a sheet with a stay and heavy
    acts, the stay carries the one fee and the heavy acts none; a stay alone carries none (None:
    the line's rate applies).
    """
    rules = context.rules
    if context.stay_with_heavy_act and not act.is_stay:
        return ZERO, rules.steps["flat_fee.in_stay"]
    if act.is_stay and not context.stay_with_heavy_act:
        return None
    return min(rules.flat_fee.value, base), rules.flat_fee.step
