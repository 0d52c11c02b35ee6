"""E-mails go through an outbox: written with the change, sent after commit, retried, never
lost to a mail-server outage and never sent for a change that was rolled back."""

import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cpam_portal import mail as outbox
from cpam_portal.models import OutgoingMail
from cpam_portal.tasks import sweep_outgoing_mail
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db

TEMPLATE = "affiliation/email/activation_code"
CONTEXT = {"first_names": "Ana", "code": "ABCD-EFGH-JKLM", "expires_at": timezone.now()}


def write(to="ana@exemple.fr", language=None):
    return outbox.send_templated_mail(TEMPLATE, CONTEXT, [to], language=language)


@pytest.fixture
def smtp_down(settings):
    """A real SMTP client against a port where nothing listens: the send fails like an outage."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return settings


def test_a_mail_is_sent_after_the_commit_in_the_readers_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            mail = write(language="en")
            assert mailoutbox == []  # nothing leaves before the change is committed
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@exemple.fr"]
    assert "activation code" in mailoutbox[0].subject.lower()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.SENT, 1)
    assert mail.body == ""  # the activation code does not stay in the database


def test_a_rolled_back_change_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            write()
            raise RuntimeError("the change failed")
    assert mailoutbox == [] and not OutgoingMail.objects.exists()


def test_a_mail_server_outage_keeps_the_mail_and_the_sweep_sends_it_later(
    smtp_down, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = write()  # the caller is not failed by the outage
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.claimed_at) == ("pending", 1, None)
    assert mail.last_error

    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - timedelta(hours=1))
    sweep_outgoing_mail.delay()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 2) and len(mailoutbox) == 1


def test_the_sweep_leaves_fresh_and_claimed_mails_to_their_worker(settings):
    now = timezone.now()
    fresh = OutgoingMail.objects.create(recipients=["a@b.fr"], subject="s", body="b")
    claimed = OutgoingMail.objects.create(
        recipients=["a@b.fr"], subject="s", body="b", claimed_at=now - timedelta(seconds=30)
    )
    lost = OutgoingMail.objects.create(recipients=["a@b.fr"], subject="s", body="b")
    OutgoingMail.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=5))
    dead = OutgoingMail.objects.create(
        recipients=["a@b.fr"],
        subject="s",
        body="b",
        claimed_at=now - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS + 1),
    )
    assert outbox.mail_to_retry(now) == [lost.pk, dead.pk]
    assert fresh.pk and claimed.pk


def test_a_mail_that_keeps_failing_is_given_up(smtp_down):
    mail = OutgoingMail.objects.create(recipients=["a@b.fr"], subject="s", body="b")
    OutgoingMail.objects.filter(pk=mail.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    outbox.deliver_mail(mail.pk, now=timezone.now())
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.FAILED
    assert outbox.mail_to_retry(timezone.now() + timedelta(days=1)) == []


def test_a_sent_mail_is_not_sent_again(mailoutbox):
    mail = OutgoingMail.objects.create(recipients=["a@b.fr"], subject="s", body="b")
    outbox.deliver_mail(mail.pk, now=timezone.now())
    outbox.deliver_mail(mail.pk, now=timezone.now())  # a second delivery of the message
    assert len(mailoutbox) == 1


@pytest.mark.worker
def test_a_real_worker_sends_the_mail_after_commit(celery_worker):
    with transaction.atomic():
        mail = write()
    wait_for(
        lambda: OutgoingMail.objects.get(pk=mail.pk).status == OutgoingMail.Status.SENT,
        message="the worker to send the mail",
    )


def test_a_text_attachment_travels_with_the_mail_and_is_dropped_once_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    invitation = outbox.MailAttachment(
        "rendez-vous.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST"
    )
    with django_capture_on_commit_callbacks(execute=True):
        mail = outbox.send_templated_mail(
            TEMPLATE, CONTEXT, ["ana@exemple.fr"], attachments=[invitation]
        )
    [sent] = mailoutbox
    [part] = [part for part in sent.message().walk() if part.get_filename()]
    assert part.get_filename() == "rendez-vous.ics"
    assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "REQUEST")
    assert part.get_payload(decode=True).decode().startswith("BEGIN:VCALENDAR")
    mail.refresh_from_db()
    assert mail.attachments == []
