""" "Mes rendez-vous": the list, one booking, cancel, reschedule, the waiting list and its offers.

Another person's booking, entry or offer is a 404 on every page.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.models import BookingStatus, SlotOffer, WaitingListEntry
from appointments.services.booking import cancel_booking
from appointments.services.waiting_list import join_waiting_list
from tests.appointments.factories import book_at, utc
from tests.appointments.factories_ui import (
    NOW,
    THURSDAY_10H,
    TUESDAY_10H,
    TUESDAY_10H30,
    WEDNESDAY_10H,
    linked_person,
    morning_service,
    queries_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def me(client):
    person = linked_person()
    client.force_login(person.user)
    return person


@pytest.fixture
def service():
    return morning_service(kind="phone_callback")


def test_the_list_shows_upcoming_and_past_bookings_of_mine_only(client, me, service):
    upcoming = book_at(service, WEDNESDAY_10H, me, now=NOW)
    past = book_at(service, TUESDAY_10H, me, now=NOW - timedelta(days=3))
    stranger = book_at(service, THURSDAY_10H, now=NOW)
    with time_machine.travel(TUESDAY_10H + timedelta(hours=2), tick=False):
        client.force_login(me.user)  # the session of Monday has expired
        html = client.get(reverse("appointments:list")).content.decode()
    assert reverse("appointments:detail", args=[upcoming.pk]) in html
    assert reverse("appointments:detail", args=[past.pk]) in html
    assert reverse("appointments:detail", args=[stranger.pk]) not in html
    assert html.index("À venir") < html.index("mercredi 25 novembre 2026") < html.index("Passés")
    assert reverse("appointments:find_office") in html  # the way to book


def test_the_list_costs_the_same_whatever_the_bookings(client, me, service):
    url = reverse("appointments:list")
    first = book_at(service, TUESDAY_10H, me, now=NOW)
    join_waiting_list(me, service, booking=first, now=NOW)
    one = queries_of(client, url)
    cancel_booking(first, now=NOW)
    other = morning_service()
    second = book_at(other, WEDNESDAY_10H, me, now=NOW)
    join_waiting_list(me, other, booking=second, now=NOW)
    book_at(other, THURSDAY_10H, me, now=NOW)
    assert queries_of(client, url) == one


def test_an_overseas_booking_is_shown_in_the_office_time(client, me):
    service = morning_service("974")  # La Réunion, UTC+4
    booking = book_at(service, utc(2026, 11, 25, 5), me, now=NOW)  # 09:00 in Saint-Denis
    html = client.get(reverse("appointments:detail", args=[booking.pk])).content.decode()
    assert "mercredi 25 novembre 2026, de 09:00 à 09:30" in html
    assert "(heure de La Réunion)" in html


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("appointments:detail", "get"),
        ("appointments:confirmed", "get"),
        ("appointments:cancel", "get"),
        ("appointments:cancel", "post"),
        ("appointments:reschedule", "get"),
        ("appointments:reschedule", "post"),
        ("appointments:ask_earlier", "post"),
    ],
)
def test_another_persons_booking_is_a_404(client, me, service, name, method):
    theirs = book_at(service, TUESDAY_10H, now=NOW)
    response = getattr(client, method)(reverse(name, args=[theirs.pk]), {"starts_at": ""})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.BOOKED
    assert theirs.starts_at == TUESDAY_10H


def test_another_persons_waiting_entry_and_offer_are_404s(client, me, service):
    holder = book_at(service, TUESDAY_10H, now=NOW)
    waiting = book_at(service, THURSDAY_10H, now=NOW)
    entry = join_waiting_list(waiting.person, service, booking=waiting, now=NOW)
    cancel_booking(holder, now=NOW)
    offer = SlotOffer.objects.get(entry=entry)
    assert client.post(reverse("appointments:withdraw", args=[entry.pk])).status_code == 404
    assert client.get(reverse("appointments:offer_detail", args=[offer.pk])).status_code == 404
    response = client.post(
        reverse("appointments:offer_detail", args=[offer.pk]), {"answer": "accept"}
    )
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == SlotOffer.Status.PENDING


def test_cancelling_my_booking(client, me, service):
    booking = book_at(service, TUESDAY_10H, me, now=NOW)
    page = client.get(reverse("appointments:cancel", args=[booking.pk]))
    assert "Confirmer l'annulation" in page.content.decode()
    response = client.post(reverse("appointments:cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_cancelling_after_the_cut_off_is_refused(client, me, service, frozen_now):
    booking = book_at(service, TUESDAY_10H, me, now=NOW)
    frozen_now.move_to(TUESDAY_10H - timedelta(hours=1))
    client.force_login(me.user)
    detail = client.get(reverse("appointments:detail", args=[booking.pk])).content.decode()
    assert "ne peut plus être modifié en ligne" in detail
    response = client.post(reverse("appointments:cancel", args=[booking.pk]))
    assert response.status_code == 409
    assert "moins de deux heures" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_rescheduling_my_booking(client, me, service):
    booking = book_at(service, TUESDAY_10H, me, now=NOW)
    page = client.get(reverse("appointments:reschedule", args=[booking.pk])).content.decode()
    assert "slot-20261124T0900Z" not in page  # the slot held is not offered again
    assert "slot-20261124T0930Z" in page
    response = client.post(
        reverse("appointments:reschedule", args=[booking.pk]), {"starts_at": "20261124T0930Z"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == TUESDAY_10H30
    assert booking.ics_sequence == 1


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        ("20261124T0900Z", "Choisissez un créneau différent"),
        ("20261128T0900Z", "L&#x27;accueil ne reçoit pas"),
        ("", "Choisissez un créneau."),
    ],
)
def test_a_bad_reschedule_changes_nothing(client, me, service, starts_at, message):
    booking = book_at(service, TUESDAY_10H, me, now=NOW)
    response = client.post(
        reverse("appointments:reschedule", args=[booking.pk]), {"starts_at": starts_at}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Le formulaire contient des erreurs" in response.content.decode()
    booking.refresh_from_db()
    assert (booking.starts_at, booking.ics_sequence) == (TUESDAY_10H, 0)


def test_asking_for_an_earlier_slot_then_accepting_the_offer(client, me, service):
    first = book_at(service, TUESDAY_10H, now=NOW)  # someone else holds Tuesday 10:00
    mine = book_at(service, THURSDAY_10H, me, now=NOW)
    response = client.post(reverse("appointments:ask_earlier", args=[mine.pk]))
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get(person=me)
    assert entry.booking == mine

    cancel_booking(first, now=NOW)  # the freed seat goes to me first
    offer = SlotOffer.objects.get(entry=entry)
    listing = client.get(reverse("appointments:list")).content.decode()
    assert "Un créneau plus tôt vous est proposé" in listing
    assert reverse("appointments:offer_detail", args=[offer.pk]) in listing

    page = client.get(reverse("appointments:offer_detail", args=[offer.pk])).content.decode()
    assert "mardi 24 novembre 2026, de 10:00 à 10:30" in page
    response = client.post(
        reverse("appointments:offer_detail", args=[offer.pk]), {"answer": "accept"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.starts_at == TUESDAY_10H
    offer.refresh_from_db()
    assert offer.status == SlotOffer.Status.ACCEPTED


def test_declining_an_offer_keeps_me_waiting(client, me, service):
    first = book_at(service, TUESDAY_10H, now=NOW)
    mine = book_at(service, THURSDAY_10H, me, now=NOW)
    entry = join_waiting_list(me, service, booking=mine, now=NOW)
    cancel_booking(first, now=NOW)
    offer = SlotOffer.objects.get(entry=entry)
    client.post(reverse("appointments:offer_detail", args=[offer.pk]), {"answer": "decline"})
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.WAITING
    mine.refresh_from_db()
    assert mine.starts_at == THURSDAY_10H


def test_an_expired_offer_cannot_be_accepted(client, me, service, frozen_now):
    first = book_at(service, WEDNESDAY_10H, now=NOW)
    mine = book_at(service, THURSDAY_10H, me, now=NOW)
    entry = join_waiting_list(me, service, booking=mine, now=NOW)
    cancel_booking(first, now=NOW)
    offer = SlotOffer.objects.get(entry=entry)
    frozen_now.move_to(offer.expires_at + timedelta(minutes=1))
    client.force_login(me.user)
    response = client.post(
        reverse("appointments:offer_detail", args=[offer.pk]), {"answer": "accept"}
    )
    assert response.status_code == 409
    assert "expiré" in response.content.decode()
    mine.refresh_from_db()
    assert mine.starts_at == THURSDAY_10H


def test_leaving_the_waiting_list(client, me, service):
    mine = book_at(service, THURSDAY_10H, me, now=NOW)
    entry = join_waiting_list(me, service, booking=mine, now=NOW)
    assert client.post(reverse("appointments:withdraw", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.WITHDRAWN
