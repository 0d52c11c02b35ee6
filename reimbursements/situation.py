"""The beneficiary's situation on the date of care, read from the affiliation records.

The engine never reads the database: it receives a `BeneficiarySituation` (birth date, scheme,
declared médecin traitant, exemptions in force). This module builds it for a whole batch of
sheets in three queries, whatever the batch size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from affiliation.models import CoveragePeriod, Exemption, InsuredPerson
from cpam_portal.periods import Period
from reimbursements.rules.types import BeneficiarySituation, Scheme
from reimbursements.rules.types import Exemption as EngineExemption

# Affiliation's exemption grounds are the engine's values (AME is not an affiliation record).
EXEMPTION_GROUNDS = {
    Exemption.Ground.ALD: EngineExemption.ALD,
    Exemption.Ground.MATERNITY: EngineExemption.MATERNITY,
    Exemption.Ground.INVALIDITY: EngineExemption.INVALIDITY,
    Exemption.Ground.AT_MP: EngineExemption.AT_MP,
    Exemption.Ground.CSS: EngineExemption.CSS,
}


@dataclass(frozen=True)
class PersonRecord:
    """What the affiliation file says of one person, over time."""

    birth_date: date
    is_alsace_moselle: bool
    attending_doctor_rpps: str
    attending_doctor_since: date | None
    coverage: tuple[Period, ...]
    exemptions: tuple[tuple[EngineExemption, Period], ...]

    def is_covered(self, on: date) -> bool:
        return any(period.contains(on) for period in self.coverage)

    def situation(self, on: date) -> BeneficiarySituation:
        return situation_on(self, on)


def situation_on(record: PersonRecord, on: date) -> BeneficiarySituation:
    """The engine's view of the person on `on` (pure)."""
    has_gp = bool(record.attending_doctor_rpps) and (
        record.attending_doctor_since is None or record.attending_doctor_since <= on
    )
    return BeneficiarySituation(
        birth_date=record.birth_date,
        scheme=Scheme.ALSACE_MOSELLE if record.is_alsace_moselle else Scheme.GENERAL,
        has_declared_gp=has_gp,
        exemptions=frozenset(ground for ground, period in record.exemptions if period.contains(on)),
    )


def person_records(person_ids: Iterable[int]) -> dict[int, PersonRecord]:
    """The records of these persons (three queries)."""
    ids = sorted(set(person_ids))
    coverage: dict[int, list[Period]] = defaultdict(list)
    for person_id, valid_from, valid_until in CoveragePeriod.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "valid_from", "valid_until"):
        coverage[person_id].append(Period(valid_from, valid_until))
    exemptions: dict[int, list[tuple[EngineExemption, Period]]] = defaultdict(list)
    for person_id, ground, valid_from, valid_until in Exemption.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "ground", "valid_from", "valid_until"):
        if ground in EXEMPTION_GROUNDS:
            exemptions[person_id].append(
                (EXEMPTION_GROUNDS[ground], Period(valid_from, valid_until))
            )
    return {
        pk: PersonRecord(
            birth_date=birth_date,
            is_alsace_moselle=is_alsace_moselle,
            attending_doctor_rpps=rpps,
            attending_doctor_since=since,
            coverage=tuple(coverage[pk]),
            exemptions=tuple(exemptions[pk]),
        )
        for pk, birth_date, is_alsace_moselle, rpps, since in InsuredPerson.objects.filter(
            pk__in=ids
        ).values_list(
            "pk",
            "birth_date",
            "is_alsace_moselle",
            "attending_doctor_rpps",
            "attending_doctor_since",
        )
    }
