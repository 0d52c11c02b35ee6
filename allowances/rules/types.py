"""Values the daily-allowance engine takes and gives back (frozen, no ORM, no clock).

The engine (`allowances.rules.engine.compute_allowance`) reads one `AllowanceClaim` and a
`ParameterTable` of the `allowance.` keys, and returns an `AllowanceResult`: the figures, the
paid days as segments of equal daily amount, and the explanation, step by step. A payment for a
sub-period (every 14 days) is `allowance_for_period(result, period_start, period_end)`: a slice of
the segments, so waiting days, the day-29 rate and the duration limits are applied once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class AllowanceKind(StrEnum):
    SICKNESS = "sickness"  # maladie
    WORK_ACCIDENT = "work_accident"  # accident du travail / maladie professionnelle (AT/MP)
    MATERNITY = "maternity"  # congé maternité


@dataclass(frozen=True)
class MonthlySalary:
    """Gross pay of one calendar month (and the hours worked that month, when known)."""

    month: date  # first day of the month
    gross: Decimal  # euros, >= 0
    hours_worked: Decimal | None = None


@dataclass(frozen=True)
class AllowanceClaim:
    """Everything the engine needs about one stoppage (an initial notice and its extensions).

    `stoppage_start` is the first day off work, `stoppage_end` the last one (inclusive). For a
    work accident the day of the accident itself is paid by the employer and is not part of it.
    """

    kind: AllowanceKind
    stoppage_start: date
    stoppage_end: date
    salaries: tuple[MonthlySalary, ...]
    # Sickness only: the stoppage is for an affection de longue durée.
    is_ald: bool = False
    # Sickness, non-ALD: allowances already paid in the 3 years ending the day before
    # `stoppage_start` (the 360-allowance limit). Counted conservatively: days that leave the
    # 3-year window during this stoppage are not given back.
    days_already_paid_3_years: int = 0
    # Last day of the previous stoppage: no new waiting period when work resumed <= 48 hours.
    previous_stoppage_end: date | None = None
    # ALD: first day of the 3-year period of this affection (allowances stop 3 years later,
    # date to date); None means this stoppage opens the period.
    ald_period_start: date | None = None
    # ALD: first day of the stoppage on which a waiting period was last applied for this
    # affection (one waiting period per 3 years); None when none was.
    ald_waiting_period_applied_on: date | None = None
    # Start of affiliation to the general scheme, when known (12 months for stoppages over 6
    # months, 6 months for maternity); None leaves that condition unverified.
    affiliation_start: date | None = None

    def salary_of(self, month: date) -> MonthlySalary | None:
        for salary in self.salaries:
            if salary.month == month:
                return salary
        return None


@dataclass(frozen=True)
class EligibilityTest:
    """One set of conditions on the first day: hours OR contributions over a period.

    `hours_worked` / `contributions` are None when the months of the period are not all known
    (and the known ones do not already reach the threshold); `is_met` is then None unless the
    other condition settles it.
    """

    hours_threshold: int
    hours_period: tuple[date, date]  # inclusive
    contribution_threshold: Decimal
    contribution_period: tuple[date, date]  # inclusive
    smic_hourly: Decimal  # SMIC horaire used for the contribution threshold
    smic_hourly_on: date  # the day that SMIC was taken on
    hours_worked: Decimal | None
    contributions: Decimal | None
    is_activity_met: bool | None  # hours OR contributions
    affiliation_months: int | None  # required months of affiliation, when any
    is_affiliation_met: bool | None  # None: unknown, or no affiliation condition
    is_met: bool | None  # affiliation (when required) AND activity


@dataclass(frozen=True)
class Eligibility:
    is_required: bool  # False for work accidents (no contribution condition)
    up_to_6_months: EligibilityTest
    over_6_months: EligibilityTest
    applies_over_6_months: bool  # the stoppage lasts more than 6 months
    is_met: bool | None  # None: the inputs do not allow a verdict


@dataclass(frozen=True)
class ExplanationStep:
    """One rule applied: `rule` is a stable code (also the key of its translated text)."""

    rule: str
    value: str  # the step's result as printed ("65.75", "3", "2024-01-01")
    params: Mapping[str, str] = field(default_factory=dict)  # figures the text quotes
    effective_from: date | None = None  # start of the parameter row used
    source: str = ""  # public source of that row


@dataclass(frozen=True)
class PaidSegment:
    """Consecutive paid days with one daily amount (the AT/MP rate changes on day 29)."""

    start: date
    end: date  # inclusive
    daily_amount: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class AllowanceResult:
    kind: AllowanceKind
    stoppage_start: date
    stoppage_end: date
    eligibility: Eligibility
    waiting_days: int  # waiting days applied within this stoppage (0..3)
    is_waiting_period_applied: bool
    salary_cap_monthly: Decimal  # monthly pay counted at most (AT/MP: daily cap x 30.42)
    daily_base_cap: Decimal  # SJB / SJR at most
    daily_base: Decimal  # SJB (sickness, maternity) or SJR (AT/MP), capped
    daily_amount: Decimal  # days 1-28 for AT/MP
    daily_amount_from_day_29: Decimal | None  # AT/MP only
    segments: tuple[PaidSegment, ...]
    days_paid: int
    total: Decimal
    last_payable_day: date | None  # a duration limit ends payment on that day, if any
    explanation: tuple[ExplanationStep, ...]


@dataclass(frozen=True)
class PeriodAllowance:
    """What is due for one payment period [period_start, period_end] (inclusive)."""

    period_start: date
    period_end: date
    segments: tuple[PaidSegment, ...]
    days: int
    amount: Decimal


@dataclass(frozen=True)
class ClaimProblem:
    """One bad input: the field it is about, a stable code, figures for the message."""

    field: str
    code: str
    # `dataclasses.field`: the bare name is the attribute above inside this class body.
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)


class InvalidClaim(ValueError):
    """The claim cannot be computed; `problems` names every bad field."""

    def __init__(self, problems: tuple[ClaimProblem, ...]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


class RulesNotHeld(InvalidClaim):
    """No rule parameters are held for that date (stoppages before 2017-01-01)."""

    def __init__(self, on: date, key: str = "") -> None:
        problem = ClaimProblem("stoppage_start", "rules_not_held", {"on": on.isoformat()})
        super().__init__((problem,))
        self.on = on
        self.key = key
