"""The capacity guarantee under simultaneous requests, on PostgreSQL with one connection per
thread and a barrier so all requests hit the database at once
(docs/reliability.md#simultaneous-bookings)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from appointments.models import Booking, Slot
from appointments.rules import errors
from appointments.services.booking import book
from tests.affiliation.factories import InsuredPersonFactory
from tests.appointments.factories import book_at, open_service, utc

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)


@pytest.fixture(autouse=True)
def _postgresql_only():
    assert connection.vendor == "postgresql", "the guarantee is PostgreSQL's: run with make test"


def race(attempts):
    """Run every callable at the same instant, each in its own thread and connection."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def run(i, attempt):
        try:
            barrier.wait()
            outcomes[i] = attempt()
        except errors.AppointmentError as error:
            outcomes[i] = type(error)
        except Exception as error:  # reported by the assertion on the outcomes
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def booking_attempt(person, service, starts_at):
    return lambda: book(person, service, starts_at, reason="other", now=NOW)


@pytest.mark.parametrize("capacity", [1, 3])
def test_many_people_for_the_last_seats_exactly_capacity_succeed(capacity):
    service = open_service("75", capacity=capacity)
    people = InsuredPersonFactory.create_batch(24)
    outcomes = race([booking_attempt(p, service, MONDAY_10) for p in people])
    kinds = Counter(type(o).__name__ if isinstance(o, Booking) else o.__name__ for o in outcomes)
    assert kinds == {"Booking": capacity, "SlotFull": 24 - capacity}, outcomes
    assert Booking.objects.filter(status="booked").count() == capacity
    assert Slot.objects.get(service=service, starts_at=MONDAY_10).booked == capacity


def test_one_person_clicking_many_times_books_once():
    service = open_service("75", capacity=5)
    person = InsuredPersonFactory()
    outcomes = race([booking_attempt(person, service, MONDAY_10) for _ in range(8)])
    assert sum(isinstance(o, Booking) for o in outcomes) == 1, outcomes
    assert set(outcomes) - {o for o in outcomes if isinstance(o, Booking)} == {
        errors.AlreadyBookedThisSlot
    }
    assert Slot.objects.get(service=service).booked == 1


def test_the_two_bookings_limit_holds_under_concurrency():
    service = open_service("75", capacity=5)
    person = InsuredPersonFactory()
    book_at(service, MONDAY_10, person, now=NOW)
    # Six open slots on Tuesday: 10:00–11:30 and 13:30–14:00 (the office closes for lunch).
    tuesday_10 = MONDAY_10 + timedelta(days=1)
    starts = [tuesday_10 + timedelta(minutes=30 * i) for i in (0, 1, 2, 3, 7, 8)]
    outcomes = race([booking_attempt(person, service, s) for s in starts])
    assert sum(isinstance(o, Booking) for o in outcomes) == 1, outcomes
    assert [o for o in outcomes if not isinstance(o, Booking)] == [errors.TooManyBookings] * 5
    assert Booking.objects.filter(person=person).count() == 2
    assert sum(Slot.objects.values_list("booked", flat=True)) == 2


def test_the_database_refuses_a_counter_beyond_capacity_whatever_the_code():
    from django.db import IntegrityError, transaction
    from django.db.models import F

    service = open_service("75", capacity=1)
    book_at(service, MONDAY_10, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(service=service).update(booked=F("booked") + 1)


def test_two_people_swapping_slots_at_once_do_not_deadlock():
    from appointments.services.booking import reschedule_booking

    service = open_service("75", capacity=2)
    tuesday_10 = MONDAY_10 + timedelta(days=1)
    a = book_at(service, MONDAY_10, now=NOW)
    b = book_at(service, tuesday_10, now=NOW)
    for _round in range(4):
        a.refresh_from_db()
        b.refresh_from_db()
        outcomes = race(
            [
                lambda: reschedule_booking(a, b.starts_at, now=NOW),
                lambda: reschedule_booking(b, a.starts_at, now=NOW),
            ]
        )
        assert all(isinstance(o, Booking) for o in outcomes), outcomes
    assert dict(Slot.objects.values_list("starts_at", "booked")) == {MONDAY_10: 1, tuesday_10: 1}
