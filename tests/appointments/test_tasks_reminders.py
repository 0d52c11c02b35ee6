"""Reminders the day before: due from 09:00 office time, written exactly once."""

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from appointments.models import Booking
from appointments.rules.reminders import reminder_due_at
from appointments.services.booking import reschedule_booking
from appointments.services.reminders import send_due_reminders
from appointments.tasks import send_appointment_reminders
from cpam_portal.models import OutgoingMail
from tests.appointments.factories import book_at, open_service, utc
from tests.conftest import wait_for

MONDAY_10 = utc(2027, 3, 1, 9)  # 10:00 in Paris
DUE = utc(2027, 2, 28, 8)  # Sunday 09:00 in Paris
NOW = utc(2027, 2, 20, 12)


def reminders():
    return OutgoingMail.objects.filter(subject__contains="Rappel")


@pytest.mark.django_db
def test_the_reminder_goes_once_from_nine_the_day_before(
    mailoutbox, django_capture_on_commit_callbacks
):
    booking = book_at(open_service("75"), MONDAY_10, now=NOW)
    assert send_due_reminders(DUE - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(DUE) == 1
        assert send_due_reminders(DUE + timedelta(minutes=15)) == 0
    booking.refresh_from_db()
    assert booking.reminder_sent_at == DUE
    assert reminders().count() == 1
    [message] = mailoutbox
    assert "demain" in message.subject
    assert "lundi 1 mars 2027 de 10:00 à 10:30" in message.body
    assert "/rendez-vous/" in message.body


@pytest.mark.django_db
def test_cancelled_bookings_get_no_reminder_and_a_moved_one_gets_a_new_one():
    service = open_service("75", capacity=2)
    kept = book_at(service, MONDAY_10, now=NOW)
    cancelled = book_at(service, MONDAY_10, now=NOW)
    with time_machine.travel(NOW, tick=False):
        from appointments.services.booking import cancel_booking

        cancel_booking(cancelled, now=NOW)
    assert send_due_reminders(DUE) == 1
    later = MONDAY_10 + timedelta(days=1)
    with time_machine.travel(DUE, tick=False):
        reschedule_booking(kept, later, now=DUE)
    assert Booking.objects.get(pk=kept.pk).reminder_sent_at is None
    assert send_due_reminders(DUE + timedelta(hours=1)) == 0
    assert send_due_reminders(DUE + timedelta(days=1)) == 1
    assert reminders().count() == 2


@pytest.mark.django_db
def test_a_booking_made_after_the_reminder_time_gets_none():
    # Booked on Sunday at 10:00 for Monday 10:00: the confirmation has just gone.
    service = open_service("75", minimum_notice_hours=12)
    book_at(service, MONDAY_10, now=DUE + timedelta(hours=1))
    assert send_due_reminders(DUE + timedelta(hours=2)) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_runs_write_one_reminder():
    book_at(open_service("75"), MONDAY_10, now=NOW)
    barrier = threading.Barrier(6)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(send_due_reminders(DUE))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 0, 0, 0, 0, 1]
    assert reminders().count() == 1


def a_slot_whose_reminder_is_due(now: datetime, zone: str) -> datetime:
    """The first hourly slot at least 3 h ahead whose reminder time has passed."""
    local = now.astimezone(ZoneInfo(zone)).replace(minute=0, second=0, microsecond=0)
    start = local + timedelta(hours=3)
    while reminder_due_at(start, zone) > now or start.hour == 23:  # 23:00 + 1 h > 23:59
        start += timedelta(hours=1)
    return start.astimezone(UTC)


@pytest.mark.worker
def test_a_real_worker_sends_each_reminder_once(celery_worker):
    zone = "Europe/Paris"
    service = open_service("75", weekdays=range(7), ranges=[(time(0), time(23, 59))],
                           slot_minutes=60, minimum_notice_hours=1)  # fmt: skip
    now = timezone.now()
    start = a_slot_whose_reminder_is_due(now, zone)
    # Booked three days ago, well before the reminder time.
    booking = book_at(service, start, now=now - timedelta(days=3))
    send_appointment_reminders.delay()
    send_appointment_reminders.delay()
    wait_for(
        lambda: Booking.objects.get(pk=booking.pk).reminder_sent_at is not None,
        message="the worker to write the reminder",
    )
    wait_for(
        lambda: reminders().filter(status=OutgoingMail.Status.SENT).exists(),
        message="the worker to send the reminder",
    )
    send_appointment_reminders.delay()
    wait_for(lambda: not _pending_tasks(), message="the queue to drain")
    assert reminders().count() == 1


def _pending_tasks() -> int:
    from cpam_portal.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen("celery")
