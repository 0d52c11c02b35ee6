"""Eligibility: is this beneficiary covered by the compulsory scheme on a date, with which
exemptions from the ticket modérateur — and nothing more (no names, no address, no care).

Only a mutuelle the person has a contract with (declared, subscribed or confirmed; not
withdrawn) may ask: for anyone else the answer is the one for an unknown person, so the API
tells nobody whether a NIR exists.
"""

import datetime
from dataclasses import dataclass

from affiliation.models import CoveragePeriod, Exemption
from cpam_portal.models import in_force_on
from mutuelles.models import Mutuelle, MutuelleContract
from mutuelles.services.members import find_beneficiary


@dataclass(frozen=True)
class Eligibility:
    person_id: int
    on: datetime.date
    covered: bool
    exemptions: list[str]


def eligibility(
    mutuelle: Mutuelle, *, nir: str, rank: int, birth_date: datetime.date, on: datetime.date
) -> Eligibility | None:
    """None when the beneficiary is unknown or has no contract with `mutuelle`."""
    person = find_beneficiary(nir, rank, birth_date)
    if person is None:
        return None
    contracts = MutuelleContract.objects.in_force().filter(person=person, mutuelle=mutuelle)
    if not contracts.exists():
        return None
    covered = CoveragePeriod.objects.filter(in_force_on(on), person=person).exists()
    grounds = (
        Exemption.objects.filter(in_force_on(on), person=person)
        .order_by("ground")
        .values_list("ground", flat=True)
        .distinct()
    )
    return Eligibility(person.pk, on, covered, list(grounds))
