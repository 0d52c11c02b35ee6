"""The withholdings ledger of a batch: the year-to-date participations and franchises of each
person, and the day's counters per professional, locked for the batch and kept in memory while
its sheets are computed one after the other.

A person's (person, year) row is locked with SKIP LOCKED: when another batch holds it, the
person's sheets are given back to the queue rather than waited for, so two workers sharing
persons never wait for each other's whole transaction, and never deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from cpam_portal.money import ZERO
from reimbursements.models import WithholdingDay
from reimbursements.rules.types import AlreadyWithheld, ParticipationCount, SheetResult
from reimbursements.services import sql


@dataclass
class YearCounter:
    participation: Decimal
    franchises: Decimal
    pk: int


@dataclass
class DayCounter:
    participation_count: int = 0
    participation_amount: Decimal = ZERO
    franchise_paramedical: Decimal = ZERO
    franchise_transport: Decimal = ZERO
    franchise_medicine: Decimal = ZERO
    pk: int | None = None
    changed: bool = False

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in sql.DAY_FIELDS)


class Ledger:
    """The locked ledger rows of a batch, kept in memory while the batch is computed."""

    def __init__(
        self,
        years: dict[tuple[int, int], YearCounter],
        days: dict[tuple[int, date], dict[str, DayCounter]],
    ) -> None:
        self.years = years
        self.days = days  # (person, day) → professional number → counters
        self.changed_years: set[tuple[int, int]] = set()

    def holds(self, person_id: int, on: date) -> bool:
        """Whether this batch holds the person's ledger for the year of `on`."""
        return (person_id, on.year) in self.years

    def already_withheld(self, person_id: int, on: date) -> AlreadyWithheld:
        year = self.years[(person_id, on.year)]
        of_day = self.days.get((person_id, on), {})
        return AlreadyWithheld(
            participation_year=year.participation,
            franchise_year=year.franchises,
            participation_day={
                number: ParticipationCount(
                    count=c.participation_count, amount=c.participation_amount
                )
                for number, c in of_day.items()
                if c.participation_count
            },
            franchise_paramedical_day=sum((c.franchise_paramedical for c in of_day.values()), ZERO),
            franchise_transport_day=sum((c.franchise_transport for c in of_day.values()), ZERO),
        )

    def _day(self, person_id: int, on: date, number: str) -> DayCounter:
        counter = self.days.setdefault((person_id, on), {}).setdefault(number, DayCounter())
        counter.changed = True
        return counter

    def add(self, person_id: int, on: date, professional_number: str, result: SheetResult) -> None:
        withheld = result.withheld
        year = self.years[(person_id, on.year)]
        year.participation += withheld.participation
        year.franchises += withheld.franchise
        self.changed_years.add((person_id, on.year))
        for number, count in withheld.participation_by_professional.items():
            day = self._day(person_id, on, number)
            day.participation_count += count.count
            day.participation_amount += count.amount
        if withheld.franchise:
            day = self._day(person_id, on, professional_number)
            day.franchise_paramedical += withheld.franchise_paramedical
            day.franchise_transport += withheld.franchise_transport
            day.franchise_medicine += withheld.franchise_medicine

    def save(self, *, now: datetime) -> None:
        """Write what changed. The values are absolute, computed under the persons' year locks:
        no other transaction writes these rows meanwhile, so plain overwrites are exact."""
        sql.update_year_rows(
            [
                (year.pk, year.participation, year.franchises)
                for year in (self.years[key] for key in sorted(self.changed_years))
            ],
            now=now,
        )
        sql.upsert_day_rows(
            [
                (counter.pk, person_id, day, number, counter.values())
                for (person_id, day), by_number in sorted(self.days.items())
                for number, counter in sorted(by_number.items())
                if counter.changed
            ]
        )


def ensure_year_rows(keys: Iterable[tuple[int, int]]) -> None:
    """Create the missing (person, year) ledger rows, committed at once (zeros: harmless if the
    batch then fails), so that the batch's transaction only has rows to lock, never to create."""
    sql.create_year_rows(sorted(set(keys)))


def lock_ledger(keys: Iterable[tuple[int, int]], days: Iterable[tuple[int, date]]) -> Ledger:
    """Lock the batch's (person, year) ledger rows that no other batch holds, and read them
    with the day counters of the batch's days of care. Rows held by another batch are skipped:
    `Ledger.holds()` is False for their persons."""
    wanted = sorted(set(keys))
    wanted_set = set(wanted)
    years = {
        (person_id, year): YearCounter(participation, franchises, pk)
        for pk, person_id, year, participation, franchises in sql.lock_year_rows(wanted)
        if (person_id, year) in wanted_set
    }
    wanted_days = {(person_id, day) for person_id, day in days if (person_id, day.year) in years}
    found: dict[tuple[int, date], dict[str, DayCounter]] = {}
    for row in WithholdingDay.objects.filter(
        person_id__in={person_id for person_id, _ in wanted_days},
        day__in={day for _, day in wanted_days},
    ):
        if (row.person_id, row.day) in wanted_days:
            found.setdefault((row.person_id, row.day), {})[row.professional_number] = DayCounter(
                row.participation_count,
                row.participation_amount,
                row.franchise_paramedical,
                row.franchise_transport,
                row.franchise_medicine,
                pk=row.pk,
            )
    return Ledger(years, found)
