"""The staff agenda in the back office: permission, access traces, attendance, slot blocking,
the printable day list, and the schedule admin pages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.models import BookingStatus, Closure, Slot
from appointments.services.booking import book
from cpam_portal.models import AccessLog
from tests.appointments.factories import book_at, utc
from tests.appointments.factories_ui import (
    NOW,
    TUESDAY_10H,
    TUESDAY_10H30,
    agenda_staff,
    linked_person,
    morning_service,
    staff_without_agenda,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def agent(client):
    user = agenda_staff()
    client.force_login(user)
    return user


@pytest.fixture
def service():
    return morning_service(kind="phone_callback", capacity=2)


def day_url(service, day="2026-11-24"):
    return reverse("admin:appointments_service_agenda_day", args=[service.pk]) + f"?jour={day}"


def test_staff_without_the_agenda_permission_are_refused(client, service):
    client.force_login(staff_without_agenda())
    for name in ("day", "week", "print"):
        url = reverse(f"admin:appointments_service_agenda_{name}", args=[service.pk])
        assert client.get(url).status_code == 403
    booking = book_at(service, TUESDAY_10H, now=NOW)
    response = client.post(
        reverse("admin:appointments_service_agenda_attendance", args=[service.pk, booking.pk]),
        {"status": "no_show"},
    )
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_the_day_shows_reason_and_contact_and_traces_each_read(client, agent, service):
    person = linked_person(last_name="Durand", first_names="Léa")
    booking = book(
        person,
        service,
        TUESDAY_10H,
        reason="sick_leave",
        reason_detail="Indemnités non reçues",
        callback_phone="0698765432",
        now=NOW,
    )
    other = book_at(service, TUESDAY_10H30, now=NOW)

    response = client.get(day_url(service))

    html = response.content.decode()
    assert response.status_code == 200
    assert "durand léa" in html.lower()
    assert "+33698765432" in html
    assert "arrêt de travail, indemnités journalières" in html
    assert "Indemnités non reçues" in html
    traces = AccessLog.objects.filter(user=agent)
    assert {(t.object_id, t.insured_person_id) for t in traces} == {
        (str(booking.pk), person.pk),
        (str(other.pk), other.person_id),
    }
    assert all(t.action == AccessLog.Action.VIEW for t in traces)


def test_the_day_costs_the_same_whatever_the_bookings(client, agent, service):
    from tests.appointments.factories_ui import queries_of

    url = day_url(service)
    book_at(service, TUESDAY_10H, now=NOW)
    one = queries_of(client, url)
    book_at(service, TUESDAY_10H, now=NOW)
    book_at(service, TUESDAY_10H30, now=NOW)
    assert queries_of(client, url) == one


def test_the_week_and_the_print_view(client, agent, service):
    book_at(service, TUESDAY_10H, linked_person(last_name="Petit"), now=NOW)
    week = client.get(
        reverse("admin:appointments_service_agenda_week", args=[service.pk]) + "?du=2026-11-24"
    )
    assert week.status_code == 200
    assert "Agenda de la semaine du 23 novembre 2026" in week.content.decode()
    assert "PETIT" in week.content.decode().upper()
    printed = client.get(
        reverse("admin:appointments_service_agenda_print", args=[service.pk]) + "?jour=2026-11-24"
    )
    html = printed.content.decode()
    assert printed.status_code == 200
    assert "css/appointments.css" in html  # its @media print rules hide the buttons
    assert "PETIT" in html.upper()
    assert AccessLog.objects.filter(detail__startswith="agenda imprimé").count() == 1


def test_marking_attended_and_no_show(client, agent, service, frozen_now):
    booking = book_at(service, TUESDAY_10H, now=NOW)
    url = reverse("admin:appointments_service_agenda_attendance", args=[service.pk, booking.pk])

    too_early = client.post(url, {"status": "attended"}, follow=True)
    assert "pas encore commencé" in too_early.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED

    frozen_now.move_to(TUESDAY_10H + timedelta(minutes=5))
    client.force_login(agent)
    response = client.post(url, {"status": "no_show"})
    assert response.status_code == 302
    assert response["Location"].endswith("?jour=2026-11-24")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    client.post(url, {"status": "attended"})  # a correction
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert booking.history.first().history_user == agent


def test_blocking_and_unblocking_a_slot(client, agent, service):
    url = reverse("admin:appointments_service_agenda_block", args=[service.pk])
    response = client.post(url, {"starts_at": "20261124T0900Z", "block": "on", "reason": "Réunion"})
    assert response.status_code == 302
    slot = Slot.objects.get(service=service, starts_at=TUESDAY_10H)
    assert (slot.is_blocked, slot.block_reason, slot.blocked_by) == (True, "Réunion", agent)
    assert "bloqué" in client.get(day_url(service)).content.decode()

    client.post(url, {"starts_at": "20261124T0900Z"})
    slot.refresh_from_db()
    assert not slot.is_blocked


def test_blocking_a_time_that_is_no_slot_is_refused(client, agent, service):
    url = reverse("admin:appointments_service_agenda_block", args=[service.pk])
    response = client.post(url, {"starts_at": "20261128T0900Z", "block": "on"}, follow=True)
    assert "L&#x27;accueil ne reçoit pas" in response.content.decode()
    assert not Slot.objects.exists()


def test_a_closure_written_under_a_service_belongs_to_its_office(client, agent, service):
    url = reverse("admin:appointments_service_change", args=[service.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None
    }
    data.update(
        {
            "office": service.office_id,
            "is_active": "on",
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "closures-TOTAL_FORMS": "1",
            "closures-INITIAL_FORMS": "0",
            "closures-0-first_day": "2026-12-28",
            "closures-0-last_day": "2026-12-31",
            "closures-0-reason": "Inventaire",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    closure = Closure.objects.get()
    assert (closure.office, closure.service) == (service.office, service)


@pytest.mark.parametrize(
    "name",
    [
        "appointments_service_changelist",
        "appointments_booking_changelist",
        "appointments_closure_changelist",
        "appointments_waitinglistentry_changelist",
    ],
)
def test_the_schedule_lists_open_for_agents(client, agent, service, name):
    book_at(service, TUESDAY_10H, now=NOW)
    assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_the_bookings_list_filters_by_status(client, agent, service):
    book_at(service, TUESDAY_10H, now=NOW)
    response = client.get(reverse("admin:appointments_booking_changelist"), {"status": "booked"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_an_overseas_agenda_is_in_the_office_time(client, agent):
    service = morning_service("972")  # Martinique, UTC-4
    book_at(service, utc(2026, 11, 24, 13), linked_person(last_name="Joseph"), now=NOW)
    html = client.get(day_url(service)).content.decode()
    assert "09:00–09:30" in html  # 13:00 UTC
    assert "heure de la Martinique" in html
    printed = client.get(
        reverse("admin:appointments_service_agenda_print", args=[service.pk]) + "?jour=2026-11-24"
    ).content.decode()
    assert '<th scope="row">09:00</th>' in printed
