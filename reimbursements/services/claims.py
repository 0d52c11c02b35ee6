"""Claims on care sheets: a worker takes a batch of RECEIVED sheets for itself, and gives them
back when it cannot finish.

A claim is a conditional update in its own short transaction: `SELECT … FOR UPDATE SKIP LOCKED`
picks up to a batch of RECEIVED sheets, oldest first, which become PROCESSING with a fresh
token, the claim time and one more attempt. Two workers never claim the same sheet. A worker
killed after its claim leaves the sheets PROCESSING until the lease runs out; the sweep then
gives them back, or sends them to staff after MAX_ATTEMPTS (a sheet that kills its worker every
time must not loop).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from reimbursements.models import CareSheet

DEFAULT_BATCH_SIZE = 500
# A sheet whose processing was started this many times without finishing goes to staff.
MAX_ATTEMPTS = 5


def lease() -> timedelta:
    return timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)


def claim_batch(
    *, now: datetime, batch_size: int = DEFAULT_BATCH_SIZE
) -> tuple[uuid.UUID, list[int]]:
    """Claim up to `batch_size` RECEIVED sheets, oldest first: (token, ids), ids possibly empty."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            CareSheet.objects.filter(status=CareSheet.Status.RECEIVED)
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",), no_key=True)
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            CareSheet.objects.filter(id__in=ids).update(
                status=CareSheet.Status.PROCESSING,
                claim_token=token,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
    return token, ids


def release_claim(token: uuid.UUID, ids: Sequence[int]) -> int:
    """Give back sheets still claimed under `token` (after an error before the write)."""
    return CareSheet.objects.filter(
        id__in=ids, claim_token=token, status=CareSheet.Status.PROCESSING
    ).update(status=CareSheet.Status.RECEIVED, claim_token=None, claimed_at=None)


def expired_claims_released(*, now: datetime) -> tuple[int, int]:
    """Sheets left PROCESSING by a dead worker: back to RECEIVED, or to staff after
    MAX_ATTEMPTS. Returns (released, to staff)."""
    stale = Q(status=CareSheet.Status.PROCESSING, claimed_at__lt=now - lease())
    to_staff = CareSheet.objects.filter(stale, attempts__gte=MAX_ATTEMPTS).update(
        status=CareSheet.Status.IN_REVIEW,
        rejection_detail="processing did not finish after several attempts",
        claim_token=None,
        claimed_at=None,
    )
    released = CareSheet.objects.filter(stale).update(
        status=CareSheet.Status.RECEIVED, claim_token=None, claimed_at=None
    )
    return released, to_staff


def waiting_count(*, now: datetime, grace: timedelta) -> int:
    """RECEIVED sheets older than `grace` (younger ones are left to the message sent at commit)."""
    return CareSheet.objects.filter(
        status=CareSheet.Status.RECEIVED, created_at__lt=now - grace
    ).count()
