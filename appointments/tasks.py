"""Background work of appointments: reminders and waiting-list offer expiry (the booking mails
go through the portal's outbox, cpam_portal.tasks, with its own sweep).

Each task is safe to run twice or concurrently: the database row decides (see the services).
"""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from appointments.services import reminders, waiting_list


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, retry_backoff_max=300)
def send_appointment_reminders() -> int:
    """Write the reminders due now, each once (beat, every 15 minutes)."""
    return reminders.send_due_reminders(now=timezone.now())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, retry_backoff_max=300)
def expire_slot_offers() -> int:
    """Close waiting-list offers past their time and offer the seat onwards (beat, 60 s)."""
    return waiting_list.expire_offers(now=timezone.now())
