"""Releasing transmissions to their mutuelle: giving each its place in the statement feed.

A transmission is written by the reimbursement pipeline when a contract covers the date of
care, but it flows to the mutuelle only once both halves of the link agree (the contract is
CONFIRMED) and the care falls before the contract's end. Releasing gives it the next
`feed_position`.

Why positions are given here, under a lock, rather than by the pipeline: a reader that has seen
position N must never later find a new row below N, or a mutuelle catching up with `since`
would miss it. Positions taken from a sequence inside concurrent transactions commit out of
order; here one transaction at a time (a PostgreSQL advisory lock held until commit) numbers
the releasable rows after the highest committed position, so positions appear in order.
"""

from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from affiliation.models import MutuelleContract
from reimbursements.models import Transmission

# pg_advisory_xact_lock key of the release step (any constant no other code uses).
RELEASE_LOCK_KEY = 5_517_002
DEFAULT_LIMIT = 5000


def releasable():
    """Transmissions whose link both halves agreed on, with the care before the contract's end."""
    return Transmission.objects.filter(
        feed_position__isnull=True,
        status=Transmission.Status.PENDING,
        contract__status=MutuelleContract.Status.CONFIRMED,
        contract__mutuelle=F("mutuelle"),
    ).filter(
        Q(contract__valid_until__isnull=True)
        | Q(contract__valid_until__gt=F("statement__care_date"))
    )


def release_transmissions(*, now=None, limit: int = DEFAULT_LIMIT) -> int:
    """Number the releasable transmissions (oldest first) after the feed's last position."""
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELEASE_LOCK_KEY])
        ids = list(releasable().order_by("pk").values_list("pk", flat=True)[:limit])
        if not ids:
            return 0
        last = Transmission.objects.aggregate(last=Max("feed_position"))["last"] or 0
        rows = [
            Transmission(pk=pk, feed_position=last + offset, released_at=now)
            for offset, pk in enumerate(ids, start=1)
        ]
        Transmission.objects.bulk_update(rows, ["feed_position", "released_at"], batch_size=1000)
        return len(rows)
