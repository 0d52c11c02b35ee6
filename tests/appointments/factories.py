"""Services with opening hours in offices of a chosen département, and bookings made through
the booking service itself (so counters, mails and constraints are the real ones)."""

from datetime import UTC, datetime, time, timedelta

import factory
import time_machine

from appointments.models import Closure, OpeningHours, Service, ServiceKind
from appointments.services.booking import book
from directory.models import Fund
from tests.affiliation.factories import InsuredPersonFactory
from tests.directory.factories import OfficeFactory

TIME_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}
MORNING = (time(9), time(12))
AFTERNOON = (time(13, 30), time(16, 30))


def fund_of(department_code: str) -> Fund:
    fund, _ = Fund.objects.get_or_create(
        department_code=department_code,
        defaults={
            "department_name": f"Département {department_code}",
            "name": f"Caisse {department_code}",
            "kind": Fund.Kind.CGSS if department_code in TIME_ZONES else Fund.Kind.CPAM,
            "time_zone": TIME_ZONES.get(department_code, "Europe/Paris"),
        },
    )
    return fund


def office_in(department_code: str = "75"):
    return OfficeFactory(fund=fund_of(department_code))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    office = factory.LazyFunction(lambda: office_in("75"))
    kind = ServiceKind.COUNTER
    slot_minutes = 30
    capacity = 1
    minimum_notice_hours = 24
    horizon_days = 42


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    service = factory.SubFactory(ServiceFactory)
    weekday = 0
    starts_at = time(9)
    ends_at = time(12)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    office = factory.LazyAttribute(lambda c: c.service.office if c.service else office_in("75"))
    service = None
    reason = "Travaux"


def open_service(
    department_code: str = "75",
    *,
    weekdays=range(5),
    ranges=(MORNING, AFTERNOON),
    **fields,
) -> Service:
    """A service of a new office in this département, open on `weekdays` over `ranges`."""
    service = ServiceFactory(office=office_in(department_code), **fields)
    for weekday in weekdays:
        for start, end in ranges:
            OpeningHoursFactory(service=service, weekday=weekday, starts_at=start, ends_at=end)
    return service


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def book_at(service: Service, starts_at: datetime, person=None, *, now=None, **fields):
    """Book through the service, at a `now` comfortably inside notice and horizon."""
    person = person or InsuredPersonFactory()
    now = now or starts_at - timedelta(hours=service.minimum_notice_hours + 24)
    fields.setdefault("reason", "reimbursement")
    if service.is_phone_callback:
        fields.setdefault("callback_phone", "06 12 34 56 78")
    with time_machine.travel(now, tick=False):
        return book(person, service, starts_at, now=now, **fields)
