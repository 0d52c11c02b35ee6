"""The mutuelle's half of the link: subscribing a beneficiary, listing and ending its contracts.

A complementary contract links one beneficiary to one mutuelle; statements flow once both halves
agree (MutuelleContract.Status.CONFIRMED, see `mutuelles.services.release`):
- the insured person declared it in their space (DECLARED) and the mutuelle subscribes: the
  contract becomes CONFIRMED at once, and its held transmissions are released;
- the mutuelle subscribes first: a SUBSCRIBED contract waits for the insured person's agreement
  in their space (`mutuelles.services.contracts.confirm_subscription`).

Periods are half-open everywhere: `valid_until` is the first day NOT covered (exclusive), as in
`MutuelleContract`, the affiliation rules and the release step.

A beneficiary is named as the fund names them: the NIR of the insured person whose file they are
on (the "ouvrant droit") and their rank on that file (01 = the holder), checked against the birth
date. A wrong NIR, rank or birth date all give one answer (`unknown_person`): the API must not
tell a mutuelle that a NIR exists.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from affiliation.models import Beneficiary, InsuredPerson
from cpam_portal.background import enqueue_on_commit
from cpam_portal.periods import Period
from mutuelles.models import Mutuelle, MutuelleContract
from mutuelles.services.release import release_transmissions
from mutuelles.tasks import transmit_statements

Status = MutuelleContract.Status


class MemberStatus(StrEnum):
    """A contract as the mutuelle sees it (the API's `status`)."""

    AWAITING_CONFIRMATION = "awaiting_confirmation"  # declared by the insured, not subscribed
    AWAITING_INSURED = "awaiting_insured"  # subscribed, the insured has not agreed yet
    ACTIVE = "active"  # both agreed, not ended today
    ENDED = "ended"  # both agreed, valid_until on or before today
    WITHDRAWN = "withdrawn"  # withdrawn by the insured (conflict, "not my contract")


class Outcome(StrEnum):
    CONFIRMED = "confirmed"  # the insured's declaration found: the link is active
    AWAITING_INSURED = "awaiting_insured"  # a new contract waits for the insured's agreement
    ALREADY_SUBSCRIBED = "already_subscribed"  # known already: nothing changed
    UNKNOWN_PERSON = "unknown_person"  # no such NIR + rank + birth date
    CONFLICT = "conflict"  # another mutuelle's contract covers some of these days


NOT_MATCHED = frozenset({Outcome.UNKNOWN_PERSON, Outcome.CONFLICT})
CHANGED = frozenset({Outcome.CONFIRMED, Outcome.AWAITING_INSURED})


@dataclass(frozen=True)
class Subscription:
    nir: str  # normalised, 15 characters
    rank: int
    birth_date: datetime.date
    contract_reference: str
    member_number: str
    valid_from: datetime.date
    valid_until: datetime.date | None  # exclusive

    @property
    def period(self) -> Period:
        return Period(self.valid_from, self.valid_until)


@dataclass(frozen=True)
class SubscriptionResult:
    outcome: Outcome
    contract: MutuelleContract | None = None

    @property
    def matched(self) -> bool:
        return self.outcome not in NOT_MATCHED

    @property
    def changed(self) -> bool:
        return self.outcome in CHANGED


def member_status(contract: MutuelleContract, today: datetime.date) -> MemberStatus:
    if contract.status == Status.DECLARED:
        return MemberStatus.AWAITING_CONFIRMATION
    if contract.status == Status.SUBSCRIBED:
        return MemberStatus.AWAITING_INSURED
    if contract.status == Status.WITHDRAWN:
        return MemberStatus.WITHDRAWN
    if contract.valid_until is not None and contract.valid_until <= today:
        return MemberStatus.ENDED
    return MemberStatus.ACTIVE


def find_beneficiary(nir: str, rank: int, birth_date: datetime.date) -> InsuredPerson | None:
    """The person at `rank` on the file of the insured `nir`, if born on `birth_date`."""
    entry = (
        Beneficiary.objects.filter(holder__nir=nir, rank=rank, person__birth_date=birth_date)
        .select_related("person")
        .first()
    )
    return entry.person if entry else None


def _overlapping(contracts: Iterable[MutuelleContract], period: Period) -> list[MutuelleContract]:
    return [c for c in contracts if Period(c.valid_from, c.valid_until).overlaps(period)]


def subscribe(
    mutuelle: Mutuelle, subscription: Subscription, *, now: datetime.datetime | None = None
) -> SubscriptionResult:
    """The mutuelle declares its member; one transaction, and nothing changes unless matched.

    Idempotent: a subscription whose period meets one of this mutuelle's subscribed or confirmed
    contracts of the person answers `already_subscribed` with that contract, unchanged (a
    mutuelle changes an end date with `end_membership`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        person = find_beneficiary(subscription.nir, subscription.rank, subscription.birth_date)
        if person is None:
            return SubscriptionResult(Outcome.UNKNOWN_PERSON)
        # The person's contracts, locked: two subscriptions of one person are decided in turn.
        person = InsuredPerson.objects.select_for_update().get(pk=person.pk)
        contracts = list(
            MutuelleContract.objects.in_force()
            .filter(person=person)
            .select_for_update()
            .order_by("valid_from", "pk")
        )
        overlapping = _overlapping(contracts, subscription.period)
        own = [c for c in overlapping if c.mutuelle_id == mutuelle.pk]
        known = [c for c in own if c.status in (Status.SUBSCRIBED, Status.CONFIRMED)]
        if known:
            return SubscriptionResult(Outcome.ALREADY_SUBSCRIBED, known[0])
        if any(c.mutuelle_id != mutuelle.pk for c in overlapping):
            return SubscriptionResult(Outcome.CONFLICT)
        declared = [c for c in own if c.status == Status.DECLARED]
        if declared:
            # The insured's half is there: the mutuelle's dates and number are the contract's
            # own (the person may have typed them approximately), and the link is active.
            contract = declared[0]
            contract.status = Status.CONFIRMED
            contract.confirmed_at = now
            outcome = Outcome.CONFIRMED
        else:
            contract = MutuelleContract(person=person, mutuelle=mutuelle, status=Status.SUBSCRIBED)
            outcome = Outcome.AWAITING_INSURED
        contract.member_number = subscription.member_number
        contract.mutuelle_reference = subscription.contract_reference
        contract.valid_from = subscription.valid_from
        contract.valid_until = subscription.valid_until
        contract.subscribed_at = now
        contract.save()
    if outcome == Outcome.CONFIRMED:
        # Its own transaction (the release lock is held only as long as the numbering).
        release_transmissions(now=now)
        enqueue_on_commit(transmit_statements)  # push what was held, if the mutuelle has a webhook
    return SubscriptionResult(outcome, contract)


def contracts_of(mutuelle: Mutuelle) -> QuerySet[MutuelleContract]:
    """Every contract naming `mutuelle`, with what the API shows, in a stable order."""
    entries = Beneficiary.objects.select_related("holder").order_by("rank", "holder_id")
    return (
        MutuelleContract.objects.filter(mutuelle=mutuelle)
        .select_related("person")
        .prefetch_related(Prefetch("person__beneficiary_of", queryset=entries))
    )


def filter_by_member_status(
    contracts: QuerySet[MutuelleContract], status: str, today: datetime.date
) -> QuerySet[MutuelleContract]:
    ended = Q(valid_until__isnull=False, valid_until__lte=today)
    match MemberStatus(status):
        case MemberStatus.AWAITING_CONFIRMATION:
            return contracts.filter(status=Status.DECLARED)
        case MemberStatus.AWAITING_INSURED:
            return contracts.filter(status=Status.SUBSCRIBED)
        case MemberStatus.ACTIVE:
            return contracts.filter(status=Status.CONFIRMED).exclude(ended)
        case MemberStatus.ENDED:
            return contracts.filter(ended, status=Status.CONFIRMED)
        case MemberStatus.WITHDRAWN:
            return contracts.filter(status=Status.WITHDRAWN)


def file_entry(contract: MutuelleContract) -> Beneficiary | None:
    """The file entry naming the contract's beneficiary (their own file first, rank 01).

    Reads the prefetched entries of `contracts_of`: no query per contract.
    """
    entries = list(contract.person.beneficiary_of.all())
    return entries[0] if entries else None


class EndRefused(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def end_membership(contract: MutuelleContract, valid_until: datetime.date) -> MutuelleContract:
    """The mutuelle ends its contract: no statement of care on or after `valid_until` flows.

    Only a contract the mutuelle subscribed; the end can come earlier, never later (extending
    could overlap another contract the person has since taken). The same end twice is a no-op.
    """
    with transaction.atomic():
        contract = MutuelleContract.objects.select_for_update().get(pk=contract.pk)
        if contract.status not in (Status.SUBSCRIBED, Status.CONFIRMED):
            raise EndRefused("not_subscribed")
        if valid_until <= contract.valid_from:
            raise EndRefused("before_start")
        if contract.valid_until is not None and valid_until > contract.valid_until:
            raise EndRefused("after_end")
        if contract.valid_until != valid_until:
            contract.valid_until = valid_until
            contract.save(update_fields=["valid_until", "updated_at"])
    return contract
