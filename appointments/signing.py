"""Signed links in booking mails: manage a booking, or answer a waiting-list offer, without
logging in.

django.core.signing with a salt per use (a link of one kind is never accepted as the other) and
a max_age. The manage link also carries the booking's ICS sequence: after a reschedule only the
link of the latest mail works. The services still apply the cut-off before any change.
"""

from datetime import timedelta

from django.core import signing

from appointments.models import Booking, SlotOffer
from appointments.rules.booking import OFFER_HOLD
from appointments.rules.errors import ExpiredLink, InvalidLink

MANAGE_SALT = "appointments.manage-booking"
OFFER_SALT = "appointments.slot-offer"
# Longer than the longest booking horizon (120 days, a check constraint on Service).
MANAGE_LINK_MAX_AGE = timedelta(days=121)
# The offer itself expires after OFFER_HOLD; the link a little later so the page can say so.
OFFER_LINK_MAX_AGE = OFFER_HOLD + timedelta(hours=1)


def manage_token(booking: Booking) -> str:
    return signing.dumps(
        {"b": booking.pk, "u": booking.ics_uid.hex, "s": booking.ics_sequence}, salt=MANAGE_SALT
    )


def _loads(token: str, *, salt: str, max_age: timedelta) -> dict:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except signing.BadSignature as error:
        raise InvalidLink from error
    if not isinstance(payload, dict):
        raise InvalidLink
    return payload


def booking_from_token(token: str) -> Booking:
    """The booking a manage link names; InvalidLink if tampered or outdated, ExpiredLink if old."""
    payload = _loads(token, salt=MANAGE_SALT, max_age=MANAGE_LINK_MAX_AGE)
    booking = (
        Booking.objects.select_related("service__office__fund", "person")
        .filter(pk=payload.get("b"))
        .first()
    )
    if (
        booking is None
        or booking.ics_uid.hex != payload.get("u")
        or booking.ics_sequence != payload.get("s")
    ):
        raise InvalidLink
    return booking


def offer_token(offer: SlotOffer) -> str:
    return signing.dumps({"o": offer.pk}, salt=OFFER_SALT)


def offer_from_token(token: str) -> SlotOffer:
    """The offer an offer link names; InvalidLink or ExpiredLink otherwise."""
    payload = _loads(token, salt=OFFER_SALT, max_age=OFFER_LINK_MAX_AGE)
    offer = (
        SlotOffer.objects.select_related(
            "entry__person", "entry__service__office__fund", "slot", "entry__booking"
        )
        .filter(pk=payload.get("o"))
        .first()
    )
    if offer is None:
        raise InvalidLink
    return offer
