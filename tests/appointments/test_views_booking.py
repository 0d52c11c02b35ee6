"""Booking from the account: find the office, the slot picker, each refusal (nothing booked)."""

import pytest
import time_machine
from django.urls import reverse

from appointments.models import Booking, BookingStatus
from appointments.services.staff import block_slot
from tests.accounts.factories import StaffFactory, UserFactory
from tests.appointments.factories import book_at
from tests.appointments.factories_ui import (
    NOW,
    THURSDAY_10H,
    TUESDAY_10H,
    WEDNESDAY_10H,
    linked_person,
    morning_service,
    queries_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def me(client):
    person = linked_person()
    client.force_login(person.user)
    return person


def booking_data(**fields):
    defaults = {"starts_at": "20261124T0900Z", "reason": "reimbursement", "reason_detail": ""}
    return {**defaults, **fields}


# --- Who may book ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("appointments:find_office"))
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_an_account_without_a_file_is_told_how_to_link_it(client):
    client.force_login(UserFactory())
    response = client.get(reverse("appointments:find_office"))
    assert response.status_code == 200
    assert "Aucun dossier relié à votre compte" in response.content.decode()
    assert reverse("affiliation:link_account") in response.content.decode()


# --- Finding the office ---------------------------------------------------------------------


def test_without_a_search_the_offices_of_my_fund_are_shown(client, me):
    service = morning_service(kind="phone_callback")
    response = client.get(reverse("appointments:find_office"))
    assert response.status_code == 200
    assert reverse("appointments:book", args=[service.pk]) in response.content.decode()
    assert "Les accueils de votre caisse" in response.content.decode()


def test_an_office_is_found_by_postcode_and_city(client, me):
    service = morning_service("69")
    service.office.city = "LYON CEDEX 03"
    service.office.save()
    morning_service("33")  # another département: never listed
    by_postcode = client.get(reverse("appointments:find_office"), {"q": "69003"})
    by_city = client.get(reverse("appointments:find_office"), {"q": "lyon"})
    for response in (by_postcode, by_city):
        html = response.content.decode()
        assert reverse("appointments:book", args=[service.pk]) in html
        assert "1 accueil prend rendez-vous en ligne" in html


def test_an_office_without_online_booking_is_not_listed(client, me):
    service = morning_service("69", is_active=False)
    response = client.get(reverse("appointments:find_office"), {"q": "69"})
    assert reverse("appointments:book", args=[service.pk]) not in response.content.decode()
    assert (
        "Aucun de ces accueils ne prend encore rendez-vous en ligne." in response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [("x", "Recherche trop courte"), ("00000", "Code postal inconnu")],
)
def test_a_bad_search_says_what_is_wrong(client, me, query, message):
    response = client.get(reverse("appointments:find_office"), {"q": query})
    assert message in response.content.decode()
    assert response.content.decode().count("<title>Erreur :") == 1


def test_the_office_search_costs_the_same_whatever_the_number_of_offices(client, me):
    morning_service("69")
    url = reverse("appointments:find_office")
    one = queries_of(client, url, {"q": "69"})
    for _ in range(3):
        morning_service("69")
    assert (
        queries_of(client, url, {"q": "69"}) == one == 14
    )  # 10 for the session and the login; then the person, the search (2), the services


# --- The slot picker ------------------------------------------------------------------------


def test_slots_are_radios_under_day_headings_in_paris_time(client, me):
    service = morning_service()
    html = client.get(reverse("appointments:book", args=[service.pk])).content.decode()
    assert '<h3 class="fr-h6 fr-mb-0">Mardi 24 novembre 2026</h3></legend>' in html
    # 24 h notice from Monday 10:00: the first slot is Tuesday 10:00 Paris (09:00 UTC).
    assert 'type="radio" id="slot-20261124T0900Z" name="starts_at" value="20261124T0900Z"' in html
    assert 'for="slot-20261124T0900Z">10:00 – 10:30</label>' in html
    assert "slot-20261124T0830Z" not in html  # 09:30 is inside the notice
    assert "Les heures sont celles de Paris." in html


def test_an_overseas_office_shows_its_own_time_and_names_the_zone(client, me):
    service = morning_service("972")  # Martinique, UTC-4
    html = client.get(reverse("appointments:book", args=[service.pk])).content.decode()
    assert "Les heures sont celles de l'accueil : heure de la Martinique." in html
    # Tuesday 09:00 in Fort-de-France is 13:00 UTC.
    assert 'for="slot-20261124T1300Z">09:00 – 09:30</label>' in html


def test_a_full_slot_is_shown_disabled(client, me):
    service = morning_service()
    book_at(service, TUESDAY_10H, now=NOW)
    html = client.get(reverse("appointments:book", args=[service.pk])).content.decode()
    assert 'value="20261124T0900Z" disabled required>' in html
    assert "complet" in html


def test_the_next_week_link_moves_the_picker(client, me):
    service = morning_service()
    url = reverse("appointments:book", args=[service.pk])
    html = client.get(url).content.decode()
    assert f"{url}?semaine=2026-12-01" in html
    html = client.get(url, {"semaine": "2026-12-01"}).content.decode()
    assert "Mardi 1 décembre 2026" in html
    assert "Mardi 24 novembre 2026" not in html


def test_an_inactive_or_unknown_service_is_a_404(client, me):
    service = morning_service(is_active=False)
    assert client.get(reverse("appointments:book", args=[service.pk])).status_code == 404
    assert client.get(reverse("appointments:book", args=[999999])).status_code == 404


def test_the_booking_page_costs_the_same_whatever_the_bookings(client, me):
    service = morning_service(capacity=5)
    url = reverse("appointments:book", args=[service.pk])
    empty = queries_of(client, url)
    for start in (TUESDAY_10H, WEDNESDAY_10H, THURSDAY_10H):
        book_at(service, start, now=NOW)
    assert queries_of(client, url) == empty


# --- Booking --------------------------------------------------------------------------------


def test_booking_a_phone_call_back(client, me):
    service = morning_service(kind="phone_callback")
    response = client.post(
        reverse("appointments:book", args=[service.pk]),
        booking_data(
            reason_detail="Remboursement d'une consultation", callback_phone="06 98 76 54 32"
        ),
    )
    booking = Booking.objects.get(person=me)
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:confirmed", args=[booking.pk])
    assert booking.starts_at == TUESDAY_10H
    assert booking.callback_phone == "+33698765432"
    assert booking.reason_detail == "Remboursement d'une consultation"
    assert booking.language == "fr"

    page = client.get(response["Location"]).content.decode()
    assert "Votre rendez-vous est confirmé" in page
    assert "mardi 24 novembre 2026, de 10:00 à 10:30" in page
    assert "+33698765432" in page
    assert me.user.email in page


def test_the_number_to_call_is_prefilled_from_the_file(client, me):
    service = morning_service(kind="phone_callback")
    html = client.get(reverse("appointments:book", args=[service.pk])).content.decode()
    assert 'value="06 12 34 56 78"' in html


def test_a_counter_visit_asks_no_phone_number(client, me):
    service = morning_service()
    html = client.get(reverse("appointments:book", args=[service.pk])).content.decode()
    assert 'name="callback_phone"' not in html
    response = client.post(reverse("appointments:book", args=[service.pk]), booking_data())
    assert response.status_code == 302
    assert Booking.objects.get(person=me).callback_phone == ""


def other_booking_twice(service, me):
    book_at(service, WEDNESDAY_10H, me, now=NOW)
    book_at(service, THURSDAY_10H, me, now=NOW)


@pytest.mark.parametrize(
    ("data", "field", "message", "setup"),
    [
        ({"starts_at": ""}, "id_starts_at", "Choisissez un créneau.", None),
        ({"starts_at": "demain"}, "id_starts_at", "Ce créneau n&#x27;existe pas", None),
        ({"starts_at": "20261116T0900Z"}, "id_starts_at", "Ce créneau est déjà passé", None),
        ({"starts_at": "20261123T1300Z"}, "id_starts_at", "Ce créneau est trop proche", None),
        (
            {"starts_at": "20270222T0900Z"},
            "id_starts_at",
            "pas encore ouvert à la réservation",
            None,
        ),
        ({"starts_at": "20261128T0900Z"}, "id_starts_at", "L&#x27;accueil ne reçoit pas", None),
        ({"starts_at": "20261225T0900Z"}, "id_starts_at", "L&#x27;accueil ne reçoit pas", None),
        ({"starts_at": "20261124T0915Z"}, "id_starts_at", "L&#x27;accueil ne reçoit pas", None),
        ({}, "id_starts_at", "Ce créneau vient d&#x27;être complet", "full"),
        ({}, "id_starts_at", "Ce créneau n&#x27;est plus proposé", "blocked"),
        ({}, None, "Vous avez déjà deux rendez-vous à venir", "two"),
        (
            {"callback_phone": "12345"},
            "id_callback_phone",
            "Saisissez un numéro de téléphone",
            None,
        ),
        ({"callback_phone": "06 12 34 56"}, "id_callback_phone", "Saisissez un numéro", None),
        ({"callback_phone": ""}, "id_callback_phone", "Indiquez le numéro auquel", None),
        ({"reason": ""}, "id_reason", "Choisissez le motif du rendez-vous.", None),
        ({"reason": "vacances"}, "id_reason", "dans la liste", None),
        ({"reason_detail": "x" * 501}, "id_reason_detail", "500 caractères", None),
    ],
)
def test_each_bad_input_is_refused_on_its_field_and_nothing_is_booked(
    client, me, data, field, message, setup
):
    service = morning_service(kind="phone_callback")
    if setup == "full":
        book_at(service, TUESDAY_10H, now=NOW)
    elif setup == "blocked":
        block_slot(service, TUESDAY_10H, by=StaffFactory(), reason="Réunion", now=NOW)
    elif setup == "two":
        other_booking_twice(service, me)
    before = set(Booking.objects.values_list("pk", flat=True))

    response = client.post(
        reverse("appointments:book", args=[service.pk]),
        booking_data(**{"callback_phone": "0612345678", **data}),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert set(Booking.objects.values_list("pk", flat=True)) == before
    assert "<title>Erreur :" in html
    assert "Le formulaire contient des erreurs" in html  # the DSFR error summary
    assert message in html
    if field:
        assert f'href="#{field}-fieldset"' in html  # the summary links to the field


def test_beyond_the_horizon_and_holidays_offer_no_radio(client, me):
    service = morning_service()
    url = reverse("appointments:book", args=[service.pk])
    christmas_week = client.get(url, {"semaine": "2026-12-21"}).content.decode()
    assert "Jeudi 24 décembre 2026" in christmas_week
    assert "Vendredi 25 décembre 2026" not in christmas_week
    assert "slot-20261225T0900Z" not in christmas_week
    # 42 days from Monday 23 November 10:00: Monday 4 January 10:00 is the last start.
    last_week = client.get(url, {"semaine": "2027-01-04"}).content.decode()
    assert "slot-20270104T0900Z" in last_week
    assert "slot-20270104T0930Z" not in last_week
    assert "Jours suivants" not in last_week


def test_a_full_service_offers_the_waiting_list(client, me):
    service = morning_service(horizon_days=1)  # Tuesday 10:00 is the only slot
    book_at(service, TUESDAY_10H, now=NOW)
    html = client.get(reverse("appointments:book", args=[service.pk])).content.decode()
    assert "Tous les créneaux sont pris" in html
    response = client.post(
        reverse("appointments:join_waiting_list", args=[service.pk]),
        {"reason": "css", "reason_detail": ""},
    )
    assert response.status_code == 302
    entry = me.appointment_waiting_list_entries.get()
    assert entry.service == service
    assert entry.booking is None
    again = client.post(
        reverse("appointments:join_waiting_list", args=[service.pk]), {"reason": "css"}
    )
    assert "déjà inscrit sur la liste d&#x27;attente" in again.content.decode()


def test_a_double_submission_books_once(client, me):
    service = morning_service(capacity=3)
    url = reverse("appointments:book", args=[service.pk])
    client.post(url, booking_data())
    second = client.post(url, booking_data())
    assert "Vous avez déjà un rendez-vous sur ce créneau." in second.content.decode()
    assert Booking.objects.filter(person=me, status=BookingStatus.BOOKED).count() == 1


def test_a_booking_and_a_waiting_request_made_in_english_keep_the_language(client, me, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    service = morning_service()
    response = client.post(reverse("appointments:book", args=[service.pk]), booking_data())
    assert response.status_code == 302
    assert Booking.objects.get(person=me).language == "en"  # later mails are in English
    full = morning_service(horizon_days=1)
    book_at(full, TUESDAY_10H, now=NOW)
    client.post(reverse("appointments:join_waiting_list", args=[full.pk]), {"reason": "css"})
    assert me.appointment_waiting_list_entries.get().language == "en"
