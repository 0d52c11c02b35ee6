"""Background work every app shares: delivering the outbox of e-mails."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from cpam_portal import mail
from cpam_portal.background import enqueue


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
)
def deliver_mail_task(mail_id: int) -> None:
    mail.deliver_mail(mail_id, now=timezone.now())


@shared_task
def sweep_outgoing_mail() -> None:
    """Offer again the mails whose send failed or whose message was lost (beat, every 60 s)."""
    for mail_id in mail.mail_to_retry(now=timezone.now()):
        enqueue(deliver_mail_task, mail_id)
