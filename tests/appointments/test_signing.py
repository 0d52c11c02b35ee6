"""Signed links: a good one finds its booking; tampered, outdated or expired ones are refused."""

from datetime import timedelta

import pytest
import time_machine

from appointments.rules.errors import ExpiredLink, InvalidLink
from appointments.services.booking import reschedule_booking
from appointments.signing import (
    MANAGE_LINK_MAX_AGE,
    booking_from_token,
    manage_token,
    offer_from_token,
    offer_token,
)
from tests.appointments.factories import book_at, open_service, utc

pytestmark = pytest.mark.django_db

MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)


@pytest.fixture
def booking():
    return book_at(open_service("75"), MONDAY_10, now=NOW)


def test_a_manage_link_names_its_booking(booking):
    with time_machine.travel(NOW, tick=False):
        token = manage_token(booking)
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        assert booking_from_token(token) == booking


def test_a_tampered_link_is_refused(booking):
    token = manage_token(booking)
    other = book_at(open_service("75"), MONDAY_10, now=NOW)
    forged = token.replace(":", "x:", 1)
    swapped = manage_token(other).split(":")[0] + token[token.index(":") :]
    for bad in (forged, token[:-2] + "AA", swapped, "", "nonsense"):
        with pytest.raises(InvalidLink):
            booking_from_token(bad)


def test_an_expired_link_is_refused(booking):
    with time_machine.travel(NOW, tick=False):
        token = manage_token(booking)
    with time_machine.travel(NOW + MANAGE_LINK_MAX_AGE + timedelta(seconds=1), tick=False):
        with pytest.raises(ExpiredLink):
            booking_from_token(token)


def test_the_link_of_an_earlier_mail_is_refused_after_a_change(booking):
    token = manage_token(booking)
    with time_machine.travel(NOW, tick=False):
        reschedule_booking(booking, MONDAY_10 + timedelta(days=1), now=NOW)
    with pytest.raises(InvalidLink):
        booking_from_token(token)
    booking.refresh_from_db()
    assert booking_from_token(manage_token(booking)) == booking


def test_a_manage_link_is_not_an_offer_link(booking):
    with pytest.raises(InvalidLink):
        offer_from_token(manage_token(booking))


def test_offer_links_expire(booking):
    from appointments.models import SlotOffer, WaitingListEntry

    entry = WaitingListEntry.objects.create(
        person=booking.person, service=booking.service, reason="other"
    )
    offer = SlotOffer.objects.create(
        entry=entry, slot=booking.slot, created_at=NOW, expires_at=NOW + timedelta(hours=2)
    )
    with time_machine.travel(NOW, tick=False):
        token = offer_token(offer)
        assert offer_from_token(token) == offer
    with time_machine.travel(NOW + timedelta(hours=3, seconds=1), tick=False):
        with pytest.raises(ExpiredLink):
            offer_from_token(token)
