"""The rules held on one date: every figure the engine needs, resolved once per care date.

`RuleSnapshot` keeps the whole nomenclature and parameter table; `RuleSnapshot.on(day)` returns
a small frozen `DateRules` (cached per date) so that computing a line does no dictionary-of-
periods or bisect work, and the explanation steps are built once per date, not per line. What
the rules say about each act code (its family, unit, rate, withholdings) is resolved there too,
once, as an `ActRules`.
"""

from __future__ import annotations

import decimal
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cpam_portal.parameters import ParameterMissing, ParameterTable, ParameterValue
from reimbursements.rules.steps import step_like
from reimbursements.rules.types import (
    ActKind,
    ActTariff,
    ErrorCode,
    Exemption,
    ExplanationStep,
    Family,
    FieldError,
    FranchiseKind,
    InvalidSheet,
    Professional,
    Specialty,
    Unit,
)

PREFIX = "reimbursement."
ROUNDING_MODES = frozenset(
    name for name in dir(decimal) if name.startswith("ROUND_") and name != "ROUND_05UP"
)

# The family of a line whose act code the nomenclature does not hold follows its
# `professional`, as the simulator API publishes it.
FAMILY_OF_PROFESSIONAL = {
    Professional.GENERAL_PRACTITIONER: Family.DOCTOR,
    Professional.SPECIALIST: Family.DOCTOR,
    Professional.DENTIST: Family.DENTAL,
    Professional.MIDWIFE: Family.MIDWIFE,
    Professional.NURSE: Family.AUXILIARY,
    Professional.PHYSIOTHERAPIST: Family.AUXILIARY,
    Professional.PHARMACY: Family.PHARMACY,
    Professional.LABORATORY: Family.BIOLOGY,
    Professional.RADIOLOGY: Family.IMAGING,
    Professional.TRANSPORT: Family.TRANSPORT,
    Professional.HOSPITAL: Family.HOSPITAL,
}
UNIT_OF_FAMILY = {Family.PHARMACY: Unit.BOX, Family.HOSPITAL: Unit.STAY}
WHOLE_UNITS = frozenset({Unit.ACT, Unit.BOX, Unit.STAY})
FRANCHISE_OF_FAMILY = {
    Family.PHARMACY: FranchiseKind.MEDICINE,
    Family.AUXILIARY: FranchiseKind.PARAMEDICAL,
    Family.TRANSPORT: FranchiseKind.TRANSPORT,
}
# Exemptions that take a whole rule away, whatever the line (parcours, withholdings, daily
# charge) and those that put every line, or the related ones, at 100 %.
EXEMPT_FROM_PATHWAY = (Exemption.MATERNITY, Exemption.CSS, Exemption.AME)
EXEMPT_FROM_WITHHOLDINGS = (Exemption.MATERNITY, Exemption.CSS, Exemption.AME)
EXEMPT_FROM_DAILY_CHARGE = (Exemption.MATERNITY, Exemption.AME)
FULL_COVER = (
    Exemption.ALD,
    Exemption.MATERNITY,
    Exemption.AT_MP,
    Exemption.INVALIDITY,
    Exemption.AME,
)


def step_of(value: ParameterValue, shown: str | None = None) -> ExplanationStep:
    rule = value.key.removeprefix(PREFIX)
    return ExplanationStep(rule, shown or value.value, value.valid_from, value.source)


@dataclass(frozen=True, slots=True)
class Figure:
    """A parameter's value on the date with its ready-made explanation step."""

    value: Decimal
    step: ExplanationStep


@dataclass(frozen=True, slots=True)
class ActRules:
    """What the rules of one period say about every line of one act code.

    Built once per period by `DateRules` (for each code it holds, and for each professional's
    codes it does not), so that a line reads its family's rules instead of working them out.
    """

    act: ActTariff | None  # None: a code the nomenclature does not hold on the date
    family: Family
    unit: Unit
    kind: ActKind
    specialty: Specialty | None
    tariff: Decimal | None  # per unit; None: the line must carry its own base
    tariff_steps: tuple[ExplanationStep, ...]  # the tariff's step, when there is a tariff
    rate: Figure | None  # None for doctors: the parcours de soins decides
    local_rate: Figure  # the Alsace-Moselle local scheme's rate
    franchise: FranchiseKind | None  # the franchise its family carries
    whole_units: bool  # the quantity must be a whole number
    is_stay: bool  # a hospital stay (GHS): the daily charge applies
    may_be_heavy: bool  # its family may carry the flat fee of a heavy act
    # A participation forfaitaire: its family's, never on a majoration or a stay.
    participation: bool


def _families(text: str) -> frozenset[Family]:
    return frozenset(Family(word) for word in text.split())


class DateRules:
    """Every reimbursement figure in force on one date (read-only after construction)."""

    def __init__(self, day: date, acts: dict[str, ActTariff], table: ParameterTable) -> None:
        self.day = day  # the first day of the period these rules hold over
        self.acts = acts

        def figure(key: str) -> Figure:
            value = table.get(PREFIX + key, day)
            return Figure(value.decimal, step_of(value))

        self.rounding_value = table.get(PREFIX + "rounding", day)
        if self.rounding_value.value not in ROUNDING_MODES:
            raise ValueError(f"reimbursement.rounding = {self.rounding_value.value!r}")
        self.rounding = self.rounding_value.value
        self.rounding_step = step_of(self.rounding_value)
        self.max_amount = figure("line.max_amount").value

        self.rate = {family: figure(f"rate.{family}") for family in Family}
        self.rate_outside_pathway = figure("rate.doctor_outside_pathway")
        self.rate_full = figure("rate.full")
        self.pathway_min_age_step = figure("pathway.min_age").step
        self.pathway_min_age = int(self.pathway_min_age_step.value)
        self.psychiatry_max_age = int(figure("pathway.psychiatry_direct_access_max_age").value)
        self.sector2_base = {
            Professional.GENERAL_PRACTITIONER: figure("sector2.base.general_practitioner"),
            Professional.SPECIALIST: figure("sector2.base.specialist"),
        }
        self.sector3_base = {
            Professional.GENERAL_PRACTITIONER: figure("sector3.base.general_practitioner"),
            Professional.SPECIALIST: figure("sector3.base.specialist"),
        }

        self.pf = figure("pf.amount")
        self.pf_day_count = int(figure("pf.cap.day_count").value)
        self.pf_day_count_step = figure("pf.cap.day_count").step
        self.pf_year = figure("pf.cap.year")
        self.pf_min_age_step = figure("pf.exempt_under_age").step
        self.pf_min_age = int(self.pf_min_age_step.value)
        pf_families = table.get(PREFIX + "pf.families", day)
        self.pf_families = _families(pf_families.value)

        self.franchise_medicine = figure("franchise.medicine")
        self.franchise_paramedical = figure("franchise.paramedical")
        self.franchise_transport = figure("franchise.transport")
        self.franchise_paramedical_day = figure("franchise.cap.paramedical_day")
        self.franchise_transport_day = figure("franchise.cap.transport_day")
        self.franchise_year = figure("franchise.cap.year")
        self.franchise_min_age_step = figure("franchise.exempt_under_age").step
        self.franchise_min_age = int(self.franchise_min_age_step.value)

        self.fjh = figure("fjh.amount")
        self.fjh_psychiatry = figure("fjh.psychiatry")
        self.newborn_step = figure("fjh.exempt_newborn_days").step
        self.newborn_days = int(self.newborn_step.value)

        self.flat_fee = figure("flat_fee.amount")
        self.flat_fee_threshold = figure("flat_fee.threshold").value
        self.flat_fee_coefficient = figure("flat_fee.coefficient").value
        flat_families = table.get(PREFIX + "flat_fee.families", day)
        self.flat_fee_families = _families(flat_families.value)

        self.local_rate = {family: figure(f"local.rate.{family}") for family in Family}
        self.local_pharmacy_rate = {
            code: figure(f"local.rate.{code}") for code in ("PH1", "PH7", "PH4", "PH2")
        }
        self.local_covers_fjh = table.get(PREFIX + "local.covers_fjh", day).value == "true"

        self.steps = self._derived_steps()
        self._key_derived_figures()
        self.act_rules = {
            code: self._act_rules(act, act.family, act.unit) for code, act in acts.items()
        }
        self.unlisted_rules = {}
        for professional, family in FAMILY_OF_PROFESSIONAL.items():
            unit = UNIT_OF_FAMILY.get(family, Unit.ACT)
            self.unlisted_rules[professional] = self._act_rules(None, family, unit)

    def _key_derived_figures(self) -> None:
        """The figures and steps a line looks up by what decides them (exemption, specialty)."""
        steps = self.steps
        doctor = self.rate[Family.DOCTOR].value
        self.doctor_rate_under_age = Figure(doctor, steps["pathway.under_age"])
        self.doctor_rate_exempt = {
            exemption: Figure(doctor, steps[f"pathway.exempt.{exemption}"])
            for exemption in EXEMPT_FROM_PATHWAY
        }
        self.doctor_rate_direct_access = {
            specialty: Figure(doctor, steps[f"pathway.direct_access.{specialty}"])
            for specialty in Specialty
        }
        self.full_cover = {
            exemption: Figure(self.rate_full.value, steps[f"coverage.{exemption}"])
            for exemption in FULL_COVER
        }
        self.pf_exempt_steps = {
            exemption: steps[f"pf.exempt.{exemption}"] for exemption in EXEMPT_FROM_WITHHOLDINGS
        }
        self.franchise_exempt_steps = {
            exemption: steps[f"franchise.exempt.{exemption}"]
            for exemption in EXEMPT_FROM_WITHHOLDINGS
        }
        self.fjh_exempt_steps = {
            exemption: steps[f"fjh.exempt.{exemption}"]
            for exemption in (*EXEMPT_FROM_DAILY_CHARGE, Exemption.AT_MP)
        }

    def _act_rules(self, act: ActTariff | None, family: Family, unit: Unit) -> ActRules:
        """The rules of the lines of `act`, or of a code the nomenclature does not hold (None)."""
        kind = act.kind if act is not None else ActKind.ACT
        rate = None if family is Family.DOCTOR else self.rate[family]
        local_rate = self.local_rate[family]
        tariff_steps: tuple[ExplanationStep, ...] = ()
        if act is not None and act.tariff is not None:
            tariff_steps = (ExplanationStep("tariff", str(act.tariff), act.valid_from, act.source),)
        if act is not None and family is Family.PHARMACY:
            # A medicine's rate is its code's (PH1, PH7, PH4, PH2) when the code has one.
            if act.rate is not None:
                step = ExplanationStep(
                    "rate.pharmacy_code", str(act.rate), act.valid_from, act.source
                )
                rate = Figure(act.rate, step)
            local_rate = self.local_pharmacy_rate.get(act.code, local_rate)
        return ActRules(
            act=act,
            family=family,
            unit=unit,
            kind=kind,
            specialty=act.specialty if act is not None else None,
            tariff=act.tariff if act is not None else None,
            tariff_steps=tariff_steps,
            rate=rate,
            local_rate=local_rate,
            franchise=FRANCHISE_OF_FAMILY.get(family),
            whole_units=unit in WHOLE_UNITS,
            is_stay=unit is Unit.STAY,
            may_be_heavy=family in self.flat_fee_families,
            participation=(
                family in self.pf_families
                and kind is not ActKind.MAJORATION
                and family is not Family.HOSPITAL
            ),
        )

    def _derived_steps(self) -> dict[str, ExplanationStep]:
        """Steps of rules that follow from a parameter (its date and source), built once."""
        doctor = self.rate[Family.DOCTOR].step
        pf_age = self.pf_min_age_step
        franchise_age = self.franchise_min_age_step
        steps = {
            "pathway.under_age": step_like(self.pathway_min_age_step, "pathway.under_age"),
            "flat_fee.in_stay": step_like(self.flat_fee.step, "flat_fee.in_stay"),
            "pf.exempt.under_age": step_like(pf_age, "pf.exempt.under_age"),
            "franchise.exempt.under_age": step_like(franchise_age, "franchise.exempt.under_age"),
            "fjh.short_stay": step_like(self.fjh.step, "fjh.short_stay", "0"),
            "fjh.exempt.newborn": step_like(self.newborn_step, "fjh.exempt.newborn"),
        }
        for exemption in ("maternity", "css", "ame"):
            steps[f"pathway.exempt.{exemption}"] = step_like(doctor, f"pathway.exempt.{exemption}")
            steps[f"pf.exempt.{exemption}"] = step_like(pf_age, f"pf.exempt.{exemption}", "0.00")
            steps[f"franchise.exempt.{exemption}"] = step_like(
                franchise_age, f"franchise.exempt.{exemption}", "0.00"
            )
        for specialty in ("gynaecology", "ophthalmology", "stomatology", "psychiatry"):
            rule = f"pathway.direct_access.{specialty}"
            steps[rule] = step_like(doctor, rule)
        for exemption in ("ald", "maternity", "at_mp", "invalidity", "ame"):
            steps[f"coverage.{exemption}"] = step_like(self.rate_full.step, f"coverage.{exemption}")
        for exemption in ("maternity", "ame", "at_mp"):
            steps[f"fjh.exempt.{exemption}"] = step_like(
                self.fjh.step, f"fjh.exempt.{exemption}", "0.00"
            )
        return steps


class RuleSnapshot:
    """The nomenclature and the `reimbursement.*` parameters, resolved per care date (cached).

    Every date between two consecutive changes (a tariff or a parameter starting or ending)
    holds the same rules: they are resolved once per such period and shared by its dates.
    """

    def __init__(self, acts: Iterable[ActTariff], parameters: ParameterTable) -> None:
        self.acts = tuple(acts)
        self.parameters = parameters
        self._by_code: dict[str, list[ActTariff]] = {}
        for act in self.acts:
            self._by_code.setdefault(act.code, []).append(act)
        changes = {date.min}
        for act in self.acts:
            changes.add(act.valid_from)
            if act.valid_until is not None:
                changes.add(act.valid_until)
        for key in parameters.keys():
            for value in parameters.history(key):
                changes.add(value.valid_from)
                if value.valid_until is not None:
                    changes.add(value.valid_until)
        self._changes = sorted(changes)
        self._periods: dict[date, DateRules] = {}
        self._dates: dict[date, DateRules] = {}

    def acts_on(self, day: date) -> dict[str, ActTariff]:
        held = {}
        for code, versions in self._by_code.items():
            for version in versions:
                if version.covers(day):
                    held[code] = version
                    break
        return held

    def on(self, day: date) -> DateRules:
        """The rules held on `day`; `InvalidSheet(parameters_missing)` when some are not."""
        rules = self._dates.get(day)
        if rules is None:
            start = self._changes[bisect_right(self._changes, day) - 1]
            rules = self._periods.get(start)
            if rules is None:
                try:
                    rules = DateRules(start, self.acts_on(start), self.parameters)
                except ParameterMissing as missing:
                    raise InvalidSheet(
                        [FieldError("care_date", ErrorCode.PARAMETERS_MISSING, missing.key)]
                    ) from missing
                self._periods[start] = rules
            self._dates[day] = rules
        return rules
