"""Housekeeping of the mutuelle API's own tables (Celery beat runs it every hour:
CELERY_BEAT_SCHEDULE in cpam_portal/settings.py)."""

import datetime

from django.utils import timezone

from mutuelles.models import IdempotencyRecord

# How long an Idempotency-Key is honoured: a client retries within minutes; a day covers a
# night's outage of its software (draft-ietf-httpapi-idempotency-key-header §2.3: the resource
# publishes the expiry; ours is in README.md, "Mutuelles").
IDEMPOTENCY_KEY_LIFETIME = datetime.timedelta(hours=24)


def purge_idempotency_records(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored answers older than the keys' lifetime; returns how many went."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_KEY_LIFETIME
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
