"""What is withheld from the fund's payment: participations forfaitaires and franchises.

Both stop at caps per day and per year, counted on the person's ledger: `Ledger` holds what the
ledger held before the sheet plus what the sheet's lines withheld so far, in line order.
Figures and caps are dated parameters (sources in reimbursements/data/parameters.csv).
"""

from __future__ import annotations

from decimal import Decimal

from reimbursements.rules.context import LineContext
from reimbursements.rules.snapshot import EXEMPT_FROM_WITHHOLDINGS, ActRules, Figure
from reimbursements.rules.steps import step_like
from reimbursements.rules.types import (
    ZERO,
    AlreadyWithheld,
    CareLine,
    ExplanationStep,
    FranchiseKind,
    ParticipationCount,
    Pathway,
    SheetWithholdings,
)

Steps = tuple[ExplanationStep, ...]

# Members read once (on CPython 3.11 `Enum.MEMBER` costs ~0.1 µs: EnumType.__getattr__).
_MEDICINE, _PARAMEDICAL, _TRANSPORT = (
    FranchiseKind.MEDICINE,
    FranchiseKind.PARAMEDICAL,
    FranchiseKind.TRANSPORT,
)
_EMERGENCY = Pathway.EMERGENCY


class Ledger:
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

    def withhold(
        self, line: CareLine, act: ActRules, context: LineContext, amo_gross: Decimal
    ) -> tuple[Decimal, Decimal, FranchiseKind | None, Steps]:
        """(participation, franchise, franchise kind, steps) of the line, taken on the ledger.

        Nothing is withheld in hospital; each withholding leaves the payment at zero at least.
        """
        out_of_hospital = line.admission is None
        participation = ZERO
        steps: Steps = ()
        if act.participation and out_of_hospital:
            participation, steps = participation_due(line, context, self, amo_gross)
            if participation:
                self._take_participation(line.professional_id, participation)
        kind = franchise_kind_of(line, act)
        franchise = ZERO
        if kind is not None and out_of_hospital:
            franchise, franchise_steps = franchise_due(
                line, kind, context, self, amo_gross - participation
            )
            steps += franchise_steps
            if franchise:
                self._take_franchise(kind, franchise)
        return participation, franchise, kind, steps

    def _take_participation(self, professional_id: str | None, amount: Decimal) -> None:
        # Without a professional id the daily count is kept within this sheet only.
        key = professional_id or ""
        self.pf_day[key] = self.pf_day.get(key, 0) + 1
        self.pf_year += amount
        self.pf_total += amount
        self.pf_count += 1
        if professional_id:
            entry = self.pf_by_professional.setdefault(professional_id, [0, ZERO])
            entry[0] += 1
            entry[1] += amount

    def _take_franchise(self, kind: FranchiseKind, amount: Decimal) -> None:
        self.fr_year += amount
        if kind is _MEDICINE:
            self.fr_medicine += amount
        elif kind is _PARAMEDICAL:
            self.fr_paramedical += amount
            self.fr_paramedical_day += amount
        else:
            self.fr_transport += amount
            self.fr_transport_day += amount

    def sheet_withholdings(self) -> SheetWithholdings:
        """What the sheet adds to the person's ledger."""
        by_professional = self.pf_by_professional
        return SheetWithholdings(
            participation=self.pf_total,
            participation_count=self.pf_count,
            participation_by_professional=(
                {
                    key: ParticipationCount(count=count, amount=amount)
                    for key, (count, amount) in by_professional.items()
                }
                if by_professional
                else {}
            ),
            franchise_medicine=self.fr_medicine,
            franchise_paramedical=self.fr_paramedical,
            franchise_transport=self.fr_transport,
        )


def participation_due(
    line: CareLine, context: LineContext, ledger: Ledger, room: Decimal
) -> tuple[Decimal, Steps]:
    """The participation forfaitaire the line owes after the caps, and the steps that say why.

    `room` is what the payment holds: the participation never takes it below zero.
    """
    rules = context.rules
    if context.age < rules.pf_min_age:
        return ZERO, (rules.steps["pf.exempt.under_age"],)
    exemptions = context.person.exemptions
    if exemptions:
        for exemption in EXEMPT_FROM_WITHHOLDINGS:
            if exemption in exemptions:
                return ZERO, (rules.pf_exempt_steps[exemption],)
    if ledger.pf_day.get(line.professional_id or "", 0) >= rules.pf_day_count:
        return ZERO, (rules.pf_day_count_step,)
    amount = rules.pf.value
    capped: Steps = ()
    left = rules.pf_year.value - ledger.pf_year
    if left < amount:
        amount = max(left, ZERO)
        capped += (step_like(rules.pf_year.step, "pf.cap.year", params=(("left", str(amount)),)),)
    if room < amount:
        amount = max(room, ZERO)
        capped += (step_like(rules.pf.step, "pf.limited_by_payment", str(amount)),)
    if not amount:
        return ZERO, capped
    return amount, (*capped, rules.pf.step)


def franchise_kind_of(line: CareLine, act: ActRules) -> FranchiseKind | None:
    """The franchise the line's family carries; none on an emergency transport."""
    kind = act.franchise
    if kind is _TRANSPORT and line.pathway is _EMERGENCY:
        return None
    return kind


def franchise_due(
    line: CareLine, kind: FranchiseKind, context: LineContext, ledger: Ledger, room: Decimal
) -> tuple[Decimal, Steps]:
    """The franchise the line owes after the caps, and the steps that say why.

    `room` is what the payment holds after the participation: never taken below zero.
    """
    rules = context.rules
    if context.age < rules.franchise_min_age:
        return ZERO, (rules.steps["franchise.exempt.under_age"],)
    exemptions = context.person.exemptions
    if exemptions:
        for exemption in EXEMPT_FROM_WITHHOLDINGS:
            if exemption in exemptions:
                return ZERO, (rules.franchise_exempt_steps[exemption],)
    figure, amount, capped = _franchise_within_day_cap(line, kind, context, ledger)
    left = rules.franchise_year.value - ledger.fr_year
    if left < amount:
        amount = max(left, ZERO)
        params = (("left", str(amount)),)
        capped += (step_like(rules.franchise_year.step, "franchise.cap.year", params=params),)
    if room < amount:
        amount = max(room, ZERO)
        capped += (step_like(figure.step, "franchise.limited_by_payment", str(amount)),)
    if not amount:
        return ZERO, capped
    return amount, (*capped, figure.step)


def _franchise_within_day_cap(
    line: CareLine, kind: FranchiseKind, context: LineContext, ledger: Ledger
) -> tuple[Figure, Decimal, Steps]:
    """(the franchise's figure, the line's franchise within the daily cap, the cap's step)."""
    rules = context.rules
    if kind is _MEDICINE:  # per box, no daily cap
        figure = rules.franchise_medicine
        return figure, figure.value * line.quantity, ()
    if kind is _PARAMEDICAL:  # per act, whatever its coefficient
        figure, cap, already = (
            rules.franchise_paramedical,
            rules.franchise_paramedical_day,
            ledger.fr_paramedical_day,
        )
        amount = figure.value
    else:  # per journey
        figure, cap, already = (
            rules.franchise_transport,
            rules.franchise_transport_day,
            ledger.fr_transport_day,
        )
        amount = figure.value * line.quantity
    left = cap.value - already
    if left < amount:
        return figure, max(left, ZERO), (cap.step,)
    return figure, amount, ()
