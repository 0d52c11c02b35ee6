"""Background work of appointments: calendar mails, reminders, waiting-list offer expiry.

Each task is safe to run twice or concurrently: the database row decides (see the services).
"""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from appointments.services import mail, reminders, waiting_list
from cpam_portal.background import enqueue


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
)
def deliver_calendar_mail_task(mail_id: int) -> None:
    mail.deliver_calendar_mail(mail_id, now=timezone.now())


@shared_task
def sweep_calendar_mail() -> None:
    """Offer again the calendar mails whose send failed or whose message was lost (beat, 60 s)."""
    for mail_id in mail.calendar_mails_to_retry(now=timezone.now()):
        enqueue(deliver_calendar_mail_task, mail_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, retry_backoff_max=300)
def send_appointment_reminders() -> int:
    """Write the reminders due now, each once (beat, every 15 minutes)."""
    return reminders.send_due_reminders(now=timezone.now())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, retry_backoff_max=300)
def expire_slot_offers() -> int:
    """Close waiting-list offers past their time and offer the seat onwards (beat, 60 s)."""
    return waiting_list.expire_offers(now=timezone.now())
