"""Booking mails go through the portal's outbox: written with the change, sent after commit with
their invitation, retried by the outbox sweep, in the language the person booked in."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from cpam_portal import mail as outbox
from cpam_portal.models import OutgoingMail
from cpam_portal.tasks import sweep_outgoing_mail
from tests.appointments.factories import book_at, open_service, utc
from tests.appointments.invitations import invitation_of
from tests.conftest import wait_for

MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)


@pytest.mark.django_db
def test_a_rolled_back_booking_writes_and_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    service = open_service("75")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            book_at(service, MONDAY_10, now=NOW)
            raise RuntimeError
    assert not OutgoingMail.objects.exists() and mailoutbox == []


@pytest.mark.django_db
def test_the_confirmation_is_written_in_the_bookings_transaction_with_its_invitation(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            booking = book_at(open_service("75"), MONDAY_10, now=NOW, reason_detail="Asthme")
            mail = OutgoingMail.objects.get()
            assert mailoutbox == []  # nothing leaves before the booking is committed
    assert len(callbacks) == 1
    [attachment] = mail.attachments
    assert attachment["filename"] == "rendez-vous.ics"
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"
    assert str(booking.ics_uid) in attachment["content"]
    assert "Asthme" not in mail.body + attachment["content"]
    [message] = mailoutbox
    assert invitation_of(message).method == "REQUEST"
    mail.refresh_from_db()
    # Once sent, the signed link in the text and the invitation are not kept.
    assert (mail.status, mail.body, mail.attachments) == ("sent", "", [])


@pytest.mark.django_db
def test_the_mail_is_in_the_language_the_person_booked_in(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book_at(open_service("75"), MONDAY_10, now=NOW, language="en")
    [message] = mailoutbox
    assert "Monday 1 March 2027" in message.body and "lundi" not in message.body


@pytest.mark.django_db
def test_a_failed_send_stays_pending_and_the_outbox_sweep_sends_it_with_the_invitation(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("down"),
        ),
        django_capture_on_commit_callbacks(execute=True),  # the send runs under the outage
    ):
        booking = book_at(open_service("75"), MONDAY_10, now=NOW)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.claimed_at) == ("pending", 1, None)
    assert "down" in mail.last_error and mailoutbox == []
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - timedelta(hours=1))
    sweep_outgoing_mail.delay()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 2)
    [message] = mailoutbox
    invitation = invitation_of(message)
    assert invitation.method == "REQUEST" and str(booking.ics_uid) in invitation.content
    outbox.deliver_mail(mail.pk, now=timezone.now())  # a late duplicate message sends nothing
    assert len(mailoutbox) == 1


@pytest.mark.worker
def test_a_real_worker_sends_the_confirmation_after_commit(celery_worker):
    book_at(open_service("75"), MONDAY_10, now=NOW)
    wait_for(
        lambda: OutgoingMail.objects.filter(
            status=OutgoingMail.Status.SENT, subject__contains="confirmé"
        ).exists(),
        message="the worker to send the confirmation",
    )
