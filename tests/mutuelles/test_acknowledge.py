"""Acknowledge or reject a statement: final answers, harmless retries, coded reasons, scoping."""

import pytest

from mutuelles.api.idempotency import HEADER, REPLAY_HEADER
from mutuelles.models import IdempotencyRecord, MutuelleContract, Transmission
from mutuelles.scopes import STATEMENTS_ACK, STATEMENTS_READ
from mutuelles.services.acknowledgements import REJECTION_REASONS
from tests.mutuelles.factories import (
    authorization,
    bearer_token,
    member_of,
    mutuelle_client,
    paid_transmissions,
)
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_feed import acknowledge_url, reject_url, released
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]
Status = Transmission.Status
JSON = "application/json"


def unchanged(transmission) -> tuple:
    transmission.refresh_from_db()
    return (
        transmission.status,
        transmission.acknowledged_at,
        transmission.rejected_at,
        transmission.rejection_code,
        transmission.rejection_detail,
    )


@pytest.fixture
def setting():
    """(a released transmission, headers of its mutuelle's client with statements:ack)."""
    mutuelle = MutuelleFactory()
    [transmission] = released(mutuelle)
    api_client, _secret = mutuelle_client(mutuelle)
    return transmission, authorization(api_client, [STATEMENTS_ACK])


def test_acknowledging_marks_the_statement_and_twice_answers_the_same(client, setting):
    transmission, headers = setting

    first = client.post(acknowledge_url(transmission), content_type=JSON, **headers)
    again = client.generic("POST", acknowledge_url(transmission), "", **headers)  # no body

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    transmission.refresh_from_db()
    assert transmission.status == Status.ACKNOWLEDGED
    assert first.json() == {
        "id": str(transmission.public_id),
        "status": "acknowledged",
        "acknowledged_at": transmission.acknowledged_at.isoformat(),
        "rejected_at": None,
        "rejection": None,
    }


def test_rejecting_records_the_reason_code_and_detail(client, setting):
    transmission, headers = setting
    body = {"code": "contract_ended", "detail": "Résilié au 28/02"}

    response = client.post(reject_url(transmission), body, content_type=JSON, **headers)

    assert response.status_code == 200
    transmission.refresh_from_db()
    assert transmission.status == Status.REJECTED
    assert transmission.rejected_at is not None and transmission.acknowledged_at is None
    assert (transmission.rejection_code, transmission.rejection_detail) == (
        "contract_ended",
        "Résilié au 28/02",
    )
    assert response.json()["rejection"] == body
    # Rejecting again for the same reason is a retry: the same answer.
    again = client.post(reject_url(transmission), body, content_type=JSON, **headers)
    assert again.status_code == 200 and again.json() == response.json()


def test_the_other_answer_after_one_is_a_conflict_and_changes_nothing(client):
    mutuelle = MutuelleFactory()
    acknowledged, rejected = released(mutuelle, 2)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client, [STATEMENTS_ACK])
    client.post(acknowledge_url(acknowledged), content_type=JSON, **headers)
    client.post(reject_url(rejected), {"code": "duplicate"}, content_type=JSON, **headers)
    before = [unchanged(acknowledged), unchanged(rejected)]

    attempts = [
        client.post(reject_url(acknowledged), {"code": "duplicate"}, content_type=JSON, **headers),
        client.post(acknowledge_url(rejected), content_type=JSON, **headers),
        client.post(reject_url(rejected), {"code": "not_covered"}, content_type=JSON, **headers),
    ]

    for response in attempts:
        assert response.status_code == 409
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "urn:cpam-portal:problem:statement-already-answered"
    assert attempts[0].json()["current"]["status"] == "acknowledged"
    assert attempts[1].json()["current"]["rejection"] == {"code": "duplicate", "detail": ""}
    assert [unchanged(acknowledged), unchanged(rejected)] == before


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"code": "too_expensive"}, "code"),
        ({}, "code"),
        ({"code": "other"}, "detail"),
        ({"code": "other", "detail": "   "}, "detail"),
        ({"code": "duplicate", "detail": "x" * 201}, "detail"),
    ],
)
def test_an_unknown_reason_is_a_problem_naming_the_field_and_nothing_changes(
    client, setting, body, name
):
    transmission, headers = setting
    before = unchanged(transmission)

    response = client.post(
        reject_url(transmission), body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="k1", **headers
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [param["name"] for param in response.json()["invalid_params"]] == [name]
    assert unchanged(transmission) == before
    assert not IdempotencyRecord.objects.exists()  # a refusal is not stored: fix and retry


def test_other_is_accepted_with_a_detail(client, setting):
    transmission, headers = setting
    body = {"code": "other", "detail": "Adhérent décédé"}

    response = client.post(reject_url(transmission), body, content_type=JSON, **headers)

    assert response.status_code == 200
    assert set(REJECTION_REASONS) == {
        "unknown_member",
        "contract_ended",
        "not_covered",
        "duplicate",
        "invalid_amounts",
        "other",
    }


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(client, setting):
    transmission, headers = setting
    body = {"code": "not_covered", "detail": ""}
    url = reject_url(transmission)

    first = client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="r-1", **headers)
    replay = client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY="r-1", **headers)
    other_body = client.post(
        url, {"code": "duplicate"}, content_type=JSON, HTTP_IDEMPOTENCY_KEY="r-1", **headers
    )

    assert replay.status_code == 200 and replay.json() == first.json()
    assert replay[REPLAY_HEADER] == "true"
    assert other_body.status_code == 409
    assert unchanged(transmission)[3] == "not_covered"
    assert HEADER == "Idempotency-Key"


def test_another_mutuelles_or_an_unreleased_statement_is_not_found_and_unchanged(client):
    mutuelle, other = MutuelleFactory(), MutuelleFactory()
    [others] = released(other)
    awaiting = member_of(mutuelle, status=MutuelleContract.Status.DECLARED)
    [unreleased] = paid_transmissions(awaiting)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client, [STATEMENTS_ACK])
    before = [unchanged(others), unchanged(unreleased)]

    for transmission in (others, unreleased):
        assert (
            client.post(acknowledge_url(transmission), content_type=JSON, **headers).status_code
            == 404
        )
        response = client.post(
            reject_url(transmission), {"code": "duplicate"}, content_type=JSON, **headers
        )
        assert response.status_code == 404
    assert [unchanged(others), unchanged(unreleased)] == before
    malformed = client.post(
        acknowledge_url(others).replace(str(others.public_id), "x1"), content_type=JSON, **headers
    )
    assert malformed.status_code == 404
    assert malformed["Content-Type"] == "application/problem+json"


def test_answering_needs_the_ack_scope_and_a_live_token(client):
    mutuelle = MutuelleFactory()
    [transmission] = released(mutuelle)
    api_client, _secret = mutuelle_client(mutuelle)
    read_only = authorization(api_client, [STATEMENTS_READ])
    expired = {"HTTP_AUTHORIZATION": f"Bearer {bearer_token(api_client, expires_in=-1)}"}
    before = unchanged(transmission)

    for headers, status in ((read_only, 403), (expired, 401), ({}, 401)):
        assert (
            client.post(acknowledge_url(transmission), content_type=JSON, **headers).status_code
            == status
        )
        response = client.post(
            reject_url(transmission), {"code": "duplicate"}, content_type=JSON, **headers
        )
        assert response.status_code == status
    assert unchanged(transmission) == before
