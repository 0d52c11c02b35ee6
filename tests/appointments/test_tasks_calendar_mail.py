"""Calendar mails: written with the change, sent after commit, retried by the sweep."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from appointments.models import CalendarMail
from appointments.services.mail import calendar_mails_to_retry, deliver_calendar_mail
from appointments.tasks import sweep_calendar_mail
from tests.appointments.factories import book_at, open_service, utc
from tests.conftest import wait_for

MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)


@pytest.mark.django_db
def test_a_rolled_back_booking_writes_and_sends_nothing(mailoutbox):
    service = open_service("75")
    with pytest.raises(RuntimeError), transaction.atomic():
        book_at(service, MONDAY_10, now=NOW)
        raise RuntimeError
    assert not CalendarMail.objects.exists() and mailoutbox == []


@pytest.mark.django_db
def test_a_failed_send_stays_pending_and_the_sweep_sends_it(mailoutbox):
    book_at(open_service("75"), MONDAY_10, now=NOW)
    mail = CalendarMail.objects.get()
    now = mail.created_at  # written under the booking's travelled clock
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("down"),
    ):
        deliver_calendar_mail(mail.pk, now=now)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.claimed_at) == ("pending", 1, None)
    assert "down" in mail.last_error
    assert calendar_mails_to_retry(now) == []  # too young: the commit-time message may come
    assert calendar_mails_to_retry(now + timedelta(minutes=3)) == [mail.pk]
    CalendarMail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    sweep_calendar_mail.delay()
    mail.refresh_from_db()
    assert mail.status == "sent" and mail.body == ""  # the signed link is not kept
    assert len(mailoutbox) == 1
    deliver_calendar_mail(mail.pk, now=now)  # a late duplicate message sends nothing more
    assert len(mailoutbox) == 1


@pytest.mark.worker
def test_a_real_worker_sends_the_confirmation_after_commit(celery_worker):
    book_at(open_service("75"), MONDAY_10, now=NOW)
    wait_for(
        lambda: CalendarMail.objects.filter(status=CalendarMail.Status.SENT).exists(),
        message="the worker to send the confirmation",
    )
