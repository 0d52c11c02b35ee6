"""Celery tasks of the reimbursement pipeline: thin, idempotent, and only nudges.

The RECEIVED rows are the queue; a message only says "there is work". A lost message, a
killed worker or a broker outage delays the work until the beat sweep, never loses it.
"""

import math
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from cpam_portal.background import enqueue
from reimbursements.services import claims, processing

# A RECEIVED sheet younger than this is left to the message sent when it was committed.
SWEEP_GRACE = timedelta(minutes=2)
# At most this many batch tasks started by one sweep: each one chains the next while it finds
# full batches, so a few chains drain any backlog without flooding the broker.
SWEEP_MAX_NUDGES = 4
DEFERRED_RETRY_SECONDS = 1


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def process_care_sheets_task(batch_size: int = claims.DEFAULT_BATCH_SIZE) -> int:
    """Process one batch of RECEIVED sheets; when the batch was full or some sheets were given
    back (another batch held their person's ledger), ask for the next one."""
    outcome = processing.process_next_batch(now=timezone.now(), batch_size=batch_size)
    if outcome.deferred and outcome.deferred == outcome.claimed:
        # Nothing could be done now: other batches hold these persons. Try again in a moment
        # (the countdown stays far below the visibility timeout; the sweep backs it up).
        try:
            process_care_sheets_task.apply_async((batch_size,), countdown=DEFERRED_RETRY_SECONDS)
        except KombuOperationalError:
            pass  # the sweep will offer them again
    elif outcome.claimed >= batch_size or outcome.deferred:
        enqueue(process_care_sheets_task, batch_size)
    return outcome.claimed


@shared_task
def sweep_care_sheets(batch_size: int = claims.DEFAULT_BATCH_SIZE) -> int:
    """Beat, every minute: give back the claims of dead workers, wake workers for sheets whose
    message was lost. Returns the number of batch tasks sent."""
    now = timezone.now()
    claims.expired_claims_released(now=now)
    waiting = claims.waiting_count(now=now, grace=SWEEP_GRACE)
    nudges = min(math.ceil(waiting / batch_size), SWEEP_MAX_NUDGES)
    for _ in range(nudges):
        enqueue(process_care_sheets_task, batch_size)
    return nudges
