"""The public simulator page: a form, a result table, "why this amount?", nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reimbursements.models import CareSheet
from reimbursements.nomenclature import clear_rule_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rules():
    clear_rule_snapshot()
    yield
    clear_rule_snapshot()


def url():
    return reverse("reimbursements:simulator")


def query(**changes):
    data = {
        "s-care_date": "2025-03-04",
        "s-birth_date": "1985-01-15",
        "s-scheme": "general",
        "s-has_declared_gp": "yes",
        "l0-act_code": "G",
        "l0-professional": "general_practitioner",
        "l0-quantity": "1",
        "l0-amount_charged": "30.00",
        "l0-sector": "1",
        "l0-pathway": "declared_gp",
    }
    data.update(changes)
    return data


def test_the_empty_form(client):
    response = client.get(url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Combien serez-vous remboursé ?" in text
    assert 'name="s-care_date"' in text
    assert 'name="l2-act_code"' in text
    assert "<table" not in text


def test_a_consultation_is_computed_and_explained(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the rules (tariffs, parameters), once per process
        response = client.get(url(), query())
    assert response.status_code == 200
    text = response.content.decode()
    assert "<table" in text
    assert "<strong>19,00</strong>" in text
    assert "Pourquoi ce montant ?" in text
    assert "Participation forfaitaire de 2,00 € retenue." in text
    assert "Consultations et actes des médecins : remboursés à 70 %." in text
    assert "Reste à votre charge avant votre complémentaire : 11,00 €" in text


def test_several_lines_and_an_empty_slot(client):
    response = client.get(
        url(),
        query(
            **{
                "l2-act_code": "PH7",
                "l2-professional": "pharmacy",
                "l2-quantity": "2",
                "l2-amount_charged": "20.00",
                "l2-base": "10.00",
            }
        ),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Acte 2 (PH7)" in text
    assert "Franchise médicale de 1,00 € par boîte retenue." in text


def test_errors_are_summarised_and_linked_to_their_fields(client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.get(url(), query(**{"s-care_date": tomorrow, "l0-amount_charged": "-3"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Erreur :" in text
    assert "Le formulaire contient 2 erreurs" in text
    assert 'href="#id_s-care_date"' in text
    assert 'href="#id_l0-amount_charged"' in text
    assert "<table" not in text


def test_an_unknown_code_is_put_back_on_its_field(client):
    response = client.get(url(), query(**{"l0-act_code": "ZZZ"}))
    text = response.content.decode()
    assert 'href="#id_l0-act_code"' in text
    assert "n&#x27;existe pas à la date des soins" in text


def test_no_line_at_all(client):
    response = client.get(url(), query(**{"l0-act_code": ""}))
    assert "Indiquez au moins un acte." in response.content.decode()


def test_the_page_in_english(client):
    client.get(reverse("switch_language", args=["en"]))
    response = client.get(url(), query())
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"


def test_simulating_saves_nothing(client):
    client.get(url(), query())
    assert CareSheet.objects.count() == 0
