"""The public CSS simulator: no account, a result with its explanation, translated errors."""

import datetime

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("affiliation:css_simulator")


def form_data(**overrides):
    data = {"territory": "metropole", "annual_resources": "12 000,00", "birth_date_1": "1990-06-01"}
    data.update(overrides)
    return data


@time_machine.travel(datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC))
def test_anyone_gets_the_form(client, django_assert_num_queries):
    # Only the session that keeps the CSRF token (look-up, savepoint, insert, release).
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200
    assert 'name="birth_date_8"' in response.content.decode()


@time_machine.travel(datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC))
def test_free_result_with_its_explanation(client):
    response = client.post(URL, form_data(annual_resources="10 339"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Complémentaire santé solidaire sans participation financière" in body
    assert "Votre foyer compte 1 personne." in body
    assert "ne dépassent pas le plafond de 10\u00a0339,00\u00a0€" in body


@time_machine.travel(datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC))
def test_participation_per_person_and_in_total(client):
    response = client.post(
        URL,
        form_data(
            annual_resources="16000",
            birth_date_1="1990-06-01",  # 34 on 1 January 2025: 14 €
            birth_date_2="15/03/1960",  # 64: 25 €, typed the French way
        ),
    )
    body = response.content.decode()
    assert "avec participation financière" in body
    assert "Participation estimée : 39,00\u00a0€ par mois pour le foyer." in body
    assert "64 ans au 1er janvier 2025 : 25,00\u00a0€ par mois" in body


@time_machine.travel(datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC))
def test_above_the_ceiling(client):
    body = client.post(URL, form_data(annual_resources="13958")).content.decode()
    assert "Ressources au-dessus des plafonds" in body


@time_machine.travel(datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"annual_resources": ""}, "Indiquez les ressources annuelles du foyer (0 si aucune)."),
        ({"annual_resources": "douze mille"}, "Indiquez un montant en euros"),
        ({"annual_resources": "12,345"}, "Indiquez un montant en euros"),
        ({"annual_resources": "-5"}, "Les ressources ne peuvent pas être négatives."),
        ({"birth_date_1": ""}, "Indiquez au moins votre date de naissance."),
        ({"birth_date_1": "31/02/1990"}, "Indiquez une date valide, par exemple 15/01/1985."),
        ({"birth_date_2": "2025-06-16"}, "La date de naissance ne peut pas être dans le futur."),
        ({"territory": "mars"}, "Sélectionnez un choix valide"),
        ({"territory": "overseas"}, "ne couvre pas encore les départements"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_result(client, overrides, message):
    response = client.post(URL, form_data(**overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'id="error-summary"' in body
    assert 'id="result"' not in body


@time_machine.travel(datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC))
def test_the_page_follows_the_chosen_language(client):
    client.get(reverse("switch_language", args=["en"]), {"next": "/"})
    response = client.get(URL)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
