"""The public simulator page: form, result with its explanation, errors in DSFR style."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SESSION_QUERIES = 4


def url():
    return reverse("allowances:simulator")


def form_data(**changes):
    data = {
        "kind": "sickness",
        "stoppage_start": "2026-02-10",
        "stoppage_end": "2026-02-28",
        "salary_1": "2 000",
        "salary_2": "2000,00",
        "salary_3": "2000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_page_shows_the_form_to_anyone(client, django_assert_num_queries):
    # Only the session that keeps the CSRF token (look-up, savepoint, insert, release).
    with django_assert_num_queries(SESSION_QUERIES):
        response = client.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="kind"' in html and 'type="radio"' in html
    assert 'name="salary_12"' in html and 'name="hours_1"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_sickness_result_with_its_explanation(client, django_assert_num_queries):
    with django_assert_num_queries(SESSION_QUERIES + 1):  # + the allowance parameters
        response = client.post(url(), form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Total estimé : 525,92 €" in html
    assert "32,87 €" in html
    assert "Salaire journalier de base : 6\u00a0000,00 € (salaires des 3 mois" in html
    assert "décret 2025-160" in html  # the cap's source
    assert "en vigueur depuis le 01/04/2025" in html


def test_work_accident_shows_the_day_29_amount(client):
    response = client.post(
        url(),
        form_data(
            kind="work_accident",
            stoppage_start="2026-01-01",
            stoppage_end="2026-03-31",
            salary_1="50000",
            salary_2=None,
            salary_3=None,
        ),
    )
    html = response.content.decode()
    assert "240,49 €" in html and "320,66 €" in html
    assert "Indemnité journalière à partir du 29e jour" in html


def test_missing_month_is_an_error_on_its_own_field(client):
    response = client.post(url(), form_data(salary_2=None))
    html = response.content.decode()
    assert "Le formulaire contient des erreurs" in html
    assert 'href="#id_salary_2"' in html
    assert re.search(r'<input [^>]*id="id_salary_2"[^>]*aria-invalid="true"', html)
    assert "Total estimé" not in html


def test_end_before_start_and_negative_salary(client):
    response = client.post(url(), form_data(stoppage_end="2026-02-01", salary_1="-3"))
    html = response.content.decode()
    assert 'href="#id_stoppage_end"' in html
    assert "La date de fin est antérieure à la date de début." in html
    assert 'href="#id_salary_1"' in html
    assert "Ce nombre ne peut pas être négatif." in html


def test_start_before_2017_says_the_rules_are_not_held(client):
    response = client.post(url(), form_data(stoppage_start="2016-12-01", stoppage_end="2016-12-31"))
    html = response.content.decode()
    assert 'href="#id_stoppage_start"' in html
    assert "1er janvier 2017" in html


def test_missing_kind_and_dates(client):
    response = client.post(url(), {"salary_1": "2000"})
    html = response.content.decode()
    for field in ("kind", "stoppage_start", "stoppage_end"):
        assert f'href="#id_{field}"' in html


def test_english_page_writes_figures_the_english_way(client):
    client.cookies.load({"django_language": "en"})
    response = client.post(url(), form_data(), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "525.92" in html
