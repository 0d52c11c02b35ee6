"""Booking, cancelling, rescheduling: what is written, and each refusal writing nothing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from appointments.models import Booking, BookingStatus, ServiceKind, Slot
from appointments.rules import errors
from appointments.services.booking import book, cancel_booking, reschedule_booking
from appointments.services.schedule import available_slots
from appointments.services.staff import block_slot
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.appointments.factories import ClosureFactory, book_at, open_service, utc
from tests.appointments.invitations import invitation_of

pytestmark = pytest.mark.django_db

# Monday 1 March 2027, 10:00 in Paris (UTC+1).
MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)  # a Saturday, 9 days before


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service():
    return open_service("75")


@pytest.fixture
def person():
    return InsuredPersonFactory()


def attempt(person, service, starts_at, **fields):
    fields.setdefault("reason", "reimbursement")
    return book(person, service, starts_at, now=NOW, **fields)


def test_a_booking_takes_one_seat_and_mails_a_confirmation(
    service, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = attempt(person, service, MONDAY_10, reason_detail="Mon dossier d'asthme")
    assert booking.status == BookingStatus.BOOKED
    assert (booking.starts_at, booking.ends_at) == (MONDAY_10, MONDAY_10 + timedelta(minutes=30))
    assert Slot.objects.get(service=service, starts_at=MONDAY_10).booked == 1
    [message] = mailoutbox
    assert message.to == [person.email]
    assert "lundi 1 mars 2027 de 10:00 à 10:30" in message.body
    assert "asthme" not in message.body and "remboursement" not in message.body.lower()
    assert "/rendez-vous/" in message.body
    invitation = invitation_of(message)
    assert (invitation.filename, invitation.method) == ("rendez-vous.ics", "REQUEST")
    assert "asthme" not in invitation.content


def assert_nothing_booked(service, before=0):
    assert Booking.objects.count() == before
    assert sum(Slot.objects.filter(service=service).values_list("booked", flat=True)) == before


@pytest.mark.parametrize(
    ("starts_at", "error"),
    [
        (NOW - timedelta(days=1), errors.SlotInPast),
        (utc(2027, 2, 21, 9), errors.NoticeTooShort),  # within the 24 h notice... and a Sunday
        (utc(2027, 2, 22, 8), errors.NoticeTooShort),  # Monday 09:00, 44 h ahead: bookable
        (utc(2027, 4, 5, 8), errors.BeyondHorizon),  # 44 days ahead
        (utc(2027, 3, 6, 9), errors.SlotClosed),  # a Saturday
        (utc(2027, 3, 1, 9, 15), errors.SlotClosed),  # not a slot start
        (utc(2027, 3, 1, 11, 30), errors.SlotClosed),  # the lunch break
        (utc(2027, 3, 29, 8), errors.SlotClosed),  # Easter Monday 2027
    ],
)
def test_bad_starts_are_refused_and_nothing_is_booked(service, person, starts_at, error):
    if error is errors.NoticeTooShort and starts_at == utc(2027, 2, 22, 8):
        service.minimum_notice_hours = 48
        service.save()
    with pytest.raises(error) as raised:
        attempt(person, service, starts_at)
    assert str(raised.value.message)
    assert_nothing_booked(service)


def test_a_closure_refuses_the_day(service, person):
    ClosureFactory(office=service.office, first_day=date(2027, 3, 1), last_day=date(2027, 3, 1))
    with pytest.raises(errors.SlotClosed):
        attempt(person, service, MONDAY_10)
    assert_nothing_booked(service)


def test_a_closure_of_another_service_leaves_this_one_open(service, person):
    other = open_service("75", kind=ServiceKind.PHONE_CALLBACK)
    ClosureFactory(office=other.office, service=other, first_day=date(2027, 3, 1),
                   last_day=date(2027, 3, 1))  # fmt: skip
    attempt(person, service, MONDAY_10)


def test_a_full_slot_is_refused(service, person):
    attempt(InsuredPersonFactory(), service, MONDAY_10)
    with pytest.raises(errors.SlotFull):
        attempt(person, service, MONDAY_10)
    assert_nothing_booked(service, before=1)


def test_a_blocked_slot_is_refused(service, person):
    block_slot(service, MONDAY_10, by=StaffFactory(), reason="Formation", now=NOW)
    with pytest.raises(errors.SlotBlocked):
        attempt(person, service, MONDAY_10)
    assert Booking.objects.count() == 0


def test_an_inactive_service_is_refused(service, person):
    service.is_active = False
    service.save()
    with pytest.raises(errors.ServiceUnavailable):
        attempt(person, service, MONDAY_10)
    assert_nothing_booked(service)


def test_a_third_upcoming_booking_is_refused(person):
    service = open_service("75", capacity=3)
    attempt(person, service, MONDAY_10)
    attempt(person, service, MONDAY_10 + timedelta(minutes=30))
    with pytest.raises(errors.TooManyBookings):
        attempt(person, service, MONDAY_10 + timedelta(hours=1))
    assert_nothing_booked(service, before=2)


def test_past_and_cancelled_bookings_do_not_count_towards_the_two(person):
    service = open_service("75", capacity=3)
    first = attempt(person, service, MONDAY_10)
    cancel_booking(first, now=NOW)
    attempt(person, service, MONDAY_10 + timedelta(minutes=30))
    attempt(person, service, MONDAY_10 + timedelta(hours=1))


def test_the_same_slot_twice_is_refused(person):
    service = open_service("75", capacity=3)
    attempt(person, service, MONDAY_10)
    with pytest.raises(errors.AlreadyBookedThisSlot):
        attempt(person, service, MONDAY_10)
    assert_nothing_booked(service, before=1)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"callback_phone": ""}, errors.PhoneRequired),
        ({"callback_phone": "12345"}, errors.InvalidPhoneNumber),
        ({"callback_phone": "06 12 34 56 78", "reason": "astrology"}, errors.UnknownReason),
        ({"callback_phone": "06 12 34 56 78", "reason_detail": "x" * 501},
         errors.ReasonDetailTooLong),
    ],
)  # fmt: skip
def test_bad_fields_of_a_call_back_are_refused(person, fields, error):
    service = open_service("75", kind=ServiceKind.PHONE_CALLBACK)
    with pytest.raises(error) as raised:
        attempt(person, service, MONDAY_10, **fields)
    assert raised.value.field in {"callback_phone", "reason", "reason_detail"}
    assert_nothing_booked(service)


def test_a_call_back_keeps_the_number_in_international_form(person):
    service = open_service("75", kind=ServiceKind.PHONE_CALLBACK)
    booking = attempt(person, service, MONDAY_10, callback_phone="06.12.34.56.78")
    assert booking.callback_phone == "+33612345678"


def test_cancelling_frees_the_seat_and_mails_a_cancellation(
    service, person, mailoutbox, django_capture_on_commit_callbacks
):
    booking = attempt(person, service, MONDAY_10)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking, now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_at == NOW
    assert booking.ics_sequence == 1
    assert Slot.objects.get(service=service, starts_at=MONDAY_10).booked == 0
    assert invitation_of(mailoutbox[-1]).method == "CANCEL"
    attempt(InsuredPersonFactory(), service, MONDAY_10)  # the seat is free again


def test_cancelling_after_the_cutoff_is_refused_but_staff_may(service, person):
    booking = attempt(person, service, MONDAY_10)
    late = MONDAY_10 - timedelta(hours=2) + timedelta(seconds=1)
    with pytest.raises(errors.TooLateToChange):
        cancel_booking(booking, now=late)
    assert Booking.objects.get().status == BookingStatus.BOOKED
    cancel_booking(booking, now=late, by_staff=StaffFactory())
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_cancelling_twice_is_refused(service, person):
    booking = attempt(person, service, MONDAY_10)
    cancel_booking(booking, now=NOW)
    with pytest.raises(errors.BookingNotActive):
        cancel_booking(booking, now=NOW)
    assert Slot.objects.get().booked == 0


def test_rescheduling_moves_the_seat_and_raises_the_sequence(
    service, person, mailoutbox, django_capture_on_commit_callbacks
):
    booking = attempt(person, service, MONDAY_10)
    later = MONDAY_10 + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, later, now=NOW)
    booking.refresh_from_db()
    assert (booking.starts_at, booking.ics_sequence) == (later, 1)
    counters = dict(Slot.objects.values_list("starts_at", "booked"))
    assert counters == {MONDAY_10: 0, later: 1}
    assert "mardi 2 mars 2027" in mailoutbox[-1].body


def test_rescheduling_to_a_full_slot_keeps_the_booking(service, person):
    booking = attempt(person, service, MONDAY_10)
    later = MONDAY_10 + timedelta(days=1)
    attempt(InsuredPersonFactory(), service, later)
    with pytest.raises(errors.SlotFull):
        reschedule_booking(booking, later, now=NOW)
    booking.refresh_from_db()
    assert booking.starts_at == MONDAY_10 and booking.ics_sequence == 0
    assert dict(Slot.objects.values_list("starts_at", "booked")) == {MONDAY_10: 1, later: 1}


def test_rescheduling_refusals(service, person):
    booking = attempt(person, service, MONDAY_10)
    with pytest.raises(errors.SameSlot):
        reschedule_booking(booking, MONDAY_10, now=NOW)
    with pytest.raises(errors.TooLateToChange):
        reschedule_booking(booking, MONDAY_10 + timedelta(days=1), now=MONDAY_10)
    with pytest.raises(errors.SlotClosed):
        reschedule_booking(booking, utc(2027, 3, 6, 9), now=NOW)
    assert Booking.objects.get().starts_at == MONDAY_10


def test_available_slots_leave_out_notice_horizon_blocked_and_count_seats(service, person):
    service.capacity = 2
    service.save()
    attempt(person, service, MONDAY_10)
    block_slot(service, MONDAY_10 + timedelta(minutes=30), by=StaffFactory(), now=NOW)
    choices = available_slots(service, first_day=date(2027, 3, 1), last_day=date(2027, 3, 1),
                              now=NOW)  # fmt: skip
    by_start = {c.starts_at: c for c in choices}
    assert by_start[MONDAY_10].seats_left == 1
    assert MONDAY_10 + timedelta(minutes=30) not in by_start
    assert len(choices) == 12 - 1  # 6 morning + 6 afternoon slots, one blocked
    assert choices[0].local_starts_at.hour == 9
    soon = available_slots(service, first_day=date(2027, 2, 20), last_day=date(2027, 2, 22),
                           now=NOW)  # fmt: skip
    assert all(c.starts_at >= NOW + timedelta(hours=24) for c in soon)
    assert available_slots(service, first_day=date(2027, 6, 1), last_day=date(2027, 6, 1),
                           now=NOW) == []  # fmt: skip


def test_a_person_sees_only_their_own_bookings(service, person):
    person.user = UserFactory()
    person.save()
    own = book_at(service, MONDAY_10, person, now=NOW)
    book_at(service, MONDAY_10 + timedelta(hours=1), InsuredPersonFactory(user=UserFactory()),
            now=NOW)  # fmt: skip
    assert list(Booking.objects.for_user(person.user)) == [own]
    assert not Booking.objects.for_user(AnonymousUser()).exists()
