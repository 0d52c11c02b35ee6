"""`make run`'s appointments demo: services at real offices, two bookings, idempotent.

One test, because building the directory and the demo people is the costly part."""

import pytest
from django.core.management import call_command

from appointments.demo import build_demo_appointments
from appointments.models import Booking, OpeningHours, Service, ServiceKind
from directory.loading import load_directory
from tests.appointments.factories import utc

pytestmark = pytest.mark.django_db

NOW = utc(2027, 2, 19, 10)  # a Friday


def test_the_demo_offers_services_here_and_overseas_and_books_twice_once():
    load_directory()
    call_command("load_demo")
    call_command("load_demo_affiliation")
    demo = build_demo_appointments(now=NOW)

    zones = {s.office.fund.time_zone for s in demo.services}
    assert zones == {"Europe/Paris", "Indian/Reunion", "America/Guadeloupe"}
    assert {s.kind for s in demo.services} == set(ServiceKind.values)
    assert OpeningHours.objects.count() > 20

    call, visit = demo.bookings
    assert call.service.kind == ServiceKind.PHONE_CALLBACK and call.callback_phone
    assert visit.service.kind == ServiceKind.COUNTER
    assert call.person.user.email == "assure@demo.cpam.local"
    assert NOW < call.starts_at < visit.starts_at

    counts = (Service.objects.count(), OpeningHours.objects.count(), Booking.objects.count())
    assert build_demo_appointments(now=NOW).bookings == []
    assert (
        Service.objects.count(),
        OpeningHours.objects.count(),
        Booking.objects.count(),
    ) == counts
