"""Values the reimbursement engine reads and returns (frozen, no ORM, no clock).

Enum values are those the simulator API publishes (a contract: values may be added, never
removed or renamed): they travel unchanged from the API and the database to the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from cpam_portal.money import ZERO  # also imported from here by the engine and its callers
from cpam_portal.periods import is_in_force


class Scheme(StrEnum):
    GENERAL = "general"
    ALSACE_MOSELLE = "alsace_moselle"


class Exemption(StrEnum):
    ALD = "ald"
    MATERNITY = "maternity"  # 1st day of the 6th month of pregnancy to the 12th day after birth
    CSS = "css"
    AME = "ame"
    AT_MP = "at_mp"
    INVALIDITY = "invalidity"


class Professional(StrEnum):
    GENERAL_PRACTITIONER = "general_practitioner"
    SPECIALIST = "specialist"
    DENTIST = "dentist"
    MIDWIFE = "midwife"
    NURSE = "nurse"
    PHYSIOTHERAPIST = "physiotherapist"
    PHARMACY = "pharmacy"
    LABORATORY = "laboratory"
    RADIOLOGY = "radiology"
    TRANSPORT = "transport"
    HOSPITAL = "hospital"


class Sector(StrEnum):
    ONE = "1"
    TWO_OPTAM = "2_optam"
    TWO = "2"
    THREE = "3"


class Pathway(StrEnum):
    DECLARED_GP = "declared_gp"
    REFERRED_BY_GP = "referred_by_gp"
    DIRECT_ACCESS = "direct_access"
    EMERGENCY = "emergency"
    AWAY_FROM_HOME = "away_from_home"
    OUTSIDE_PATHWAY = "outside_pathway"


class Specialty(StrEnum):
    """Specialties the parcours de soins lets a patient see directly (service-public.fr F10870,
    hopital.fr; docs/sources.md)."""

    GYNAECOLOGY = "gynaecology"
    OPHTHALMOLOGY = "ophthalmology"
    PSYCHIATRY = "psychiatry"  # direct access for patients aged 16 to 25 only
    STOMATOLOGY = "stomatology"


class Family(StrEnum):
    """What decides a line's rate and its withholdings (from the act code, else `professional`)."""

    DOCTOR = "doctor"
    DENTAL = "dental"
    MIDWIFE = "midwife"
    AUXILIARY = "auxiliary"
    BIOLOGY = "biology"
    IMAGING = "imaging"
    PHARMACY = "pharmacy"
    TRANSPORT = "transport"
    HOSPITAL = "hospital"


class Unit(StrEnum):
    """What a line's `quantity` counts for an act code."""

    ACT = "act"  # number of acts; the tariff is per act
    COEFFICIENT = "coefficient"  # key letter (AMI, AMK, B...): quantity is the coefficient
    BOX = "box"  # medicine: number of boxes; the base is the price per box
    STAY = "stay"  # hospital stay (GHS): one stay, base given on the line


class ActKind(StrEnum):
    CONSULTATION = "consultation"  # a consultation or visit (sector 2/3 lower bases apply)
    ACT = "act"  # any other act
    MAJORATION = "majoration"  # an addition to an act: no participation forfaitaire of its own


class FranchiseKind(StrEnum):
    MEDICINE = "medicine"
    PARAMEDICAL = "paramedical"
    TRANSPORT = "transport"


# ---------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True, slots=True)
class BeneficiarySituation:
    birth_date: date
    scheme: Scheme = Scheme.GENERAL
    has_declared_gp: bool = True
    exemptions: frozenset[Exemption] = frozenset()


@dataclass(frozen=True, slots=True)
class CareLine:
    act_code: str
    amount_charged: Decimal
    professional: Professional
    quantity: Decimal = Decimal(1)
    # Price of ONE unit (act, box, coefficient point, stay) as printed on an electronic sheet;
    # None = the nomenclature's tariff on the care date. The line's base is unit × quantity.
    base: Decimal | None = None
    sector: Sector = Sector.ONE
    pathway: Pathway = Pathway.DECLARED_GP
    ald_related: bool = False
    at_mp_related: bool = False
    professional_id: str | None = None  # RPPS/ADELI/FINESS: the PF daily cap is per professional
    admission: datetime | None = None  # hospital stays only
    discharge: datetime | None = None
    specialty: Specialty | None = None  # None = the act code's specialty, if any


@dataclass(frozen=True, slots=True)
class ParticipationCount:
    """Participations forfaitaires withheld for one professional on one day."""

    count: int = 0
    amount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class AlreadyWithheld:
    """What the person's ledger already holds before this sheet.

    Year amounts are for the calendar year of the care date; day amounts for the care date.
    """

    participation_year: Decimal = ZERO
    franchise_year: Decimal = ZERO
    participation_day: Mapping[str, ParticipationCount] = field(default_factory=dict)
    franchise_paramedical_day: Decimal = ZERO
    franchise_transport_day: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class SheetInput:
    care_date: date
    beneficiary: BeneficiarySituation
    lines: tuple[CareLine, ...]
    already_withheld: AlreadyWithheld = AlreadyWithheld()


# ---------------------------------------------------------------------------------------------
# Output
#
# Results are immutable NamedTuples rather than frozen dataclasses: building a frozen dataclass
# of 19 fields costs ~12 µs (one object.__setattr__ per field), a NamedTuple ~1 µs, and the
# engine builds one per line (measured with timeit on the bench machine, 2026-11-23).


class ExplanationStep(NamedTuple):
    """One rule applied to a line: a stable code, the value used, when it took effect, why.

    `rule` is stable (e.g. "rate.doctor", "pf.cap.year"); `value` is the figure shown (a rate
    "0.70", an amount "2.00", a count); `params` carries what a sentence needs (e.g. the
    nomenclature tariff when the line's base differs). Text rendering: reimbursements.explanations.
    """

    rule: str
    value: str
    effective_from: date | None
    source: str
    params: tuple[tuple[str, str], ...] = ()


class LineResult(NamedTuple):
    act_code: str
    family: Family
    quantity: Decimal
    base: Decimal
    rate: Decimal
    amo_gross: Decimal
    participation_forfaitaire: Decimal
    franchise: Decimal
    franchise_kind: FranchiseKind | None
    flat_fee: Decimal
    amo_paid: Decimal
    ticket_moderateur: Decimal
    depassement: Decimal
    hospital_daily_charge: Decimal
    hospital_days: int
    css_part: Decimal
    local_scheme_part: Decimal
    patient_remainder: Decimal
    explanation: tuple[ExplanationStep, ...]


class Totals(NamedTuple):
    amount_charged: Decimal
    base: Decimal
    amo_gross: Decimal
    participation_forfaitaire: Decimal
    franchise: Decimal
    flat_fee: Decimal
    amo_paid: Decimal
    ticket_moderateur: Decimal
    depassement: Decimal
    hospital_daily_charge: Decimal
    css_part: Decimal
    local_scheme_part: Decimal
    patient_remainder: Decimal


class SheetWithholdings(NamedTuple):
    """What this sheet adds to the person's ledger (the pipeline adds it in the same txn)."""

    participation: Decimal
    participation_count: int
    # Only lines with a professional_id: without one, the daily count is kept within the sheet.
    participation_by_professional: Mapping[str, ParticipationCount]
    franchise_medicine: Decimal
    franchise_paramedical: Decimal
    franchise_transport: Decimal

    @property
    def franchise(self) -> Decimal:
        return self.franchise_medicine + self.franchise_paramedical + self.franchise_transport


class SheetResult(NamedTuple):
    care_date: date
    lines: tuple[LineResult, ...]
    totals: Totals
    withheld: SheetWithholdings


# ---------------------------------------------------------------------------------------------
# Errors


class ErrorCode(StrEnum):
    UNKNOWN_ACT_CODE = "unknown_act_code"  # not in the nomenclature on that date, and no base
    BASE_REQUIRED = "base_required"  # the code has no tariff (GHS, medicines, transport)
    PARAMETERS_MISSING = "parameters_missing"  # no rule parameter in force on that date
    QUANTITY_INVALID = "quantity_invalid"  # <= 0, or not a whole number of boxes/acts
    AMOUNT_NEGATIVE = "amount_negative"
    AMOUNT_TOO_LARGE = "amount_too_large"
    STAY_DATES_REQUIRED = "stay_dates_required"  # GHS without admission/discharge
    STAY_DATES_INVALID = "stay_dates_invalid"  # discharge before admission
    NO_LINES = "no_lines"
    BIRTH_AFTER_CARE = "birth_after_care"


@dataclass(frozen=True, slots=True)
class FieldError:
    """`field` is a path in the sheet: "care_date", "lines[0].act_code", "beneficiary"..."""

    field: str
    code: ErrorCode
    detail: str = ""


class InvalidSheet(ValueError):
    """The sheet cannot be computed; `errors` names every bad field (all of them, not the first)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.code}" for error in errors))
        self.errors = tuple(errors)


# ---------------------------------------------------------------------------------------------
# Rules held on a date


@dataclass(frozen=True, slots=True)
class ActTariff:
    """One version of an act code's tariff over [valid_from, valid_until).

    `tariff` is per unit (act, coefficient point); None when the line must carry its own base
    (GHS stays, medicines, transport). `rate` is set for codes whose rate is the code's own
    (pharmacy PH1/PH7/PH4/PH2); otherwise the family's rate applies.
    """

    code: str
    label: str
    family: Family
    unit: Unit
    valid_from: date
    valid_until: date | None
    tariff: Decimal | None
    source: str
    kind: ActKind = ActKind.ACT
    rate: Decimal | None = None
    specialty: Specialty | None = None

    def covers(self, on: date) -> bool:
        return is_in_force(self.valid_from, self.valid_until, on)
