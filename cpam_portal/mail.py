"""E-mails to people, written from templates, in the language the person reads.

Every message goes through an outbox row (`OutgoingMail`) written in the caller's transaction:
a mail server or broker outage delays a notice, it neither loses it nor fails the change.
"""

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import translation

from cpam_portal.background import enqueue_on_commit
from cpam_portal.models import OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A pending mail younger than this is left to the message sent at commit time.
SWEEP_GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class MailAttachment:
    """A text attachment (an ICS invitation): stored in the outbox row with the message."""

    filename: str
    content: str
    mimetype: str


def send_templated_mail(
    template_prefix: str,
    context: dict,
    to: Sequence[str],
    *,
    language: str | None = None,
    attachments: Sequence[MailAttachment] = (),
) -> OutgoingMail:
    """Write `<prefix>_subject.txt` + `<prefix>_message.txt` in `language` to the outbox.

    Messages never carry health data or numbers (NIR, IBAN): they say that something changed
    and where to read it, as the Assurance Maladie's own notifications do. The send happens
    after the current transaction commits (at once outside a transaction).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
    mail = OutgoingMail.objects.create(
        recipients=list(to),
        subject=(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject)[:255],
        body=body,
        attachments=[asdict(attachment) for attachment in attachments],
    )
    from cpam_portal.tasks import deliver_mail_task  # the tasks module imports this one

    enqueue_on_commit(deliver_mail_task, mail.pk)
    return mail


def _text_part(filename: str, content: str, mimetype: str) -> MIMEText:
    """A text attachment keeping its Content-Type parameters (RFC 6047 wants the ICS method
    there too: "text/calendar; method=REQUEST"), which Django's attach() would drop."""
    kind, *parameters = (piece.strip() for piece in mimetype.split(";"))
    part = MIMEText(content, kind.split("/", 1)[1], "utf-8")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _lease() -> timedelta:
    return timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)


def deliver_mail(mail_id: int, *, now: datetime) -> None:
    """Send one pending mail once it is claimed; a failure leaves it pending for the sweep."""
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease())
    claimed = OutgoingMail.objects.filter(
        claimable, pk=mail_id, status=OutgoingMail.Status.PENDING
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return  # sent, abandoned, or being sent by another worker
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        message = EmailMessage(mail.subject, mail.body, to=mail.recipients)
        for attachment in mail.attachments:
            message.attach(_text_part(**attachment))
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        gives_up = mail.attempts >= MAX_ATTEMPTS
        logger.warning("mail %s not sent (attempt %s): %s", mail_id, mail.attempts, error)
        OutgoingMail.objects.filter(pk=mail_id).update(
            status=OutgoingMail.Status.FAILED if gives_up else OutgoingMail.Status.PENDING,
            claimed_at=None,
            last_error=str(error)[:200],
        )
        return
    # Once sent, the text is dropped: an activation code must not stay readable in the outbox.
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=OutgoingMail.Status.SENT, sent_at=now, last_error="", body="", attachments=[]
    )


def mail_to_retry(now: datetime) -> list[int]:
    """Pending mails whose message was lost, whose send failed, or whose worker died."""
    return list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
        .filter(
            Q(claimed_at__isnull=True, created_at__lt=now - SWEEP_GRACE)
            | Q(claimed_at__lt=now - _lease())
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
