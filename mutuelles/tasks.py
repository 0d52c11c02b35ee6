"""Celery tasks of push delivery to the mutuelles: thin, idempotent, safe to run concurrently.

The rows are the queue (released transmissions, WebhookMessages); a Celery message only says
"there is work". A lost message, a killed worker or a Redis outage delays a delivery until
the beat sweep, never loses one. Deliveries run in their own tasks: a slow or dead receiver
never holds up the reimbursement pipeline, which only enqueues `transmit_statements` after
its commit.
"""

import datetime
from collections.abc import Iterable

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from cpam_portal.background import enqueue
from mutuelles.delivery import batching, sending
from mutuelles.services import maintenance
from mutuelles.services.release import release_transmissions

# At most this many deliveries enqueued by one run; the next run (or the sweep) sends the rest.
MAX_ENQUEUED_PER_RUN = 1000


def enqueue_due_messages(
    now: datetime.datetime | None = None, *, already: Iterable[int] = ()
) -> int:
    """Enqueue a delivery of each due message (but those in `already`, enqueued just now)."""
    now = now or timezone.now()
    due = sending.due(now).exclude(pk__in=list(already))
    ids = list(due.values_list("pk", flat=True)[:MAX_ENQUEUED_PER_RUN])
    sent = 0
    for message_id in ids:
        if not enqueue(deliver_webhook_message, message_id):
            break  # the broker is down: the sweep sends them later
        sent += 1
    return sent


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def transmit_statements() -> int:
    """Release what both halves of a link agreed on, batch it per mutuelle with an active
    webhook, then send every message that is due. Returns the number of new messages."""
    release_transmissions()
    # Each new batch is sent as soon as it is committed, while the next one is built.
    created = batching.build_messages(
        on_built=lambda message_id: enqueue(deliver_webhook_message, message_id)
    )
    enqueue_due_messages(already=created)
    return len(created)


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def deliver_webhook_message(message_id: int) -> str | None:
    """One attempt at one message, if it is due and nobody else is sending it (retries of the
    receiver's failures are rows with a next_attempt_at, not Celery retries)."""
    return sending.deliver(message_id)


@shared_task
def sweep_webhook_messages() -> int:
    """Beat, every minute: give back the claims of dead workers, then do what a lost
    `transmit_statements` message would have done (release, batch, send what is due,
    retries included). Returns the number of claims given back."""
    released = sending.release_expired_claims()
    transmit_statements()
    return released


@shared_task
def purge_idempotency_records() -> int:
    """Beat, hourly: forget the stored answers of Idempotency-Keys past their lifetime."""
    return maintenance.purge_idempotency_records()
