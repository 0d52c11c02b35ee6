"""Background work of daily allowances. Tasks call one service; running twice is safe."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from allowances.services import payments


# Beat sends this every hour (CELERY_BEAT_SCHEDULE in cpam_portal/settings.py): a period is paid
# on the first run after its last day, and a run missed or killed is made good by the next one.
@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=4,
)
def pay_daily_allowances() -> int:
    """Pay every due 14-day period (and last period) of the accepted stoppages."""
    return payments.pay_due_allowances(on=timezone.localdate())
