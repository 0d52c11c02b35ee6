"""Subscription: the mutuelle's half of the link, matched or not and why, nothing changed twice."""

import datetime

import pytest

from mutuelles.models import ClientAccessLog, MutuelleContract, Transmission
from tests.mutuelles.factories import member_of, mutuelle_client, paid_transmissions
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_members import day, subscribe, subscription_body
from tests.reimbursements.factories import dependant_of, insured, rules_from_files  # noqa: F401

pytestmark = pytest.mark.django_db
Status = MutuelleContract.Status


@pytest.fixture
def api():
    client, _secret = mutuelle_client()
    return client


def test_a_new_member_waits_for_the_insured_persons_agreement(client, api):
    person = insured()
    response = subscribe(client, api, subscription_body(person, valid_until="2026-01-01"))
    assert response.status_code == 201
    body = response.json()
    contract = MutuelleContract.objects.get()
    assert (body["matched"], body["outcome"], body["reason"]) == (True, "awaiting_insured", None)
    assert body["member"]["id"] == str(contract.public_id)
    assert body["member"]["status"] == "awaiting_insured"
    assert body["member"]["beneficiary"]["nir"] == person.nir
    assert body["member"]["valid_until"] == "2026-01-01"  # exclusive, as stored
    assert (contract.person, contract.mutuelle, contract.status) == (
        person,
        api.mutuelle,
        Status.SUBSCRIBED,
    )
    assert (contract.mutuelle_reference, contract.member_number) == ("CTR-2025-001", "ADH-0042")
    assert contract.valid_until == day("2026-01-01") and contract.subscribed_at is not None
    assert contract.confirmed_at is None
    log = ClientAccessLog.objects.get()
    assert (log.client, log.action, log.insured_person_id) == (api, "members.subscribe", person.pk)


def test_a_dependant_is_named_by_the_holders_nir_and_rank(client, api):
    holder = insured()
    child = dependant_of(holder)
    body = subscription_body(child)
    assert (body["nir"], body["rank"]) == (holder.nir, 2)
    response = subscribe(client, api, {**body, "nir": " ".join(holder.nir)})  # spaces allowed
    assert response.status_code == 201
    assert MutuelleContract.objects.get().person == child
    assert response.json()["member"]["beneficiary"]["rank"] == 2


@pytest.mark.usefixtures("rules_from_files")
def test_the_insured_persons_declaration_is_confirmed_and_its_transmissions_released(client, api):
    declared = member_of(api.mutuelle, status=Status.DECLARED, member_number="42")
    transmissions = paid_transmissions(declared, 2)
    assert [t.feed_position for t in transmissions] == [None, None]  # held
    body = subscription_body(declared.person, valid_from="2024-01-01")
    response = subscribe(client, api, body)
    assert response.status_code == 201
    assert response.json()["outcome"] == "confirmed"
    assert response.json()["member"]["status"] == "active"
    declared.refresh_from_db()
    assert MutuelleContract.objects.count() == 1
    assert declared.status == Status.CONFIRMED
    assert declared.confirmed_at is not None and declared.subscribed_at is not None
    assert (declared.mutuelle_reference, declared.member_number) == ("CTR-2025-001", "ADH-0042")
    assert declared.valid_from == day("2024-01-01")  # the mutuelle's dates are the contract's
    positions = Transmission.objects.filter(contract=declared).values_list(
        "feed_position", flat=True
    )
    assert None not in positions and len(set(positions)) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"birth_date": "1985-01-16"},
        {"rank": 2},
        {"nir": "2850175999999" + "00"},
    ],
    ids=["birth date", "rank", "nir"],
)
def test_an_unknown_person_and_a_wrong_birth_date_get_one_same_answer(client, api, change):
    person = insured()
    body = subscription_body(person, **change)
    if "nir" in change:  # a well-formed NIR (right key) that nobody has
        from affiliation.rules.nir import control_key

        body["nir"] = body["nir"][:13] + f"{control_key(body['nir'][:13]):02d}"
    response = subscribe(client, api, body)
    assert response.status_code == 200
    assert response.json() == {
        "matched": False,
        "outcome": "unknown_person",
        "reason": "unknown_person",
        "member": None,
    }
    assert not MutuelleContract.objects.exists()
    assert not ClientAccessLog.objects.exists()


def test_another_mutuelles_contract_on_the_period_is_a_conflict(client, api):
    other = member_of(MutuelleFactory(), valid_from=day("2024-01-01"))
    body = subscription_body(other.person, valid_from="2025-06-01")
    response = subscribe(client, api, body)
    assert response.status_code == 200
    assert response.json()["reason"] == "conflict"
    assert response.json()["matched"] is False and response.json()["member"] is None
    assert list(MutuelleContract.objects.all()) == [other]


def test_a_period_after_another_mutuelles_contract_ends_matches(client, api):
    other = member_of(
        MutuelleFactory(), valid_from=day("2024-01-01"), valid_until=day("2025-01-01")
    )
    response = subscribe(client, api, subscription_body(other.person, valid_from="2025-01-01"))
    assert response.status_code == 201
    # A withdrawn contract never conflicts either.
    withdrawn = member_of(MutuelleFactory(), status=Status.WITHDRAWN)
    response = subscribe(client, api, subscription_body(withdrawn.person))
    assert response.status_code == 201


def test_the_same_subscription_twice_changes_nothing(client, api):
    person = insured()
    first = subscribe(client, api, subscription_body(person))
    contract = MutuelleContract.objects.get()
    stamp = (contract.updated_at, contract.history.count())
    second = subscribe(client, api, subscription_body(person))
    assert second.status_code == 200
    assert second.json()["outcome"] == "already_subscribed"
    assert second.json()["member"]["id"] == first.json()["member"]["id"]
    contract.refresh_from_db()
    assert (contract.updated_at, contract.history.count()) == stamp


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"nir": "12345"}, "nir", "invalid_nir"),
        ({"nir": "285017510100199"}, "nir", "invalid_nir"),  # wrong key
        ({"rank": 0}, "rank", "min_value"),
        ({"rank": 20}, "rank", "max_value"),
        ({"birth_date": "15/01/1985"}, "birth_date", "invalid"),
        ({"valid_from": None}, "valid_from", "null"),
        ({"valid_until": "2024-12-31"}, "valid_until", "before_start"),
        ({"contract_reference": ""}, "contract_reference", "blank"),
        ({"member_number": "x" * 31}, "member_number", "max_length"),
    ],
)
def test_a_malformed_subscription_is_a_problem_naming_the_field(client, api, change, field, code):
    person = insured()
    response = subscribe(client, api, subscription_body(person, **change))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    params = response.json()["invalid_params"]
    assert {"name": field, "code": code} in [{"name": p["name"], "code": p["code"]} for p in params]
    assert not MutuelleContract.objects.exists()


def test_a_missing_field_and_a_body_that_is_not_an_object_are_refused(client, api):
    response = subscribe(client, api, {"nir": insured().nir})
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert {"rank", "birth_date", "contract_reference", "member_number", "valid_from"} <= names
    assert subscribe(client, api, [1, 2]).status_code == 400
    assert not MutuelleContract.objects.exists()


def test_a_subscription_of_another_mutuelles_declared_contract_is_a_conflict(client, api):
    # The person declared a contract with another mutuelle: this one cannot take the link.
    declared = member_of(MutuelleFactory(), status=Status.DECLARED)
    response = subscribe(client, api, subscription_body(declared.person))
    assert response.json()["reason"] == "conflict"
    declared.refresh_from_db()
    assert declared.status == Status.DECLARED and declared.mutuelle_reference == ""


def test_open_ended_and_dated_periods(client, api):
    person = insured()
    response = subscribe(client, api, subscription_body(person, valid_until=None))
    assert response.json()["member"]["valid_until"] is None
    assert MutuelleContract.objects.get().valid_until is None
    assert datetime.date(2025, 1, 1) == MutuelleContract.objects.get().valid_from
