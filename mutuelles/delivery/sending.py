"""Sending one WebhookMessage: claim, sign, POST, record — never a transaction open over HTTP.

1. Claim with a conditional UPDATE (pending and due → sending, attempts + 1): zero rows means
   another worker has it, or it is not due, or it is delivered or dead — nothing to do.
2. Sign afresh (a new `webhook-timestamp` per attempt, the same `webhook-id` and body) and POST
   with short timeouts, outside any transaction.
3. Record the attempt in the delivery log and the outcome, in one short transaction on the
   locked message row: 2xx → delivered and its transmissions SENT; anything else → pending
   again after a backoff (the endpoint's other due messages wait with it), or dead after
   MAX_ATTEMPTS and its transmissions DEAD.

A worker killed between 1 and 3 leaves the message "sending": the beat sweep gives it back
after CLAIM_LEASE and the retry carries the same `webhook-id`, so the receiver dedupes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from mutuelles.delivery import backoff
from mutuelles.delivery.signing import signed_headers
from mutuelles.models import DeliveryAttempt, Transmission, WebhookMessage

# Seconds to open the connection, and to wait for the answer's status line: a receiver
# should answer 2xx at once and process later (Standard Webhooks); slower counts as a failure.
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 10.0
# A claim older than this belongs to a dead worker. Far above one attempt (connect + read
# timeouts); if a very slow attempt outlives it anyway, the only cost is a duplicate on the wire
# that the receiver drops (same webhook-id), never a lost or twice-processed statement.
CLAIM_LEASE = timedelta(minutes=2)
ERROR_LENGTH = 200
USER_AGENT = "cpam-portal-webhooks/1"

Status = WebhookMessage.Status


@dataclass(frozen=True)
class AttemptResult:
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def due(now: datetime):
    """Pending messages whose next attempt is due, to an active endpoint, oldest first."""
    return (
        WebhookMessage.objects.filter(status=Status.PENDING, endpoint__is_active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
    )


def claim(message_id: int, now: datetime) -> WebhookMessage | None:
    """The message, now ours ("sending"), or None when it is not ours to send."""
    claimed = (
        WebhookMessage.objects.filter(pk=message_id, status=Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return WebhookMessage.objects.select_related("endpoint").get(pk=message_id)


def release_expired_claims(now: datetime | None = None) -> int:
    """Give back the messages of workers that died mid-send (the beat sweep)."""
    now = now or timezone.now()
    return WebhookMessage.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    ).update(status=Status.PENDING, claimed_at=None, next_attempt_at=now)


def post(message: WebhookMessage) -> AttemptResult:
    """One signed POST of the message's frozen body; never raises for the receiver's faults."""
    endpoint = message.endpoint
    headers = signed_headers(endpoint.secret, message.webhook_id, message.body)
    headers["User-Agent"] = USER_AGENT
    started_at = timezone.now()
    status_code, error = None, ""
    try:
        # stream=True: only the status line is waited for, the answer's body is never read.
        with requests.post(
            endpoint.url,
            data=message.body.encode(),
            headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            allow_redirects=False,  # a webhook is never redirected (Standard Webhooks)
            stream=True,
        ) as response:
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code} {response.reason or ''}".strip()
    except requests.Timeout as exc:
        error = f"timeout: {exc.__class__.__name__}"
    except requests.ConnectionError as exc:
        error = f"connection: {exc}"
    except requests.RequestException as exc:
        error = f"{exc.__class__.__name__}: {exc}"
    duration = timezone.now() - started_at
    return AttemptResult(
        started_at=started_at,
        duration_ms=max(int(duration.total_seconds() * 1000), 0),
        status_code=status_code,
        error=error[:ERROR_LENGTH],
    )


def record(message_id: int, claimed_at: datetime, result: AttemptResult) -> str:
    """Write the attempt and its outcome; the message's status afterwards."""
    now = timezone.now()
    with transaction.atomic():
        message = WebhookMessage.objects.select_for_update(of=("self",), no_key=True).get(
            pk=message_id
        )
        number = (message.deliveries.aggregate(last=Max("number"))["last"] or 0) + 1
        DeliveryAttempt.objects.create(
            message=message,
            number=number,
            started_at=result.started_at,
            duration_ms=result.duration_ms,
            status_code=result.status_code,
            succeeded=result.succeeded,
            error=result.error,
        )
        items = Transmission.objects.filter(webhook_item__message_id=message_id)
        if result.succeeded:
            # Delivered even if our claim expired meanwhile (even if another attempt has
            # since declared it dead): the receiver has it, and a late duplicate from another
            # worker is dropped by its webhook-id.
            if message.status != Status.DELIVERED:
                message.status = Status.DELIVERED
                message.delivered_at = now
                message.claimed_at = None
                message.next_attempt_at = None
                message.last_error = ""
                message.save(
                    update_fields=[
                        "status",
                        "delivered_at",
                        "claimed_at",
                        "next_attempt_at",
                        "last_error",
                    ]
                )
                # A transmission the mutuelle already acknowledged through the feed keeps
                # that status; every one gets its sent_at.
                items.filter(
                    status__in=(Transmission.Status.PENDING, Transmission.Status.DEAD)
                ).update(
                    status=Transmission.Status.SENT,
                    sent_at=now,
                    next_attempt_at=None,
                    last_error="",
                )
                items.filter(sent_at__isnull=True).update(sent_at=now)
            return message.status
        if message.status != Status.SENDING or message.claimed_at != claimed_at:
            return message.status  # our claim expired and another attempt owns the message
        message.claimed_at = None
        message.last_error = result.error
        if message.attempts >= backoff.MAX_ATTEMPTS:
            message.status = Status.DEAD
            message.next_attempt_at = None
            items.filter(status=Transmission.Status.PENDING).update(
                status=Transmission.Status.DEAD,
                attempts=message.attempts,
                next_attempt_at=None,
                last_error=result.error,
            )
        else:
            message.status = Status.PENDING
            message.next_attempt_at = now + backoff.retry_delay(message.attempts)
            items.filter(status=Transmission.Status.PENDING).update(
                attempts=message.attempts,
                next_attempt_at=message.next_attempt_at,
                last_error=result.error,
            )
        message.save(update_fields=["status", "claimed_at", "last_error", "next_attempt_at"])
    if message.status == Status.PENDING:
        hold_back(message.endpoint_id, until=message.next_attempt_at, failed=message.pk)
    return message.status


def hold_back(endpoint_id: int, *, until: datetime, failed: int) -> int:
    """The receiver is failing (message `failed` was not delivered): its other messages due
    before `until` wait for that retry too (unclaimed, uncounted), so a hanging receiver costs
    one read timeout per backoff step, not one per message, and never fills the workers. Best
    effort, in its own transaction after the attempt's: rows another worker holds are skipped
    (never a lock-order deadlock)."""
    with transaction.atomic():
        ids = list(
            WebhookMessage.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(endpoint_id=endpoint_id, status=Status.PENDING, next_attempt_at__lt=until)
            .exclude(pk=failed)
            .values_list("pk", flat=True)
        )
        return WebhookMessage.objects.filter(pk__in=ids).update(next_attempt_at=until)


def deliver(message_id: int, *, now: datetime | None = None) -> str | None:
    """Try to deliver the message if it is due and nobody else is; its status afterwards, or
    None when it was not ours to send."""
    now = now or timezone.now()
    message = claim(message_id, now)
    if message is None:
        return None
    if not message.endpoint.is_active:
        # The mutuelle switched its webhook off after the batch was built: wait, uncounted.
        WebhookMessage.objects.filter(pk=message_id, status=Status.SENDING).update(
            status=Status.PENDING, claimed_at=None, attempts=F("attempts") - 1
        )
        return Status.PENDING
    result = post(message)
    return record(message_id, message.claimed_at, result)
