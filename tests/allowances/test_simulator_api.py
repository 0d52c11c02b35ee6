"""The simulator API contract: POST /api/v1/simulations/daily-allowance/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cpam_portal.models import RuleParameter

pytestmark = pytest.mark.django_db

# Anonymous throttling keeps its counter in the database cache (see tests/directory/test_api.py).
THROTTLE_QUERIES = 6
URL_NAME = "api-v1:allowances-daily-allowance-simulation"
FIELDS = {
    "kind",
    "stoppage_start",
    "stoppage_end",
    "eligibility",
    "waiting_days",
    "salary_cap_monthly",
    "daily_base_cap",
    "daily_base",
    "daily_amount",
    "daily_amount_from_day_29",
    "days_paid",
    "total",
    "last_payable_day",
    "segments",
    "explanation",
}


@pytest.fixture
def api_client():
    return APIClient()


def simulate(client, language="fr", **changes):
    body = {
        "kind": "sickness",
        "stoppage_start": "2026-02-10",
        "stoppage_end": "2026-02-28",
        "monthly_gross_salaries": [
            {"month": "2025-11", "amount": "2000.00"},
            {"month": "2025-12", "amount": "2000.00"},
            {"month": "2026-01", "amount": "2000.00"},
        ],
        "ald": False,
        "days_already_paid_3_years": 0,
        "previous_stoppage_end": None,
        **changes,
    }
    return client.post(reverse(URL_NAME), body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def invalid_names(response) -> set[str]:
    return {param["name"] for param in response.json()["invalid_params"]}


def test_sickness_simulation_answers_the_contract(api_client, django_assert_num_queries):
    with django_assert_num_queries(THROTTLE_QUERIES + 1):  # + the allowance parameters
        response = simulate(api_client)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert body["waiting_days"] == 3
    assert body["salary_cap_monthly"] == "2552.24"
    assert body["daily_base"] == "65.75"
    assert body["daily_amount"] == "32.87"  # 65.75 x 50 % = 32.875, truncated (SP's example)
    assert body["daily_amount_from_day_29"] is None
    assert body["days_paid"] == 16
    assert body["total"] == "525.92"
    eligibility = body["eligibility"]
    assert eligibility["hours_threshold"] == 150
    assert eligibility["hours_period"] == ["2025-11-01", "2026-01-31"]
    assert eligibility["contribution_threshold"] == "12200.30"  # 1 015 x 12.02 (2026-02-10)
    assert eligibility["contribution_period"] == ["2025-08-01", "2026-01-31"]
    assert eligibility["hours_threshold_over_6_months"] == 600
    assert eligibility["contribution_period_over_6_months"] == ["2025-02-01", "2026-01-31"]
    assert eligibility["is_met"] is None  # hours and 3 of the 6 months unknown


def test_explanation_steps_have_text_rule_value_date_and_source(api_client):
    steps = {step["rule"]: step for step in simulate(api_client).json()["explanation"]}
    cap = steps["cap.sickness"]
    assert cap["value"] == "2552.24"
    assert cap["effective_from"] == "2025-04-01"
    assert "2025-160" in cap["source"]
    assert "1,4 × Smic mensuel de 1\u00a0823,03 €" in cap["text"]
    assert steps["amount.rate"]["text"] == "Indemnité journalière : 50 % × 65,75 € = 32,87 €."
    assert "tronqué" in steps["rounding"]["text"]
    assert "au plus proche (0,5 vers le haut)" in steps["rounding"]["text"]
    assert "= 41,95 €" in steps["amount.maximum"]["text"]


@pytest.mark.parametrize(
    ("start", "threshold", "period"),
    [
        ("2017-01-01", "9815.05", ["2016-07-01", "2016-12-31"]),  # SP F3053: 1 015 x 9.67
        ("2024-01-01", "11824.75", ["2023-07-01", "2023-12-31"]),  # c-i-j.com: 1 015 x 11.65
    ],
)
def test_eligibility_contribution_thresholds_of_the_two_official_examples(
    api_client, start, threshold, period
):
    year, month = int(start[:4]), int(start[5:7])
    months = [f"{year - 1}-{m:02d}" for m in range(month + 9, 13)]
    response = simulate(
        api_client,
        stoppage_start=start,
        stoppage_end=start[:8] + "10",
        monthly_gross_salaries=[{"month": m, "amount": "2000.00"} for m in months],
    )
    assert response.status_code == 200, response.json()
    eligibility = response.json()["eligibility"]
    assert eligibility["contribution_threshold"] == threshold
    assert eligibility["contribution_period"] == period
    assert eligibility["hours_threshold"] == 150


def test_explanation_text_follows_the_request_language(api_client):
    steps = simulate(api_client, language="en").json()["explanation"]
    texts = {step["rule"]: step["text"] for step in steps}
    # The English catalogue (locale/en) holds the text; the figures are written the English way.
    assert "65.75" in texts["base.sickness"]


def test_work_accident_gives_the_day_29_amount(api_client):
    response = simulate(
        api_client,
        kind="work_accident",
        stoppage_start="2026-01-01",
        stoppage_end="2026-03-31",
        monthly_gross_salaries=[{"month": "2025-12", "amount": "50000.00"}],
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["daily_amount"], body["daily_amount_from_day_29"]) == ("240.49", "320.66")
    assert body["waiting_days"] == 0
    assert body["eligibility"]["is_required"] is False


def test_maternity_maximum(api_client):
    response = simulate(
        api_client,
        kind="maternity",
        stoppage_start="2025-05-01",
        stoppage_end="2025-08-20",
        monthly_gross_salaries=[
            {"month": month, "amount": "9000.00"} for month in ("2025-02", "2025-03", "2025-04")
        ],
    )
    assert response.json()["daily_amount"] == "101.94"


def test_salary_one_cent_above_the_cap_gets_the_published_maximum(api_client):
    response = simulate(
        api_client,
        monthly_gross_salaries=[
            {"month": month, "amount": "2552.25"} for month in ("2025-11", "2025-12", "2026-01")
        ],
    )
    body = response.json()
    assert (body["salary_cap_monthly"], body["daily_base"]) == ("2552.24", "83.90")
    assert body["daily_amount"] == "41.95"


def test_no_database_write_apart_from_the_throttle_counter(api_client):
    before = RuleParameter.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert simulate(api_client).status_code == 200
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_cache" not in query["sql"]
    ]
    assert writes == []
    assert RuleParameter.objects.count() == before


def test_end_before_start_is_a_problem_document(api_client):
    response = simulate(api_client, stoppage_end="2026-02-01")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert {"type", "title", "detail", "invalid_params"} <= set(body)
    assert invalid_names(response) == {"stoppage_end"}
    assert "antérieure" in body["invalid_params"][0]["reason"]


def test_start_before_2017_says_the_rules_are_not_held(api_client):
    response = simulate(
        api_client,
        stoppage_start="2016-12-20",
        stoppage_end="2016-12-31",
        monthly_gross_salaries=[{"month": "2016-11", "amount": "2000.00"}],
    )
    assert response.status_code == 400
    [param] = response.json()["invalid_params"]
    assert (param["name"], param["code"]) == ("stoppage_start", "rules_not_held")
    assert "2017" in param["reason"]


@pytest.mark.parametrize("month", ["0000-01", "2025-13", "25-01"])
def test_a_month_that_is_not_a_calendar_month_is_named(api_client, month):
    # "0000-01" matched the first pattern and reached date() with year 0: a 500 (schemathesis).
    response = simulate(api_client, monthly_gross_salaries=[{"month": month, "amount": "1.00"}])
    assert response.status_code == 400
    assert invalid_names(response) == {"monthly_gross_salaries[0].month"}


def test_unknown_kind_and_negative_salary_are_both_named(api_client):
    response = simulate(
        api_client,
        kind="holiday",
        monthly_gross_salaries=[{"month": "2025-11", "amount": "-5.00"}],
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert invalid_names(response) == {"kind", "monthly_gross_salaries[0].amount"}


def test_missing_months_and_a_month_not_needed(api_client):
    response = simulate(
        api_client,
        monthly_gross_salaries=[
            {"month": "2025-12", "amount": "2000.00"},
            {"month": "2024-01", "amount": "2000.00"},
        ],
    )
    assert response.status_code == 400
    codes = {param["code"] for param in response.json()["invalid_params"]}
    assert codes == {"missing", "month_not_needed"}
    reasons = " ".join(param["reason"] for param in response.json()["invalid_params"])
    assert "2025-11, 2026-01" in reasons


def test_missing_salaries_and_bad_month_format(api_client):
    empty = simulate(api_client, monthly_gross_salaries=[])
    assert invalid_names(empty) == {"monthly_gross_salaries"}
    bad_month = simulate(api_client, monthly_gross_salaries=[{"month": "2025-13", "amount": "1"}])
    assert invalid_names(bad_month) == {"monthly_gross_salaries[0].month"}


def test_missing_required_fields(api_client):
    response = api_client.post(reverse(URL_NAME), {}, format="json")
    assert response.status_code == 400
    assert invalid_names(response) >= {
        "kind",
        "stoppage_start",
        "stoppage_end",
        "monthly_gross_salaries",
    }


def test_malformed_json_is_a_problem_document(api_client):
    response = api_client.post(reverse(URL_NAME), "{", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert invalid_names(response) == {"request"}


def test_get_is_not_allowed(api_client):
    assert api_client.get(reverse(URL_NAME)).status_code == 405


def test_the_simulator_is_in_the_openapi_schema(api_client):
    schema = api_client.get(reverse("api-v1:schema"), HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/simulations/daily-allowance/"]["post"]
    assert operation["operationId"] == "simulate_daily_allowance"
    assert set(operation["responses"]) == {"200", "400"}
    assert "monthly_gross_salaries" in str(schema["components"]["schemas"])
