"""Who may call the members and eligibility endpoints: token, scope, client, throttle."""

import base64
import json

import pytest
from django.urls import reverse

from mutuelles.api.base import MutuelleClientThrottle
from mutuelles.models import MutuelleContract
from mutuelles.scopes import ELIGIBILITY_READ, MEMBERS_WRITE, STATEMENTS_READ
from tests.mutuelles.factories import authorization, bearer_token, member_of, mutuelle_client
from tests.mutuelles.factories_members import (
    ELIGIBILITY_URL,
    MEMBERS_URL,
    end_url,
    member_url,
    subscription_body,
)
from tests.reimbursements.factories import insured

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    client, secret = mutuelle_client()
    client.secret = secret
    return client


def calls(api):
    """Every endpoint of this area once: (method, url, body) with a body that would succeed."""
    contract = member_of(api.mutuelle, status=MutuelleContract.Status.SUBSCRIBED)
    person = insured()
    return [
        ("post", MEMBERS_URL, subscription_body(person)),
        ("get", MEMBERS_URL, None),
        ("get", member_url(contract), None),
        ("post", end_url(contract), {"valid_until": "2030-01-01"}),
        (
            "get",
            ELIGIBILITY_URL
            + f"?nir={contract.person.nir}&rank=1&birth_date={contract.person.birth_date}",
            None,
        ),
    ]


def call(client, method, url, body, headers):
    if method == "post":
        return client.post(url, json.dumps(body), content_type="application/json", **headers)
    return client.get(url, **headers)


def nothing_changed():
    contracts = MutuelleContract.objects.all()
    return contracts.count() == 1 and contracts.get().valid_until is None


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status


def test_the_endpoints_answer_with_a_good_token(client, api):
    for method, url, body in calls(api):
        response = call(client, method, url, body, authorization(api))
        assert response.status_code in (200, 201), (url, response.content)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer not-a-token"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    ],
    ids=["none", "unknown", "basic"],
)
def test_no_valid_token_is_a_401_problem_and_changes_nothing(client, api, headers):
    for method, url, body in calls(api):
        response = call(client, method, url, body, headers)
        assert_problem(response, 401)
        assert response.json()["type"].endswith("not-authenticated")
    assert nothing_changed()


def test_an_expired_token_is_a_401(client, api):
    token = bearer_token(api, expires_in=-1)
    for method, url, body in calls(api):
        assert_problem(
            call(client, method, url, body, {"HTTP_AUTHORIZATION": f"Bearer {token}"}), 401
        )
    assert nothing_changed()


def test_a_revoked_token_is_a_401(client, api):
    token = bearer_token(api)
    basic = base64.b64encode(f"{api.application.client_id}:{api.secret}".encode()).decode()
    revoked = client.post(
        reverse("api-v1:oauth-revoke"), {"token": token}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert revoked.status_code == 200
    for method, url, body in calls(api):
        assert_problem(
            call(client, method, url, body, {"HTTP_AUTHORIZATION": f"Bearer {token}"}), 401
        )
    assert nothing_changed()


def test_a_token_without_the_scope_is_a_403(client, api):
    headers = authorization(api, [STATEMENTS_READ])
    for method, url, body in calls(api):
        response = call(client, method, url, body, headers)
        assert_problem(response, 403)
        assert response.json()["type"].endswith("forbidden")
    assert nothing_changed()
    # Each scope opens its own endpoints only.
    members_only = authorization(api, [MEMBERS_WRITE])
    eligibility_only = authorization(api, [ELIGIBILITY_READ])
    for method, url, body in calls(api):
        allowed = eligibility_only if url.startswith(ELIGIBILITY_URL) else members_only
        refused = members_only if url.startswith(ELIGIBILITY_URL) else eligibility_only
        assert call(client, method, url, body, refused).status_code == 403
        assert call(client, method, url, body, allowed).status_code in (200, 201)


@pytest.mark.parametrize("disabled", ["client", "mutuelle"])
def test_a_disabled_client_or_mutuelle_is_a_403(client, api, disabled):
    headers = authorization(api)
    target = api if disabled == "client" else api.mutuelle
    target.is_active = False
    target.save()
    for method, url, body in calls(api):
        assert_problem(call(client, method, url, body, headers), 403)
    assert nothing_changed()


def test_throttling_is_per_client_with_a_429_problem(client, api, monkeypatch):
    monkeypatch.setattr(
        MutuelleClientThrottle,
        "THROTTLE_RATES",
        {"mutuelle_read": "2/min", "mutuelle_write": "1/min"},
    )
    other, _secret = mutuelle_client()
    mine, theirs = authorization(api), authorization(other)
    assert client.get(MEMBERS_URL, **mine).status_code == 200
    assert client.get(MEMBERS_URL, **mine).status_code == 200
    response = client.get(MEMBERS_URL, **mine)
    assert_problem(response, 429)
    assert response.json()["type"].endswith("throttled")
    assert int(response["Retry-After"]) > 0
    # Another client has its own quota; writes have theirs.
    assert client.get(MEMBERS_URL, **theirs).status_code == 200
    body = subscription_body(insured())
    first = client.post(MEMBERS_URL, json.dumps(body), content_type="application/json", **mine)
    assert first.status_code == 201
    again = client.post(
        MEMBERS_URL,
        json.dumps(subscription_body(insured())),
        content_type="application/json",
        **mine,
    )
    assert_problem(again, 429)
    assert MutuelleContract.objects.count() == 1
