"""Signed links from the e-mails: manage a booking or answer an offer without logging in; a
tampered, outdated or expired link gets a page that says so, and nothing changes."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.models import BookingStatus, SlotOffer
from appointments.services.booking import cancel_booking
from appointments.services.waiting_list import join_waiting_list
from appointments.signing import manage_token, offer_token
from tests.appointments.factories import book_at
from tests.appointments.factories_ui import (
    NOW,
    THURSDAY_10H,
    TUESDAY_10H,
    TUESDAY_10H30,
    morning_service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def booking():
    return book_at(morning_service(), TUESDAY_10H, now=NOW)


def manage_url(booking, name="appointments:manage"):
    return reverse(name, args=[manage_token(booking)])


def test_the_link_shows_the_booking_without_the_reason(client, booking):
    response = client.get(manage_url(booking))
    html = response.content.decode()
    assert response.status_code == 200
    assert "mardi 24 novembre 2026, de 10:00 à 10:30" in html
    assert "Remboursement de soins" not in html  # the reason stays behind the login
    assert response["Referrer-Policy"] == "no-referrer"


def test_cancelling_through_the_link(client, booking):
    response = client.post(manage_url(booking, "appointments:manage_cancel"))
    assert response.status_code == 200
    assert "Votre rendez-vous est annulé." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    # The link of the confirmation is outdated now: nothing more can be done with it.
    assert client.get(manage_url_of_sequence_0(booking)).status_code == 400


def manage_url_of_sequence_0(booking):
    booking.ics_sequence = 0
    return manage_url(booking)


def test_rescheduling_through_the_link(client, booking):
    url = manage_url(booking, "appointments:manage_reschedule")
    assert "slot-20261124T0930Z" in client.get(url).content.decode()
    response = client.post(url, {"starts_at": "20261124T0930Z"})
    assert response.status_code == 200
    assert "Rendez-vous déplacé" in response.content.decode()
    booking.refresh_from_db()
    assert booking.starts_at == TUESDAY_10H30


@pytest.mark.parametrize("name", ["manage", "manage_cancel", "manage_reschedule"])
def test_a_tampered_link_changes_nothing(client, booking, name):
    token = manage_token(booking)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    url = reverse(f"appointments:{name}", args=[tampered])
    response = (
        client.get(url) if name == "manage" else client.post(url, {"starts_at": "20261124T0930Z"})
    )
    assert response.status_code == 400
    assert "Lien non valide" in response.content.decode()
    assert "Rien n'a été modifié." in response.content.decode()
    booking.refresh_from_db()
    assert (booking.status, booking.starts_at) == (BookingStatus.BOOKED, TUESDAY_10H)


def test_an_expired_link_changes_nothing(client, booking, frozen_now):
    url = manage_url(booking, "appointments:manage_cancel")
    frozen_now.move_to(NOW + timedelta(days=122))
    response = client.post(url)
    assert response.status_code == 410
    assert "Lien expiré" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_cut_off_applies_to_links_too(client, booking, frozen_now):
    url = manage_url(booking, "appointments:manage_cancel")
    frozen_now.move_to(TUESDAY_10H - timedelta(minutes=30))
    response = client.post(url)
    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_accepting_an_offer_through_its_link(client, booking):
    service = booking.service
    later = book_at(service, THURSDAY_10H, now=NOW)
    entry = join_waiting_list(later.person, service, booking=later, now=NOW)
    cancel_booking(booking, now=NOW)
    offer = SlotOffer.objects.get(entry=entry)
    url = reverse("appointments:offer", args=[offer_token(offer)])
    assert "Accepter ce créneau" in client.get(url).content.decode()
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 200
    assert "Créneau accepté" in response.content.decode()
    later.refresh_from_db()
    assert later.starts_at == TUESDAY_10H
    # Answered: the same link cannot be used twice.
    again = client.post(url, {"answer": "accept"})
    assert again.status_code == 409


def test_a_tampered_offer_link_changes_nothing(client, booking):
    response = client.post(
        reverse("appointments:offer", args=[manage_token(booking)]), {"answer": "accept"}
    )
    assert response.status_code == 400  # a manage token is not an offer token (salt)
    assert "Lien non valide" in response.content.decode()
