"""The waiting list: a cancelled seat is held for the next person in line, for a limited time."""

from datetime import timedelta

import pytest
import time_machine

from appointments.models import BookingStatus, Slot, SlotOffer, WaitingListEntry
from appointments.rules import errors
from appointments.rules.booking import OFFER_HOLD
from appointments.services.booking import book, cancel_booking
from appointments.services.waiting_list import (
    accept_offer,
    decline_offer,
    expire_offers,
    join_waiting_list,
    withdraw_from_waiting_list,
)
from appointments.tasks import expire_slot_offers
from tests.affiliation.factories import InsuredPersonFactory
from tests.appointments.factories import book_at, open_service, utc

pytestmark = pytest.mark.django_db

MONDAY_10 = utc(2027, 3, 1, 9)
FRIDAY_10 = utc(2027, 3, 5, 9)
NOW = utc(2027, 2, 20, 12)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service():
    return open_service("75")


@pytest.fixture
def line(service):
    """A holds Monday 10:00; B holds Friday and waits for earlier; C waits for any slot."""
    a, b, c = InsuredPersonFactory(), InsuredPersonFactory(), InsuredPersonFactory()
    monday = book_at(service, MONDAY_10, a, now=NOW)
    friday = book_at(service, FRIDAY_10, b, now=NOW)
    b_entry = join_waiting_list(b, service, booking=friday, now=NOW)
    c_entry = join_waiting_list(c, service, reason="css", now=NOW)
    return monday, friday, b_entry, c_entry


def seats(service, start):
    return Slot.objects.get(service=service, starts_at=start).booked


def test_a_cancellation_is_offered_first_to_the_first_in_line_and_the_seat_is_held(
    service, line, mailoutbox, django_capture_on_commit_callbacks
):
    monday, _friday, b_entry, c_entry = line
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(monday, now=NOW)
    offer = SlotOffer.objects.get()
    assert (offer.entry, offer.slot.starts_at) == (b_entry, MONDAY_10)
    assert offer.expires_at == NOW + OFFER_HOLD
    assert seats(service, MONDAY_10) == 1  # held for B
    b_entry.refresh_from_db()
    assert b_entry.status == WaitingListEntry.Status.OFFERED
    offer_mail = mailoutbox[-1]
    assert offer_mail.to == [b_entry.person.email]
    assert "/rendez-vous/" in offer_mail.body and "lundi 1 mars 2027" in offer_mail.body
    with pytest.raises(errors.SlotFull):
        book(InsuredPersonFactory(), service, MONDAY_10, reason="other", now=NOW)
    assert WaitingListEntry.objects.get(pk=c_entry.pk).status == WaitingListEntry.Status.WAITING


def test_accepting_moves_the_booking_and_offers_the_old_seat_onwards(service, line):
    monday, friday, b_entry, c_entry = line
    cancel_booking(monday, now=NOW)
    booking = accept_offer(SlotOffer.objects.get(entry=b_entry), now=NOW + timedelta(minutes=5))
    assert booking.pk == friday.pk
    friday.refresh_from_db()
    assert (friday.starts_at, friday.ics_sequence, friday.status) == (
        MONDAY_10,
        1,
        BookingStatus.BOOKED,
    )
    assert seats(service, MONDAY_10) == 1
    # Friday is now free, and C (any slot) is next in line for it.
    c_offer = SlotOffer.objects.get(entry=c_entry)
    assert c_offer.slot.starts_at == FRIDAY_10
    assert seats(service, FRIDAY_10) == 1
    b_entry.refresh_from_db()
    assert b_entry.status == WaitingListEntry.Status.FULFILLED
    booking = accept_offer(c_offer, now=NOW + timedelta(minutes=10))
    assert (booking.person, booking.starts_at, booking.reason) == (c_entry.person, FRIDAY_10, "css")
    assert seats(service, FRIDAY_10) == 1


def test_an_unanswered_offer_expires_and_goes_to_the_next_person(service, line):
    monday, _friday, b_entry, c_entry = line
    cancel_booking(monday, now=NOW)
    b_offer = SlotOffer.objects.get(entry=b_entry)
    assert expire_offers(now=NOW + OFFER_HOLD - timedelta(seconds=1)) == 0
    later = NOW + OFFER_HOLD
    assert expire_offers(now=later) == 1
    b_offer.refresh_from_db()
    assert b_offer.status == SlotOffer.Status.EXPIRED
    c_offer = SlotOffer.objects.get(entry=c_entry)
    assert c_offer.slot.starts_at == MONDAY_10
    assert c_offer.expires_at == later + OFFER_HOLD
    assert seats(service, MONDAY_10) == 1
    with pytest.raises(errors.OfferNotAvailable):
        accept_offer(b_offer, now=later)
    # B stays on the list for another slot, but is not offered Monday again.
    assert WaitingListEntry.objects.get(pk=b_entry.pk).status == WaitingListEntry.Status.WAITING
    # Nobody left for Monday: after C's offer expires the seat is free for everybody.
    with time_machine.travel(later + OFFER_HOLD, tick=False):
        assert expire_slot_offers.delay().get() == 1
    assert seats(service, MONDAY_10) == 0
    assert SlotOffer.objects.filter(status=SlotOffer.Status.PENDING).count() == 0
    assert expire_offers(now=later + OFFER_HOLD) == 0  # running again changes nothing


def test_declining_keeps_the_place_in_line_and_passes_the_seat_on(service, line):
    monday, _friday, b_entry, c_entry = line
    cancel_booking(monday, now=NOW)
    decline_offer(SlotOffer.objects.get(entry=b_entry), now=NOW)
    assert WaitingListEntry.objects.get(pk=b_entry.pk).status == WaitingListEntry.Status.WAITING
    assert SlotOffer.objects.get(entry=c_entry, status="pending").slot.starts_at == MONDAY_10


def test_a_later_slot_is_not_offered_to_someone_waiting_for_earlier(service):
    a, b = InsuredPersonFactory(), InsuredPersonFactory()
    friday = book_at(service, FRIDAY_10, a, now=NOW)
    monday = book_at(service, MONDAY_10, b, now=NOW)
    join_waiting_list(b, service, booking=monday, now=NOW)
    cancel_booking(friday, now=NOW)
    assert not SlotOffer.objects.exists()
    assert seats(service, FRIDAY_10) == 0


def test_withdrawing_releases_a_held_seat(service, line):
    monday, _friday, b_entry, c_entry = line
    cancel_booking(monday, now=NOW)
    withdraw_from_waiting_list(b_entry, now=NOW)
    assert WaitingListEntry.objects.get(pk=b_entry.pk).status == WaitingListEntry.Status.WITHDRAWN
    assert SlotOffer.objects.get(entry=c_entry).slot.starts_at == MONDAY_10


def test_joining_twice_and_bad_requests_are_refused(service, line):
    _monday, friday, b_entry, _c_entry = line
    with pytest.raises(errors.AlreadyWaiting):
        join_waiting_list(b_entry.person, service, booking=friday, now=NOW)
    with pytest.raises(errors.UnknownReason):
        join_waiting_list(InsuredPersonFactory(), service, reason="", now=NOW)
    with pytest.raises(errors.AppointmentError):  # someone else's booking
        join_waiting_list(InsuredPersonFactory(), service, booking=friday, now=NOW)
    assert WaitingListEntry.objects.count() == 2


def test_accepting_respects_the_two_bookings_limit(service, line):
    monday, _friday, _b_entry, c_entry = line
    other = open_service("75", capacity=5)
    book_at(other, MONDAY_10, c_entry.person, now=NOW)
    book_at(other, FRIDAY_10, c_entry.person, now=NOW)
    withdraw_from_waiting_list(_b_entry, now=NOW)
    cancel_booking(monday, now=NOW)
    offer = SlotOffer.objects.get(entry=c_entry)
    with pytest.raises(errors.TooManyBookings):
        accept_offer(offer, now=NOW)
    offer.refresh_from_db()
    assert offer.status == SlotOffer.Status.PENDING
