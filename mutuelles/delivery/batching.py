"""Putting released transmissions into signed batches (WebhookMessages), one mutuelle at a time.

A message's body is frozen here: every attempt sends the same bytes under the same
`webhook-id`, so a receiver that got a message whose answer was lost sees a duplicate, never
new statements. A transmission goes into one message only (WebhookMessageItem is OneToOne);
builders of the same mutuelle take turns on an advisory lock, so two workers running
`transmit_statements` at once never race for the same rows (the unique item would only
turn such a race into an error).
"""

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from cpam_portal.locks import hold_until_commit
from mutuelles.models import Transmission, WebhookEndpoint, WebhookMessage, WebhookMessageItem
from mutuelles.statement_format import documents_for, transmissions_with_documents

EVENT_TYPE = "statements.available"
BATCH_SIZE = 100  # statements per message: a body of a few hundred kB at most
# One call builds at most this many messages per mutuelle; the next run takes the rest.
MAX_BATCHES_PER_RUN = 50


def unbatched(mutuelle_id: int):
    """Released transmissions of the mutuelle still waiting to go into a message, feed order."""
    return Transmission.objects.filter(
        mutuelle_id=mutuelle_id,
        status=Transmission.Status.PENDING,
        feed_position__isnull=False,
        webhook_item__isnull=True,
    ).order_by("feed_position")


def message_body(documents: list[dict], at: datetime) -> str:
    payload = {
        "type": EVENT_TYPE,
        "timestamp": at.isoformat(),
        "data": {"statements": documents},
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def build_one_batch(endpoint: WebhookEndpoint, *, now: datetime, batch_size: int) -> int | None:
    """One message of up to `batch_size` of the endpoint's mutuelle's unbatched transmissions,
    in one transaction; its id, or None when nothing waits."""
    with transaction.atomic():
        hold_until_commit(f"mutuelles.batching:{endpoint.mutuelle_id}")
        page = list(transmissions_with_documents(unbatched(endpoint.mutuelle_id))[:batch_size])
        if not page:
            return None
        message = WebhookMessage.objects.create(
            mutuelle_id=endpoint.mutuelle_id,
            endpoint=endpoint,
            event_type=EVENT_TYPE,
            body=message_body(documents_for(page), now),
            next_attempt_at=now,
        )
        WebhookMessageItem.objects.bulk_create(
            [WebhookMessageItem(message=message, transmission=t) for t in page]
        )
        return message.pk


def build_messages(
    *, now: datetime | None = None, batch_size: int | None = None, on_built=None
) -> list[int]:
    """Batch every active endpoint's waiting transmissions; the ids of the new messages.
    `on_built(message_id)` is called after each batch's commit (to send it at once, while the
    next batch is built)."""
    now = now or timezone.now()
    batch_size = batch_size or BATCH_SIZE
    created = []
    endpoints = WebhookEndpoint.objects.filter(is_active=True, mutuelle__is_active=True)
    for endpoint in endpoints.order_by("pk"):
        for _ in range(MAX_BATCHES_PER_RUN):
            message_id = build_one_batch(endpoint, now=now, batch_size=batch_size)
            if message_id is None:
                break
            created.append(message_id)
            if on_built is not None:
                on_built(message_id)
    return created
