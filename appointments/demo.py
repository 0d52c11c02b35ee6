"""Demo data of appointments for `make run`, on the real directory and the demo people.

Builds services with opening hours at four offices (Paris, Strasbourg for the Alsace-Moselle
holidays, Saint-Denis de La Réunion and Pointe-à-Pitre for the overseas time zones), a closure,
and two bookings for the demo insured person (a phone call-back and a counter visit), made
through the booking service (so their confirmation mails print on the console). Running it
again adds nothing. Development only: it refuses production settings.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from affiliation.models import InsuredPerson
from appointments.models import Booking, Closure, OpeningHours, Service, ServiceKind
from appointments.services.booking import book
from appointments.services.schedule import available_slots
from directory.models import Office

INSURED_EMAIL = "assure@demo.cpam.local"  # affiliation.demo's insured person
WEEKDAYS = range(5)
COUNTER_HOURS = ((time(8, 30), time(12)), (time(13, 30), time(16, 30)))
PHONE_HOURS = ((time(9), time(12)), (time(14), time(17)))
# (postcode, city of the directory's seed) -> services: kind, slot minutes, capacity, weekdays,
# ranges. Paris's welcome centre holds the duty periods for international students (seed 000).
DEMO_SCHEDULES = {
    ("75948", "PARIS CEDEX 19"): [
        (ServiceKind.COUNTER, 30, 2, WEEKDAYS, COUNTER_HOURS),
        (ServiceKind.PHONE_CALLBACK, 20, 3, WEEKDAYS, PHONE_HOURS),
        (ServiceKind.STUDENT_DUTY, 30, 2, (1, 3), ((time(14), time(17)),)),
    ],
    ("67090", "STRASBOURG CEDEX"): [(ServiceKind.COUNTER, 30, 2, WEEKDAYS, COUNTER_HOURS)],
    ("97704", "SAINT DENIS MESSAG CEDEX 9"): [
        (ServiceKind.COUNTER, 30, 1, WEEKDAYS, COUNTER_HOURS),
        (ServiceKind.PHONE_CALLBACK, 20, 2, WEEKDAYS, PHONE_HOURS),
    ],
    ("97159", "POINTE A PITRE CEDEX"): [
        (ServiceKind.COUNTER, 30, 1, WEEKDAYS, ((time(7, 30), time(13)),)),
    ],
}


@dataclass
class DemoAppointments:
    services: list[Service] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)


def _service(office: Office, kind, minutes, capacity, weekdays, ranges) -> Service:
    service, created = Service.objects.get_or_create(
        office=office,
        kind=kind,
        defaults={"slot_minutes": minutes, "capacity": capacity, "minimum_notice_hours": 24},
    )
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(service=service, weekday=day, starts_at=start, ends_at=end)
            for day in weekdays
            for start, end in ranges
        )
    return service


def _first_free(service: Service, after: date, now: datetime):
    choices = available_slots(
        service, first_day=after, last_day=after + timedelta(days=21), now=now
    )
    return next(c for c in choices if c.is_available)


@transaction.atomic
def build_demo_appointments(*, now: datetime | None = None) -> DemoAppointments:
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo data is never created under production settings.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    demo = DemoAppointments()
    offices = {}
    for postcode, city in DEMO_SCHEDULES:
        office = Office.objects.filter(postcode=postcode, city=city).select_related("fund").first()
        if office is None:
            raise ImproperlyConfigured(
                f"Office {postcode} {city} is missing: run `manage.py load_directory` first."
            )
        offices[postcode] = office
        for schedule in DEMO_SCHEDULES[(postcode, city)]:
            demo.services.append(_service(office, *schedule))
    Closure.objects.get_or_create(
        office=offices["67090"],
        service=None,
        first_day=date(today.year, 12, 24),
        defaults={"last_day": date(today.year, 12, 24), "reason": "Fermeture exceptionnelle"},
    )
    person = InsuredPerson.objects.filter(user__email=INSURED_EMAIL).first()
    if person is None or Booking.objects.for_person(person).upcoming(now).exists():
        return demo
    paris_phone, paris_counter = (
        Service.objects.get(office=offices["75948"], kind=kind)
        for kind in (ServiceKind.PHONE_CALLBACK, ServiceKind.COUNTER)
    )
    call = _first_free(paris_phone, today + timedelta(days=2), now)
    demo.bookings.append(
        book(
            person,
            paris_phone,
            call.starts_at,
            reason="sick_leave",
            reason_detail="Question sur le versement de mes indemnités journalières.",
            callback_phone="06 12 34 56 78",
            now=now,
        )
    )
    visit = _first_free(paris_counter, today + timedelta(days=7), now)
    demo.bookings.append(
        book(person, paris_counter, visit.starts_at, reason="carte_vitale", now=now)
    )
    return demo
