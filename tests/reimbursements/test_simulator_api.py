"""The public simulator contract (fields may be added, never removed or renamed): status codes,
fields, types, every error."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cpam_portal.models import RuleParameter
from reimbursements.models import ActTariff, CareSheet
from reimbursements.nomenclature import clear_rule_snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/simulations/care-sheet/"
LINE_FIELDS = {
    "act_code",
    "base",
    "rate",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "flat_fee",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "explanation",
}
TOTAL_FIELDS = {
    "base",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "flat_fee",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "hospital_daily_charge",
    "css_part",
    "local_scheme_part",
    "patient_remainder",
}
MONEY = re.compile(r"^-?\d+\.\d{2}$")


@pytest.fixture(autouse=True)
def _fresh_rules():
    clear_rule_snapshot()
    yield
    clear_rule_snapshot()


@pytest.fixture
def api_client():
    return APIClient()


def sheet(**changes):
    line = {
        "act_code": "G",
        "quantity": 1,
        "amount_charged": "30.00",
        "base": None,
        "professional": "general_practitioner",
        "sector": "1",
        "pathway": "declared_gp",
        "ald_related": False,
        "at_mp_related": False,
        "professional_id": None,
        "admission": None,
        "discharge": None,
    }
    line.update(changes.pop("line", {}))
    body = {
        "care_date": "2025-03-04",
        "beneficiary": {
            "birth_date": "1985-01-15",
            "scheme": "general",
            "has_declared_gp": True,
            "exemptions": [],
        },
        "lines": [line],
        "year_to_date": {"participation_forfaitaire": "0.00", "franchises": "0.00"},
    }
    body.update(changes)
    return body


def post(client, body, **headers):
    return client.post(URL, body, format="json", **headers)


def errors_of(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert {"type", "title", "detail", "invalid_params"} <= set(body)
    assert all(param["reason"] for param in body["invalid_params"])
    return {(param["name"], param["code"]) for param in body["invalid_params"]}


def test_the_route_is_the_contracts():
    assert reverse("api-v1:reimbursements-simulate-care-sheet") == URL


def test_the_contract_example_answers_every_field_as_strings(api_client):
    response = post(api_client, sheet())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    [line] = body["lines"]
    assert LINE_FIELDS <= set(line)
    assert TOTAL_FIELDS <= set(body["totals"])
    for name in LINE_FIELDS - {"act_code", "rate", "explanation"}:
        assert MONEY.match(line[name]), name
    for name in TOTAL_FIELDS:
        assert MONEY.match(body["totals"][name]), name
    assert line["rate"] == "0.70"
    assert line["base"] == "30.00"
    assert line["amo_paid"] == "19.00"
    assert body["totals"]["patient_remainder"] == "11.00"


def test_explanation_is_a_list_of_rules_with_their_dates_and_sources(api_client):
    [line] = post(api_client, sheet()).json()["lines"]

    steps = {step["rule"]: step for step in line["explanation"]}
    assert {"tariff", "rate.doctor", "pf.amount"} <= set(steps)
    for step in line["explanation"]:
        assert set(step) == {"rule", "value", "effective_from", "source", "text"}
    assert steps["tariff"]["value"] == "30.00"
    assert steps["tariff"]["effective_from"] == "2024-12-22"
    assert "ameli" in steps["tariff"]["source"]
    assert steps["pf.amount"]["effective_from"] == "2024-05-15"
    assert steps["pf.amount"]["text"].startswith("Participation forfaitaire de 2,00 €")


def test_explanation_text_follows_the_request_language(api_client):
    response = post(api_client, sheet(), HTTP_ACCEPT_LANGUAGE="en")
    [line] = response.json()["lines"]
    texts = {step["rule"]: step["text"] for step in line["explanation"]}
    # English texts come from the catalogue (locale/en); gettext falls back to the French source
    # for any text it lacks.
    assert texts["rate.doctor"]
    assert response.headers["Content-Language"] == "en"


def test_simulating_writes_nothing(api_client):
    before = (CareSheet.objects.count(), ActTariff.objects.count(), RuleParameter.objects.count())
    post(api_client, sheet())
    after = (CareSheet.objects.count(), ActTariff.objects.count(), RuleParameter.objects.count())
    assert before == after


def test_a_line_base_wins_and_the_explanation_notes_the_difference(api_client):
    body = post(api_client, sheet(line={"base": "25.00", "amount_charged": "25.00"})).json()
    [line] = body["lines"]
    assert line["base"] == "25.00"
    differs = [step for step in line["explanation"] if step["rule"] == "base.differs"]
    assert differs and "30,00" in differs[0]["text"]


def test_year_to_date_caps_the_participation(api_client):
    body = sheet(year_to_date={"participation_forfaitaire": "49.00", "franchises": "0.00"})
    [line] = post(api_client, body).json()["lines"]
    assert line["participation_forfaitaire"] == "1.00"
    assert line["amo_paid"] == "20.00"


def test_a_hospital_stay_counts_its_daily_charges(api_client):
    body = sheet(
        line={
            "act_code": "GHS",
            "professional": "hospital",
            "amount_charged": "3000.00",
            "base": "3000.00",
            "admission": "2025-03-03T08:00:00+01:00",
            "discharge": "2025-03-05T18:00:00+01:00",
        },
        care_date="2025-03-03",
    )
    response = post(api_client, body)
    assert response.status_code == 200
    assert response.json()["totals"]["hospital_daily_charge"] == "60.00"


def test_the_anonymous_endpoint_is_throttled(api_client, settings):
    from rest_framework.throttling import AnonRateThrottle

    assert AnonRateThrottle in [type(throttle) for throttle in api_view_throttles()], (
        "the simulator must keep the default anonymous throttle"
    )


def api_view_throttles():
    from reimbursements.api.views import CareSheetSimulationView

    return CareSheetSimulationView().get_throttles()


def test_the_schema_documents_the_simulator(api_client):
    response = api_client.get(reverse("api-v1:schema"), {"format": "json"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/simulations/care-sheet/" in text
    assert "simulate_care_sheet" in text


# --- Errors ------------------------------------------------------------------------------------


def test_unknown_act_code_on_that_date_without_base(api_client):
    response = post(api_client, sheet(line={"act_code": "ZZZ"}))
    assert errors_of(response) == {("lines[0].act_code", "unknown_act_code")}


def test_the_problem_document_keeps_the_title_detail_and_translated_message(api_client):
    response = post(api_client, sheet(line={"act_code": "ZZZ"}), HTTP_ACCEPT_LANGUAGE="fr")

    body = response.json()
    assert body["title"] == "Feuille de soins invalide"
    assert body["detail"] == "Corrigez les champs indiqués."
    assert body["invalid_params"] == [
        {
            "name": "lines[0].act_code",
            "code": "unknown_act_code",
            "reason": "Ce code d'acte n'existe pas à la date des soins : indiquez la base de "
            "remboursement imprimée sur la feuille.",
        }
    ]
    english = post(api_client, sheet(line={"act_code": "ZZZ"}), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["title"] == "Invalid care sheet"


def test_a_code_unknown_on_that_date_but_known_later(api_client):
    # CNPSY's first shipped tariff is of 2024-12-22.
    response = post(
        api_client,
        sheet(care_date="2024-12-21", line={"act_code": "CNPSY", "professional": "specialist"}),
    )
    assert errors_of(response) == {("lines[0].act_code", "unknown_act_code")}


def test_a_code_outside_the_nomenclature_is_accepted_with_a_base(api_client):
    body = sheet(line={"act_code": "ZZZ", "base": "40.00", "professional": "specialist"})
    response = post(api_client, body)
    assert response.status_code == 200
    assert response.json()["lines"][0]["rate"] == "0.70"


def test_a_code_without_tariff_needs_a_base(api_client):
    response = post(api_client, sheet(line={"act_code": "PH7", "professional": "pharmacy"}))
    assert errors_of(response) == {("lines[0].base", "base_required")}


def test_future_care_date(api_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(api_client, sheet(care_date=tomorrow))
    assert errors_of(response) == {("care_date", "future_date")}


def test_bad_dates(api_client):
    body = sheet(care_date="2025-02-30")
    body["beneficiary"]["birth_date"] = "yesterday"
    assert errors_of(post(api_client, body)) == {
        ("care_date", "invalid"),
        ("beneficiary.birth_date", "invalid"),
    }


def test_a_date_before_the_rules_held(api_client):
    assert errors_of(post(api_client, sheet(care_date="2016-12-31"))) == {
        ("care_date", "parameters_missing")
    }


def test_negative_and_absurd_amounts(api_client):
    body = sheet(line={"amount_charged": "-1.00", "base": "1000000.00"})
    assert errors_of(post(api_client, body)) == {
        ("lines[0].amount_charged", "min_value"),
        ("lines[0].base", "max_value"),
    }


def test_quantity_must_be_positive_and_whole_for_acts(api_client):
    assert errors_of(post(api_client, sheet(line={"quantity": 0}))) == {
        ("lines[0].quantity", "min_value")
    }
    assert errors_of(post(api_client, sheet(line={"quantity": "1.5"}))) == {
        ("lines[0].quantity", "quantity_invalid")
    }


def test_unknown_choices_and_missing_fields(api_client):
    body = sheet(line={"professional": "plumber", "sector": "4", "pathway": "anywhere"})
    body["beneficiary"]["exemptions"] = ["lottery"]
    del body["beneficiary"]["birth_date"]
    assert errors_of(post(api_client, body)) == {
        ("lines[0].professional", "invalid_choice"),
        ("lines[0].sector", "invalid_choice"),
        ("lines[0].pathway", "invalid_choice"),
        ("beneficiary.exemptions[0]", "invalid_choice"),
        ("beneficiary.birth_date", "required"),
    }


def test_no_lines(api_client):
    assert errors_of(post(api_client, sheet(lines=[]))) == {("lines", "min_length")}


def test_a_stay_without_its_dates(api_client):
    body = sheet(line={"act_code": "GHS", "professional": "hospital", "base": "500.00"})
    assert errors_of(post(api_client, body)) == {("lines[0].admission", "stay_dates_required")}


def test_a_stay_ending_before_it_starts(api_client):
    body = sheet(
        line={
            "act_code": "GHS",
            "professional": "hospital",
            "base": "500.00",
            "admission": "2025-03-04T08:00:00+01:00",
            "discharge": "2025-03-03T08:00:00+01:00",
        }
    )
    assert errors_of(post(api_client, body)) == {("lines[0].discharge", "stay_dates_invalid")}


def test_every_bad_line_is_named(api_client):
    body = sheet()
    body["lines"] = [
        body["lines"][0],
        {**body["lines"][0], "act_code": "ZZZ"},
        {**body["lines"][0], "act_code": "PH4", "professional": "pharmacy"},
    ]
    assert errors_of(post(api_client, body)) == {
        ("lines[1].act_code", "unknown_act_code"),
        ("lines[2].base", "base_required"),
    }


def test_not_json_is_refused(api_client):
    response = api_client.post(URL, "care_date=2025-03-04", content_type="text/plain")
    assert response.status_code == 415


def test_malformed_json_is_a_problem_document_naming_the_request(api_client):
    response = api_client.post(URL, '{"care_date": "2025-03-04",', content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:cpam-portal:problem:invalid-data"
    assert body["detail"] == "Le corps de la requête n'est pas un JSON valide."
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [("request", "parse_error")]
