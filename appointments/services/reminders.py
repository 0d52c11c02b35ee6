"""Reminders the day before, each sent exactly once.

The claim is a conditional UPDATE (`reminder_sent_at IS NULL`) in the same transaction as the
outbox row of the mail: a second run, concurrent or later, updates zero rows and writes
nothing; a crash before commit leaves neither the claim nor the mail.
"""

from datetime import datetime, timedelta

from django.db import transaction

from appointments.models import Booking, BookingStatus
from appointments.rules.reminders import reminder_due_at
from appointments.services import mail


def due_reminders(now: datetime) -> list[int]:
    """Ids of the bookings whose reminder is due at `now` and not yet sent."""
    candidates = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            # The day before, whatever the zone (UTC-3 to UTC+4): two days ahead at most.
            starts_at__lte=now + timedelta(hours=48),
        )
        .select_related("service__office__fund")
        .order_by("starts_at", "pk")
    )
    return [
        b.pk
        for b in candidates
        if reminder_due_at(b.starts_at, b.service.time_zone) <= now
        and b.created_at < reminder_due_at(b.starts_at, b.service.time_zone)
    ]


def send_reminder(booking_id: int, *, now: datetime) -> bool:
    """Claim and write the reminder of one booking; False when already sent or not due."""
    with transaction.atomic():
        claimed = Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.BOOKED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
        ).update(reminder_sent_at=now)
        if not claimed:
            return False
        booking = Booking.objects.select_related("service__office__fund", "person__user").get(
            pk=booking_id
        )
        mail.send_reminder_mail(booking)
    return True


def send_due_reminders(now: datetime) -> int:
    """Write every reminder due at `now`; returns how many this run wrote."""
    return sum(send_reminder(pk, now=now) for pk in due_reminders(now))
