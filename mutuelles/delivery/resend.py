"""Resending dead messages: staff's answer to a receiver that was down longer than the retries.

The message goes back to pending with its attempts reset and keeps its `webhook-id` and its
frozen body, so a receiver that did get an earlier attempt recognises a duplicate. Its
transmissions go back from DEAD to PENDING (still in this message, never in another one).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cpam_portal.background import enqueue
from mutuelles.models import Transmission, WebhookMessage

RESENDABLE = (WebhookMessage.Status.DEAD,)


def resend_messages(message_ids, *, now: datetime | None = None) -> list[int]:
    """Put the dead ones among `message_ids` back to pending, due now, and send them after the
    commit; the ids actually put back (others are left as they are)."""
    from mutuelles.tasks import deliver_webhook_message  # tasks import the delivery modules

    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            WebhookMessage.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk__in=list(message_ids), status__in=RESENDABLE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return []
        WebhookMessage.objects.filter(pk__in=ids).update(
            status=WebhookMessage.Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            claimed_at=None,
            last_error="",
        )
        Transmission.objects.filter(
            webhook_item__message_id__in=ids, status=Transmission.Status.DEAD
        ).update(
            status=Transmission.Status.PENDING,
            attempts=0,
            next_attempt_at=None,
            last_error="",
        )
        transaction.on_commit(
            lambda: [enqueue(deliver_webhook_message, message_id) for message_id in ids]
        )
    return ids
