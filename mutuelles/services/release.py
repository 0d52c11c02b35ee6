"""Routing issued statements to their mutuelle, and releasing them into its statement feed.

Routing: the reimbursement pipeline leaves each statement it issues in its outbox
(`reimbursements.services.outbox`), in the batch's own transaction; the statement is the
record. Here, under the release lock, the issued statements are taken from the outbox and each
one gets a transmission when a contract covers its date of care (`mutuelles.rules.contracts`:
one mutuelle that day, no conflict). Taking and writing happen in one transaction, so a
statement is routed exactly once, even when this step dies half-way (the rows come back).

Releasing: a transmission flows to the mutuelle only once both halves of the link agree (the
contract is CONFIRMED) and the care falls before the contract's end. Releasing gives it the
next `feed_position` of its mutuelle's feed: 1, 2, 3… without gaps, so a mutuelle can tell when
it misses one, and learns nothing of what other mutuelles receive.

Why positions are given here, under a lock, rather than by the pipeline: a reader that has seen
position N must never later find a new row below N, or a mutuelle catching up with `since`
would miss it. Positions taken from a sequence inside concurrent transactions commit out of
order; here one transaction at a time (a PostgreSQL advisory lock held until commit) numbers
the releasable rows after the highest committed position, so positions appear in order.

Why the unreleased rows are walked in windows of ids rather than joined in one query: right
after a batch of new rows, PostgreSQL's statistics may still say that no row lacks a position
(autovacuum has not analysed them yet); it then estimates one row and plans the joins to the
contracts and statements as if there were none — a 5 780-row release took 292 s that way
(`make bench`). So the unreleased rows are read from their own partial index, a window at a
time, and the join to the contracts is asked for that list of ids only, without the position
condition: the planner then knows the row count and looks the contracts up by primary key.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from cpam_portal.locks import hold_until_commit
from cpam_portal.periods import Period
from mutuelles.models import MutuelleContract, Transmission
from mutuelles.rules.contracts import ContractTerms, routed_contract
from reimbursements.services.outbox import IssuedStatement, take_issued

RELEASE_LOCK = "mutuelles.release"
DEFAULT_LIMIT = 5000
WINDOW = 2000  # unreleased rows examined per query


def unreleased() -> QuerySet[Transmission]:
    """Transmissions without a feed position yet (index reimb_transmission_unreleased)."""
    return Transmission.objects.filter(
        feed_position__isnull=True, status=Transmission.Status.PENDING
    )


def agreed_among(window: list[int]) -> QuerySet[Transmission]:
    """Of these unreleased transmissions, those whose link both halves agreed on, with the
    care before the contract's end. The window's own conditions (no position, pending) are not
    repeated: their statistics are what misleads the planner, and under the release lock no
    one else changes an unreleased row."""
    return (
        Transmission.objects.filter(
            pk__in=window,
            contract__status=MutuelleContract.Status.CONFIRMED,
            contract__mutuelle=F("mutuelle"),
        )
        .filter(
            Q(contract__valid_until__isnull=True)
            | Q(contract__valid_until__gt=F("statement__care_date"))
        )
        .order_by("pk")
    )


def route(issued: list[IssuedStatement]) -> list[Transmission]:
    """The transmissions of these statements: one for each whose beneficiary had a contract in
    force covering the date of care with a single mutuelle (a conflict sends nothing: the
    insured person, who sees it in their account, resolves it)."""
    terms = defaultdict(list)
    for person_id, contract_id, mutuelle_id, status, valid_from, valid_until in (
        MutuelleContract.objects.in_force()
        .filter(person_id__in={item.beneficiary_id for item in issued})
        .values_list("person_id", "pk", "mutuelle_id", "status", "valid_from", "valid_until")
    ):
        terms[person_id].append(
            ContractTerms(contract_id, mutuelle_id, status, Period(valid_from, valid_until))
        )
    transmissions = []
    for item in issued:
        contract = routed_contract(terms.get(item.beneficiary_id, ()), item.care_date)
        if contract is not None:
            transmissions.append(
                Transmission(
                    statement_id=item.statement_id,
                    mutuelle_id=contract.mutuelle_id,
                    contract_id=contract.contract_id,
                )
            )
    return Transmission.objects.bulk_create(transmissions)


def _lock() -> None:
    """The release lock, until the transaction ends: one routing and numbering at a time."""
    hold_until_commit(RELEASE_LOCK)


def route_issued_statements(*, limit: int = DEFAULT_LIMIT) -> int:
    """Route up to `limit` issued statements, releasing nothing. Returns the number of
    transmissions written."""
    with transaction.atomic():
        _lock()
        return len(route(take_issued(limit=limit)))


def release_transmissions(
    *, now: datetime.datetime | None = None, limit: int = DEFAULT_LIMIT
) -> int:
    """Route up to `limit` issued statements, then number the releasable transmissions (oldest
    first) after the feed's last position. Returns the number released."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock()
        route(take_issued(limit=limit))
        ids = _releasable_ids(limit)
        if not ids:
            return 0
        last = _last_positions({mutuelle_id for _pk, mutuelle_id in ids})
        rows = []
        for pk, mutuelle_id in ids:
            last[mutuelle_id] += 1
            rows.append(Transmission(pk=pk, feed_position=last[mutuelle_id], released_at=now))
        Transmission.objects.bulk_update(rows, ["feed_position", "released_at"], batch_size=1000)
        return len(rows)


def _last_positions(mutuelle_ids: set[int]) -> dict[int, int]:
    """Each mutuelle's highest position so far (0 for a new feed): one backward step on the
    index reimb_transmission_feed_position per mutuelle, whatever the size of its feed."""
    return {
        mutuelle_id: Transmission.objects.filter(
            mutuelle_id=mutuelle_id, feed_position__isnull=False
        ).aggregate(last=Max("feed_position"))["last"]
        or 0
        for mutuelle_id in mutuelle_ids
    }


def _releasable_ids(limit: int) -> list[tuple[int, int]]:
    """(id, mutuelle id) of the `limit` oldest releasable transmissions, found window by window
    among the unreleased ones (those waiting for their link stay behind without blocking
    others)."""
    ids: list[tuple[int, int]] = []
    after = 0
    while len(ids) < limit:
        window = list(
            unreleased().filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:WINDOW]
        )
        if not window:
            break
        ids += agreed_among(window).values_list("pk", "mutuelle_id")
        after = window[-1]
    return ids[:limit]
