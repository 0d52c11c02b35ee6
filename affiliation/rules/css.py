"""Complémentaire santé solidaire (CSS): free, with a participation, or above the ceiling.

Pure functions of explicit inputs: the caller passes the household, the resources, the date of
the application and the rows in force (read from affiliation/data/ by
affiliation.services.css_tables). Sources of each row are in affiliation/data/README.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from cpam_portal.money import ZERO, to_cents
from cpam_portal.periods import is_in_force

# Resources and participations are rounded half up to the cent (a fixed choice of these rules,
# not a dated parameter).
ROUNDING = ROUND_HALF_UP
# CSS art. R861-3: sizes 1 to 4 have their own ceiling, each further person adds the same amount.
LARGEST_LISTED_HOUSEHOLD = 4


class Territory(StrEnum):
    METROPOLE = "metropole"
    OVERSEAS = "overseas"


class Outcome(StrEnum):
    FREE = "free"
    WITH_PARTICIPATION = "with_participation"
    ABOVE_CEILING = "above_ceiling"


class CSSInputError(ValueError):
    """The household or the resources cannot be assessed; `code` names why."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotCovered(CSSInputError):
    """No row of the tables covers this territory or date: the rules do not guess."""


@dataclass(frozen=True)
class CeilingRow:
    territory: str
    valid_from: date
    valid_until: date | None  # exclusive; None while still in force
    persons: int | None  # household size 1..4, or None for "each extra person"
    free_ceiling: Decimal  # euros per year, resources up to it: CSS without participation
    participation_ceiling: Decimal  # up to it: CSS with a participation
    source: str


@dataclass(frozen=True)
class ParticipationBand:
    valid_from: date
    valid_until: date | None
    min_age: int
    max_age: int | None  # inclusive; None for "and over"
    monthly_amount: Decimal
    source: str


@dataclass(frozen=True)
class Ceilings:
    free: Decimal
    participation: Decimal
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """One line of the explanation, as a code and its values (the caller words it)."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberParticipation:
    birth_date: date
    age_on_first_january: int
    monthly_amount: Decimal  # what this person would pay per month with a participation


@dataclass(frozen=True)
class CSSResult:
    on: date  # the date of the application the result is for
    outcome: Outcome
    household_size: int
    annual_resources: Decimal
    ceilings: Ceilings
    members: tuple[MemberParticipation, ...]
    monthly_participation: Decimal  # total per month; 0.00 unless WITH_PARTICIPATION
    explanation: tuple[Explanation, ...]

    @property
    def is_eligible(self) -> bool:
        return self.outcome != Outcome.ABOVE_CEILING


def age_on_first_january(birth_date: date, on: date) -> int:
    """Age in whole years on 1 January of `on`'s year: the age that sets the participation
    (arrêté du 29/12/2023, art. 1; affiliation/data/README.md)."""
    first_january = date(on.year, 1, 1)
    had_birthday = (birth_date.month, birth_date.day) <= (1, 1)
    return max(first_january.year - birth_date.year - (0 if had_birthday else 1), 0)


def ceilings_for(
    rows: Sequence[CeilingRow], *, territory: str, household_size: int, on: date
) -> Ceilings:
    """The two annual ceilings for a household of `household_size` on `on`.

    From the 5th person on, each person adds the `extra` row (R861-3). NotCovered when no row
    is in force for the territory on that date.
    """
    if household_size < 1:
        raise CSSInputError("no_member")
    in_force = [
        row
        for row in rows
        if row.territory == territory and is_in_force(row.valid_from, row.valid_until, on)
    ]
    by_size = {row.persons: row for row in in_force}
    listed = by_size.get(min(household_size, LARGEST_LISTED_HOUSEHOLD))
    if listed is None:
        raise NotCovered("no_ceiling", territory=territory, on=on)
    free, participation, sources = (
        listed.free_ceiling,
        listed.participation_ceiling,
        [listed.source],
    )
    extra_persons = max(household_size - LARGEST_LISTED_HOUSEHOLD, 0)
    if extra_persons:
        extra = by_size.get(None)
        if extra is None:
            raise NotCovered("no_ceiling", territory=territory, on=on)
        free += extra.free_ceiling * extra_persons
        participation += extra.participation_ceiling * extra_persons
        sources.append(extra.source)
    return Ceilings(free=free, participation=participation, sources=tuple(sources))


def participation_for(bands: Sequence[ParticipationBand], *, age: int, on: date) -> Decimal:
    """Monthly participation of one person of `age` (on 1 January), application on `on`."""
    for band in bands:
        if (
            is_in_force(band.valid_from, band.valid_until, on)
            and band.min_age <= age
            and (band.max_age is None or age <= band.max_age)
        ):
            return to_cents(band.monthly_amount, ROUNDING)
    raise NotCovered("no_participation_band", age=age, on=on)


def assess(
    *,
    birth_dates: Sequence[date],
    annual_resources: Decimal,
    on: date,
    territory: str,
    ceiling_rows: Sequence[CeilingRow],
    participation_bands: Sequence[ParticipationBand],
) -> CSSResult:
    """Free, with a participation (monthly amounts per person and in total) or above the ceiling.

    Resources equal to a ceiling are within it. Members are the household (foyer, R861-2), one
    birth date each. Overseas households are NotCovered: their ceilings are not fully sourced.
    """
    if not birth_dates:
        raise CSSInputError("no_member")
    if annual_resources < 0:
        raise CSSInputError("negative_resources")
    for birth_date in birth_dates:
        if birth_date > on:
            raise CSSInputError("born_after_application", birth_date=birth_date)
    if territory != Territory.METROPOLE:
        raise NotCovered("territory_not_covered", territory=territory)
    resources = to_cents(annual_resources, ROUNDING)
    size = len(birth_dates)
    ceilings = ceilings_for(ceiling_rows, territory=territory, household_size=size, on=on)
    explanation = [
        Explanation("household", {"size": size}),
        Explanation(
            "ceilings",
            {"size": size, "free": ceilings.free, "participation": ceilings.participation},
        ),
    ]
    members = tuple(
        MemberParticipation(
            birth_date=birth_date,
            age_on_first_january=(age := age_on_first_january(birth_date, on)),
            monthly_amount=participation_for(participation_bands, age=age, on=on),
        )
        for birth_date in birth_dates
    )
    if resources <= ceilings.free:
        outcome, total = Outcome.FREE, ZERO
        explanation.append(Explanation("free", {"resources": resources, "ceiling": ceilings.free}))
    elif resources <= ceilings.participation:
        outcome = Outcome.WITH_PARTICIPATION
        total = to_cents(sum((m.monthly_amount for m in members), ZERO), ROUNDING)
        explanation.append(
            Explanation(
                "with_participation",
                {
                    "resources": resources,
                    "free": ceilings.free,
                    "ceiling": ceilings.participation,
                },
            )
        )
        explanation.extend(
            Explanation(
                "member_participation",
                {
                    "birth_date": m.birth_date,
                    "age": m.age_on_first_january,
                    "year": on.year,
                    "amount": m.monthly_amount,
                },
            )
            for m in members
        )
        explanation.append(Explanation("participation_total", {"amount": total}))
    else:
        outcome, total = Outcome.ABOVE_CEILING, ZERO
        explanation.append(
            Explanation(
                "above_ceiling", {"resources": resources, "ceiling": ceilings.participation}
            )
        )
    return CSSResult(
        on=on,
        outcome=outcome,
        household_size=size,
        annual_resources=resources,
        ceilings=ceilings,
        members=members,
        monthly_participation=total,
        explanation=tuple(explanation),
    )
