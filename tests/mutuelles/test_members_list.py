"""The mutuelle's contracts: listed by status, one by id, ended; never another mutuelle's."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from mutuelles.models import ClientAccessLog, MutuelleContract, Transmission
from mutuelles.services.release import release_transmissions
from tests.mutuelles.factories import authorization, member_of, mutuelle_client, paid_transmissions
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_members import (
    MEMBERS_URL,
    day,
    end_url,
    member_url,
    post_json,
)
from tests.reimbursements.factories import CARE_DATE, dependant_of, insured, rules_from_files  # noqa: F401

pytestmark = pytest.mark.django_db
Status = MutuelleContract.Status
TODAY = timezone.localdate()


@pytest.fixture
def api():
    client, _secret = mutuelle_client()
    return client


@pytest.fixture
def contracts(api):
    """One contract of each kind for `api`'s mutuelle, and one of another mutuelle."""
    mutuelle = api.mutuelle
    yesterday = TODAY - datetime.timedelta(days=1)
    return {
        "awaiting_confirmation": member_of(mutuelle, status=Status.DECLARED),
        "awaiting_insured": member_of(mutuelle, status=Status.SUBSCRIBED),
        "active": member_of(mutuelle),
        "ended": member_of(
            mutuelle, valid_from=yesterday - datetime.timedelta(days=30), valid_until=TODAY
        ),
        "withdrawn": member_of(mutuelle, status=Status.WITHDRAWN),
        "other": member_of(MutuelleFactory()),
    }


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_the_list_shows_only_this_mutuelles_contracts_in_every_status(client, api, contracts):
    response = client.get(MEMBERS_URL, **authorization(api))
    assert response.status_code == 200
    own = {str(c.public_id) for name, c in contracts.items() if name != "other"}
    assert ids(response) == own
    by_id = {row["id"]: row["status"] for row in response.json()["results"]}
    for name, contract in contracts.items():
        if name != "other":
            assert by_id[str(contract.public_id)] == name
    log = ClientAccessLog.objects.get()
    assert (log.action, log.records) == ("members.list", 5)


@pytest.mark.parametrize(
    "status", ["awaiting_confirmation", "awaiting_insured", "active", "ended", "withdrawn"]
)
def test_the_status_filter(client, api, contracts, status):
    response = client.get(MEMBERS_URL, {"status": status}, **authorization(api))
    assert ids(response) == {str(contracts[status].public_id)}


def test_an_unknown_status_is_a_problem(client, api):
    response = client.get(MEMBERS_URL, {"status": "pending"}, **authorization(api))
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "status"


def test_a_declared_contract_shows_who_to_subscribe(client, api):
    holder = insured()
    child = dependant_of(holder)
    member_of(api.mutuelle, child, status=Status.DECLARED, member_number="ADH-7")
    [row] = client.get(MEMBERS_URL, **authorization(api)).json()["results"]
    assert row["beneficiary"] == {
        "nir": holder.nir,
        "rank": 2,
        "birth_date": child.birth_date.isoformat(),
        "last_name": child.last_name,
        "first_names": child.first_names,
    }
    assert (row["member_number"], row["contract_reference"]) == ("ADH-7", "")


@pytest.fixture
def memory_cache(settings):
    """The throttle's counters in memory: the database cache's queries vary with its culling."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "members-query-count",
        }
    }
    yield
    caches["default"].clear()


@pytest.mark.usefixtures("memory_cache")
def test_pages_follow_a_stable_cursor_with_a_flat_query_count(
    client, api, django_assert_num_queries
):
    for _ in range(5):
        member_of(api.mutuelle)
    member_of(MutuelleFactory())
    headers = authorization(api)
    seen = []
    url, params = MEMBERS_URL, {"page_size": 2}
    # token + client + mutuelle, contracts, entries of the persons, the access log row
    for _ in range(3):
        with django_assert_num_queries(6):
            response = client.get(url, params, **headers)
        seen += [row["id"] for row in response.json()["results"]]
        url, params = response.json()["next"], {}
        if url is None:
            break
    assert len(seen) == 5 == len(set(seen))
    with django_assert_num_queries(6):
        client.get(MEMBERS_URL, {"page_size": 50}, **headers)


def test_one_contract_by_its_id(client, api, contracts):
    contract = contracts["active"]
    response = client.get(member_url(contract), **authorization(api))
    assert response.status_code == 200
    assert response.json()["id"] == str(contract.public_id)
    assert response.json()["status"] == "active"
    log = ClientAccessLog.objects.get()
    assert (log.action, log.insured_person_id) == ("members.get", contract.person_id)


def test_another_mutuelles_contract_is_not_found(client, api, contracts):
    other = contracts["other"]
    response = client.get(member_url(other), **authorization(api))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    response = post_json(client, end_url(other), {"valid_until": "2026-01-01"}, authorization(api))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.valid_until is None


@pytest.mark.usefixtures("rules_from_files")
def test_ending_a_contract_stops_the_flow_from_its_end_date(client, api):
    contract = member_of(api.mutuelle, status=Status.SUBSCRIBED)
    [transmission] = paid_transmissions(contract)
    ended_on = CARE_DATE  # care on the end date: no longer covered (exclusive)
    response = post_json(
        client, end_url(contract), {"valid_until": ended_on.isoformat()}, authorization(api)
    )
    assert response.status_code == 200
    assert response.json()["valid_until"] == ended_on.isoformat()
    assert response.json()["status"] == "awaiting_insured"
    contract.refresh_from_db()
    assert contract.valid_until == ended_on
    contract.status = Status.CONFIRMED
    contract.save()
    assert release_transmissions() == 0
    transmission.refresh_from_db()
    assert transmission.feed_position is None
    assert transmission.status == Transmission.Status.PENDING


def test_ending_twice_with_the_same_date_changes_nothing(client, api):
    contract = member_of(api.mutuelle)
    headers = authorization(api)
    body = {"valid_until": "2026-01-01"}
    assert post_json(client, end_url(contract), body, headers).status_code == 200
    contract.refresh_from_db()
    stamp = (contract.updated_at, contract.history.count())
    assert post_json(client, end_url(contract), body, headers).status_code == 200
    contract.refresh_from_db()
    assert (contract.updated_at, contract.history.count()) == stamp


@pytest.mark.parametrize(
    ("valid_until", "code"),
    [("2000-01-01", "before_start"), ("2031-01-01", "after_end"), ("demain", "invalid")],
)
def test_an_end_before_the_start_or_after_the_known_end_is_refused(client, api, valid_until, code):
    contract = member_of(api.mutuelle, valid_until=day("2030-01-01"))
    response = post_json(
        client, end_url(contract), {"valid_until": valid_until}, authorization(api)
    )
    assert response.status_code == 400
    assert response.json()["invalid_params"][0] == {
        "name": "valid_until",
        "code": code,
        "reason": response.json()["invalid_params"][0]["reason"],
    }
    contract.refresh_from_db()
    assert contract.valid_until == day("2030-01-01")


def test_a_contract_the_mutuelle_did_not_subscribe_cannot_be_ended(client, api):
    contract = member_of(api.mutuelle, status=Status.DECLARED)
    response = post_json(
        client, end_url(contract), {"valid_until": "2026-01-01"}, authorization(api)
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("member-not-subscribed")
    contract.refresh_from_db()
    assert contract.valid_until is None


def test_an_id_that_is_not_a_uuid_is_the_same_404_problem(client, api):
    headers = authorization(api)
    for response in (
        client.get("/api/v1/mutuelle/members/42/", **headers),
        post_json(
            client, "/api/v1/mutuelle/members/42/end/", {"valid_until": "2030-01-01"}, headers
        ),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_an_empty_page_is_not_traced(client, api):
    member_of(MutuelleFactory())  # another mutuelle's member only
    response = client.get(MEMBERS_URL, **authorization(api))
    assert response.json()["results"] == []
    assert not ClientAccessLog.objects.exists()


def test_a_cursor_that_cannot_be_read_is_a_400_naming_it(client):
    api_client, _secret = mutuelle_client()
    response = client.get(
        reverse("api-v1:mutuelle-members"), {"cursor": "Non"}, **authorization(api_client)
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [param["name"] for param in response.json()["invalid_params"]] == ["cursor"]
