"""The mails about a booking, all through the portal's outbox (`send_templated_mail`):
confirmation, update and cancellation carry an ICS invitation (METHOD REQUEST or CANCEL, one UID
for the booking's life, SEQUENCE rising with each change); the reminder and the waiting-list
offer carry none. All are written in the caller's transaction and sent after commit; none
carries the reason or any health detail.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from affiliation.models import InsuredPerson
from appointments import ics
from appointments.models import Booking, SlotOffer
from appointments.rules.booking import CHANGE_CUTOFF
from appointments.signing import manage_token, offer_token
from cpam_portal.mail import MailAttachment, send_templated_mail
from cpam_portal.models import OutgoingMail
from directory.models import Office

ICS_FILENAME = "rendez-vous.ics"
CONFIRMATION = "confirmation"
UPDATE = "update"
CANCELLATION = "cancellation"
METHODS = {CONFIRMATION: ics.REQUEST, UPDATE: ics.REQUEST, CANCELLATION: ics.CANCEL}


def recipient_of(person: InsuredPerson) -> str:
    """The account's e-mail when the person has one, else the contact address on file."""
    user = person.user if person.user_id else None
    if user is not None and user.email:
        return user.email
    return person.email


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("appointments:manage", args=[manage_token(booking)])


def offer_url(offer: SlotOffer) -> str:
    return settings.SITE_URL + reverse("appointments:offer", args=[offer_token(offer)])


def _office_text(office: Office) -> str:
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


def write_calendar_mail(booking: Booking, kind: str, *, now: datetime) -> OutgoingMail | None:
    """Write the confirmation, update or cancellation of `booking` to the outbox with its ICS
    (None when the person has no e-mail address). The ICS carries the booking's current
    sequence; the mail leaves after the caller's transaction commits."""
    to = recipient_of(booking.person)
    if not to:
        return None
    context = booking_context(booking)
    if kind != CANCELLATION:
        context["manage_url"] = manage_url(booking)
    with translation.override(booking.language or settings.LANGUAGE_CODE):
        description = render_to_string(
            "appointments/mail/ics_description.txt",
            {"PORTAL_NAME": settings.PORTAL_NAME, **context},
        ).strip()
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
    attachment = MailAttachment(
        ICS_FILENAME, ics.build_ics(invitation), f"text/calendar; method={invitation.method}"
    )
    return send_templated_mail(
        f"appointments/mail/{kind}",
        context,
        [to],
        language=booking.language,
        attachments=[attachment],
    )


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
