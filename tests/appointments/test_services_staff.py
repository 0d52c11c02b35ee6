"""The staff side: the agenda in a constant number of queries, attendance, blocking slots."""

from datetime import date, timedelta

import pytest
import time_machine

from appointments.models import BookingStatus, ServiceKind, Slot
from appointments.rules import errors
from appointments.services.booking import book, cancel_booking
from appointments.services.staff import (
    agenda_for,
    block_slot,
    mark_attendance,
    mark_attended,
    mark_no_show,
    unblock_slot,
)
from tests.accounts.factories import StaffFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.appointments.factories import ClosureFactory, book_at, open_service, utc

pytestmark = pytest.mark.django_db

MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)


@pytest.fixture
def service():
    return open_service("75", capacity=2, kind=ServiceKind.PHONE_CALLBACK)


def test_the_day_agenda_lists_every_slot_and_booking_in_constant_queries(
    service, django_assert_num_queries
):
    def agenda():
        with django_assert_num_queries(5):
            result = agenda_for(service, first_day=date(2027, 3, 1))
            # Reading what the printed list shows costs nothing more.
            rows = [
                (b.person.last_name, b.person.email, b.callback_phone, b.reason, b.status)
                for b in result.bookings
            ]
        return result, rows

    book_at(service, MONDAY_10, reason_detail="Carte perdue")
    _result, rows = agenda()
    assert len(rows) == 1
    for hours in (1, 4, 5):  # 11:00, 14:00, 15:00 (closed for lunch at 12:00)
        book_at(service, MONDAY_10 + timedelta(hours=hours))
        book_at(service, MONDAY_10 + timedelta(hours=hours))
    result, rows = agenda()
    assert len(rows) == 7
    [day] = result.days
    assert len(day.slots) == 12 and not day.is_closed
    first = day.slots[0]
    assert first.local_starts_at.strftime("%H:%M") == "09:00" and first.seats_left == 2
    ten = day.slots[2]
    assert ten.starts_at == MONDAY_10 and ten.booked == 1 and ten.seats_left == 1
    assert ten.bookings[0].reason_detail == "Carte perdue"
    assert ten.bookings[0].callback_phone == "+33612345678"


def test_the_week_agenda_shows_closed_days_and_leaves_out_cancellations(service):
    ClosureFactory(office=service.office, first_day=date(2027, 3, 3), last_day=date(2027, 3, 3))
    kept = book_at(service, MONDAY_10)
    gone = book_at(service, MONDAY_10 + timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        cancel_booking(gone, now=NOW)
    agenda = agenda_for(service, first_day=date(2027, 3, 1), days=7)
    assert [d.day.day for d in agenda.days] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.is_closed for d in agenda.days] == [False, False, True, False, False, True, True]
    assert agenda.bookings == [kept]


def test_a_booking_on_a_day_closed_afterwards_still_shows(service):
    booking = book_at(service, MONDAY_10)
    ClosureFactory(office=service.office, first_day=date(2027, 3, 1), last_day=date(2027, 3, 1))
    [day] = agenda_for(service, first_day=date(2027, 3, 1)).days
    assert [s.starts_at for s in day.slots] == [MONDAY_10]
    assert day.slots[0].bookings == [booking]


def test_marking_attendance(service):
    staff = StaffFactory()
    booking = book_at(service, MONDAY_10)
    with pytest.raises(errors.NotStarted):
        mark_attended(booking, by=staff, now=MONDAY_10 - timedelta(minutes=1))
    assert mark_no_show(booking, by=staff, now=MONDAY_10).status == BookingStatus.NO_SHOW
    corrected = mark_attendance(booking, "attended", by=staff, now=MONDAY_10 + timedelta(hours=1))
    assert corrected.status == BookingStatus.ATTENDED
    last = corrected.history.order_by("-history_id").first()
    assert (last.history_user, last.status) == (staff, "attended")
    with pytest.raises(ValueError):
        mark_attendance(booking, "cancelled", by=staff, now=MONDAY_10)


def test_a_cancelled_booking_cannot_be_marked(service):
    booking = book_at(service, MONDAY_10)
    with time_machine.travel(NOW, tick=False):
        cancel_booking(booking, now=NOW)
    with pytest.raises(errors.BookingNotActive):
        mark_attended(booking, by=StaffFactory(), now=MONDAY_10)


def test_blocking_a_slot_stops_new_bookings_and_keeps_existing_ones(service):
    staff = StaffFactory()
    kept = book_at(service, MONDAY_10)
    slot = block_slot(service, MONDAY_10, by=staff, reason="Réunion", now=NOW)
    assert (slot.is_blocked, slot.blocked_by, slot.booked) == (True, staff, 1)
    with pytest.raises(errors.SlotBlocked):
        book(InsuredPersonFactory(), service, MONDAY_10, reason="other",
             callback_phone="0612345678", now=NOW)  # fmt: skip
    [day] = agenda_for(service, first_day=date(2027, 3, 1)).days
    assert day.slots[2].is_blocked and day.slots[2].bookings == [kept]
    assert day.slots[2].seats_left == 0
    unblock_slot(slot, by=staff, now=NOW)
    book(InsuredPersonFactory(), service, MONDAY_10, reason="other",
         callback_phone="0612345678", now=NOW)  # fmt: skip
    assert Slot.objects.get(pk=slot.pk).booked == 2


def test_blocking_an_empty_slot_and_a_time_that_is_no_slot(service):
    slot = block_slot(service, MONDAY_10 + timedelta(hours=1), by=StaffFactory(), now=NOW)
    assert slot.booked == 0 and slot.capacity == 2
    with pytest.raises(errors.SlotClosed):
        block_slot(service, MONDAY_10 + timedelta(minutes=10), by=StaffFactory(), now=NOW)
