"""Enqueueing Celery work without ever making the database wait for Redis.

The row a task works on is committed first; the message only wakes a worker. If the broker is
down at that moment the message is dropped with a warning and the periodic sweep of the owning
app enqueues the row again later: Celery retries a publish for at most 0.4 s by default
(Celery documentation, "Calling Tasks", "Message Sending Retry"; see
docs/reliability.md#the-row-is-the-record).
"""

from __future__ import annotations

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task: Task[..., object], *args: object) -> bool:
    """Send `task` now; False (and a warning) when the broker cannot take it."""
    try:
        task.delay(*args)
    except OperationalError:
        logger.warning("broker unavailable, %s%r left for the sweep", task.name, args)
        return False
    return True


def enqueue_on_commit(task: Task[..., object], *args: object) -> None:
    """Send `task` once the current transaction has committed, never before."""
    transaction.on_commit(lambda: enqueue(task, *args))
