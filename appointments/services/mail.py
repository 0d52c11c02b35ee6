"""The mails about a booking: confirmation, update and cancellation carry an ICS invitation
(through our own small outbox, CalendarMail); the reminder and the waiting-list offer go through
the portal's outbox (`send_templated_mail`). All are written in the caller's transaction and
sent after commit; none carries the reason or any health detail.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from appointments import ics
from appointments.models import Booking, CalendarMail, SlotOffer
from appointments.rules.booking import CHANGE_CUTOFF
from appointments.signing import manage_token, offer_token
from cpam_portal.background import enqueue_on_commit
from cpam_portal.mail import send_templated_mail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SWEEP_GRACE = timedelta(minutes=2)
CONFIRMATION = "confirmation"
UPDATE = "update"
CANCELLATION = "cancellation"
METHODS = {CONFIRMATION: ics.REQUEST, UPDATE: ics.REQUEST, CANCELLATION: ics.CANCEL}


def recipient_of(person) -> str:
    """The account's e-mail when the person has one, else the contact address on file."""
    if person.user_id and person.user.email:
        return person.user.email
    return person.email


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("appointments:manage", args=[manage_token(booking)])


def offer_url(offer: SlotOffer) -> str:
    return settings.SITE_URL + reverse("appointments:offer", args=[offer_token(offer)])


def _office_text(office) -> str:
    return ", ".join([*office.address_lines, f"{office.postcode} {office.city}"])


def booking_context(booking: Booking) -> dict:
    """What every booking mail may say: service, office, local times; never the reason."""
    service = booking.service
    office = service.office
    zone = service.time_zone
    local_start = timezone.localtime(booking.starts_at, timezone=ZoneInfo(zone))
    local_end = timezone.localtime(booking.ends_at, timezone=ZoneInfo(zone))
    return {
        "booking": booking,
        "service_name": service.get_kind_display(),
        "is_phone_callback": service.is_phone_callback,
        "office": office,
        "office_text": _office_text(office),
        "local_starts_at": local_start,
        "local_ends_at": local_end,
        "time_zone": zone,
        "cutoff_hours": int(CHANGE_CUTOFF.total_seconds() // 3600),
        "account_url": settings.SITE_URL + reverse("appointments:list"),
    }


def write_calendar_mail(booking: Booking, kind: str, *, now: datetime) -> CalendarMail | None:
    """Write the confirmation, update or cancellation of `booking` with its ICS (None when the
    person has no e-mail address). The ICS carries the booking's current sequence."""
    to = recipient_of(booking.person)
    if not to:
        return None
    context = booking_context(booking)
    if kind != CANCELLATION:
        context["manage_url"] = manage_url(booking)
    prefix = f"appointments/mail/{kind}"
    with translation.override(booking.language or settings.LANGUAGE_CODE):
        context = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_message.txt", context)
        description = render_to_string("appointments/mail/ics_description.txt", context).strip()
        summary = f"{context['service_name']} — {settings.PORTAL_NAME}"
    invitation = ics.Invitation(
        uid=f"{booking.ics_uid}@{_host()}",
        sequence=booking.ics_sequence,
        method=METHODS[kind],
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=summary,
        location=context["office_text"],
        description=description,
        organizer_name=booking.service.office.fund.name,
        organizer_email=settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">"),
        attendee_email=to,
        stamp=now,
    )
    mail = CalendarMail.objects.create(
        booking=booking,
        recipients=[to],
        subject=(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject)[:255],
        body=body,
        ics=ics.build_ics(invitation),
        ics_method=invitation.method,
    )
    from appointments.tasks import deliver_calendar_mail_task  # tasks import this module

    enqueue_on_commit(deliver_calendar_mail_task, mail.pk)
    return mail


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def send_reminder_mail(booking: Booking) -> None:
    to = recipient_of(booking.person)
    if not to:
        return
    context = {**booking_context(booking), "manage_url": manage_url(booking)}
    send_templated_mail("appointments/mail/reminder", context, [to], language=booking.language)


def send_offer_mail(offer: SlotOffer) -> None:
    entry = offer.entry
    to = recipient_of(entry.person)
    if not to:
        return
    service = entry.service
    zone = ZoneInfo(service.time_zone)
    context = {
        "service_name": service.get_kind_display(),
        "office_text": _office_text(service.office),
        "local_starts_at": timezone.localtime(offer.slot.starts_at, timezone=zone),
        "local_ends_at": timezone.localtime(offer.slot.ends_at, timezone=zone),
        "local_expires_at": timezone.localtime(offer.expires_at, timezone=zone),
        "time_zone": service.time_zone,
        "offer_url": offer_url(offer),
        "moves_booking": entry.booking_id is not None,
    }
    send_templated_mail("appointments/mail/offer", context, [to], language=entry.language)


def _lease() -> timedelta:
    return timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)


def deliver_calendar_mail(mail_id: int, *, now: datetime) -> None:
    """Send one pending calendar mail once claimed; a failure leaves it pending for the sweep."""
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _lease())
    claimed = CalendarMail.objects.filter(
        claimable, pk=mail_id, status=CalendarMail.Status.PENDING
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return  # sent, abandoned, or being sent by another worker
    mail = CalendarMail.objects.get(pk=mail_id)
    message = EmailMessage(mail.subject, mail.body, to=mail.recipients)
    # Django adds the charset itself; a second one in this string would repeat the parameter.
    message.attach("rendez-vous.ics", mail.ics, f"text/calendar; method={mail.ics_method}")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        gives_up = mail.attempts >= MAX_ATTEMPTS
        logger.warning("calendar mail %s not sent (attempt %s): %s", mail_id, mail.attempts, error)
        CalendarMail.objects.filter(pk=mail_id).update(
            status=CalendarMail.Status.FAILED if gives_up else CalendarMail.Status.PENDING,
            claimed_at=None,
            last_error=str(error)[:200],
        )
        return
    # The signed link in the text is a bearer credential until the cut-off: not kept once sent.
    CalendarMail.objects.filter(pk=mail_id).update(
        status=CalendarMail.Status.SENT, sent_at=now, last_error="", body=""
    )


def calendar_mails_to_retry(now: datetime) -> list[int]:
    """Pending calendar mails whose message was lost, whose send failed, or whose worker died."""
    return list(
        CalendarMail.objects.filter(status=CalendarMail.Status.PENDING)
        .filter(
            Q(claimed_at__isnull=True, created_at__lt=now - SWEEP_GRACE)
            | Q(claimed_at__lt=now - _lease())
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
