"""The insured person's half of the link: declaring a contract, resolving a conflict between
two, agreeing to (or declining) the contract a mutuelle subscribed through its API.

Each function is one transaction; a link that becomes active releases the statements held for
it (their routing is `mutuelles.services.release`), and the push follows after commit.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from affiliation.models import Beneficiary, InsuredPerson
from cpam_portal.background import enqueue_on_commit
from cpam_portal.periods import Period
from mutuelles.models import Mutuelle, MutuelleContract
from mutuelles.rules import contracts as rules
from mutuelles.services.release import release_transmissions
from mutuelles.tasks import transmit_statements


class InactiveMutuelle(ValueError):
    """Staff made this mutuelle inactive: no new contract with it (the form offers none)."""


def declare_contract(
    entry: Beneficiary,
    *,
    mutuelle: Mutuelle,
    member_number: str,
    valid_from: date,
    valid_until: date | None,
    by: User,
    now: datetime | None = None,
) -> MutuelleContract:
    """A contract covering the person on this file entry. Overlaps are allowed here and shown
    as conflicts afterwards: the person may be declaring the new contract before ending the old.

    When this mutuelle already subscribed the person for some of these days (its half of the
    link), the declaration is the person's agreement to that contract: it becomes confirmed
    (with the mutuelle's own dates and number) rather than a second, conflicting contract.
    """
    if not mutuelle.is_active:
        raise InactiveMutuelle(mutuelle.amc_number)
    period = Period(valid_from, valid_until)
    with transaction.atomic():
        subscribed = [
            contract
            for contract in MutuelleContract.objects.select_for_update()
            .filter(
                person=entry.person,
                mutuelle=mutuelle,
                status=MutuelleContract.Status.SUBSCRIBED,
            )
            .order_by("valid_from", "pk")
            if Period(contract.valid_from, contract.valid_until).overlaps(period)
        ]
        if not subscribed:
            return MutuelleContract.objects.create(
                person=entry.person,
                mutuelle=mutuelle,
                member_number=member_number,
                valid_from=valid_from,
                valid_until=valid_until,
                declared_by=by,
            )
        contract = subscribed[0]
        contract.status = MutuelleContract.Status.CONFIRMED
        contract.confirmed_at = now or timezone.now()
        contract.declared_by = by
        contract.save(update_fields=["status", "confirmed_at", "declared_by", "updated_at"])
    release_transmissions(now=contract.confirmed_at)
    enqueue_on_commit(transmit_statements)
    return contract


@dataclass(frozen=True)
class Conflict:
    first: MutuelleContract
    second: MutuelleContract

    @property
    def contracts(self) -> tuple[MutuelleContract, MutuelleContract]:
        return (self.first, self.second)


def contracts_of_file(holder: InsuredPerson) -> list[MutuelleContract]:
    return list(
        MutuelleContract.objects.for_holder(holder)
        .select_related("mutuelle", "person")
        .order_by("person__birth_date", "person_id", "-valid_from", "pk")
    )


def conflicts_among(contracts: list[MutuelleContract]) -> list[Conflict]:
    """The overlapping pairs among these contracts (withdrawn ones never conflict)."""
    by_id = {c.pk: c for c in contracts}
    periods = [
        rules.ContractPeriod(c.pk, c.person_id, Period(c.valid_from, c.valid_until))
        for c in contracts
        if c.status != MutuelleContract.Status.WITHDRAWN
    ]
    return [Conflict(by_id[a], by_id[b]) for a, b in rules.contract_conflicts(periods)]


def resolve_contract_conflict(
    holder: InsuredPerson, *, kept_id: int, other_id: int
) -> MutuelleContract:
    """Keep one of two overlapping contracts of a person on `holder`'s file; the other one
    ends the day before the kept one starts, or is withdrawn if it starts on or after it.

    Raises MutuelleContract.DoesNotExist when either is not on the file or they do not conflict.
    """
    with transaction.atomic():
        contracts = {
            c.pk: c
            for c in MutuelleContract.objects.for_holder(holder)
            .in_force()
            .select_for_update(of=("self",))
            .filter(pk__in=[kept_id, other_id])
        }
        if kept_id == other_id or len(contracts) != 2:
            raise MutuelleContract.DoesNotExist
        kept, other = contracts[kept_id], contracts[other_id]
        kept_period = Period(kept.valid_from, kept.valid_until)
        other_period = Period(other.valid_from, other.valid_until)
        if kept.person_id != other.person_id or not kept_period.overlaps(other_period):
            raise MutuelleContract.DoesNotExist
        resolution, valid_until = rules.resolve_conflict(kept_period, other_period)
        if resolution == rules.Resolution.END:
            other.valid_until = valid_until
        else:
            other.status = MutuelleContract.Status.WITHDRAWN
        other.save(update_fields=["valid_until", "status", "updated_at"])
    return other


def _subscribed_contract(holder: InsuredPerson, contract_id: int) -> MutuelleContract:
    """A contract a mutuelle subscribed for a person on `holder`'s file, locked.

    Raises MutuelleContract.DoesNotExist for any other contract (another file's, or one not
    awaiting the person's agreement): the view answers 404.
    """
    return (
        MutuelleContract.objects.for_holder(holder)
        .select_for_update(of=("self",))
        .select_related("mutuelle")
        .get(pk=contract_id, status=MutuelleContract.Status.SUBSCRIBED)
    )


def confirm_subscription(
    holder: InsuredPerson, *, contract_id: int, now: datetime
) -> MutuelleContract:
    """The person agrees to the contract their mutuelle declared: the link is active, and the
    statements held for it (care before its end) are released to the mutuelle."""
    with transaction.atomic():
        contract = _subscribed_contract(holder, contract_id)
        contract.status = MutuelleContract.Status.CONFIRMED
        contract.confirmed_at = now
        contract.save(update_fields=["status", "confirmed_at", "updated_at"])
    release_transmissions(now=now)  # its own transaction, after the link is committed
    enqueue_on_commit(transmit_statements)
    return contract


def decline_subscription(holder: InsuredPerson, *, contract_id: int) -> MutuelleContract:
    """ "Ce n'est pas mon contrat": the mutuelle's declaration is withdrawn, nothing flows."""
    with transaction.atomic():
        contract = _subscribed_contract(holder, contract_id)
        contract.status = MutuelleContract.Status.WITHDRAWN
        contract.save(update_fields=["status", "updated_at"])
    return contract


@dataclass(frozen=True)
class FileCover:
    """The complementary contracts of a file and the conflicts among them, as pages show them."""

    contracts: list[MutuelleContract]
    conflicts: list[Conflict]


def file_cover(holder: InsuredPerson) -> FileCover:
    contracts = contracts_of_file(holder)
    return FileCover(contracts, conflicts_among(contracts))
