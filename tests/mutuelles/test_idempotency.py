"""Idempotency-Key on the members POSTs: one piece of work, the first answer replayed."""

import datetime
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from mutuelles.models import IdempotencyRecord, MutuelleContract
from mutuelles.services.maintenance import purge_idempotency_records
from tests.mutuelles.factories import authorization, member_of, mutuelle_client
from tests.mutuelles.factories_members import MEMBERS_URL, end_url, subscription_body
from tests.reimbursements.factories import insured

CONCURRENT_REQUESTS = 20


def post(client, url, body, headers, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, json.dumps(body), content_type="application/json", **headers, **extra)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_with_one_key_do_the_work_once():
    api, _secret = mutuelle_client()
    headers = authorization(api)
    body = subscription_body(insured())
    barrier = threading.Barrier(CONCURRENT_REQUESTS)
    responses = []
    lock = threading.Lock()

    def one_request():
        try:
            barrier.wait()
            response = post(Client(), MEMBERS_URL, body, headers, key="subscribe-42")
            with lock:
                responses.append(response)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=one_request) for _ in range(CONCURRENT_REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(responses) == CONCURRENT_REQUESTS
    assert MutuelleContract.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert {r.status_code for r in responses} == {201}
    replayed = [r for r in responses if r.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == CONCURRENT_REQUESTS - 1
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1


@pytest.mark.django_db
def test_a_replay_gives_the_first_answer_even_after_the_world_changed(client):
    api, _secret = mutuelle_client()
    headers = authorization(api)
    body = subscription_body(insured())
    first = post(client, MEMBERS_URL, body, headers, key="k1")
    assert first.status_code == 201 and first.get("Idempotent-Replayed") is None
    MutuelleContract.objects.update(valid_until=datetime.date(2026, 1, 1))
    again = post(client, MEMBERS_URL, body, headers, key="k1")
    assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == first.json()
    # Without the key, the same subscription is recognised for what it is: nothing changes.
    plain = post(client, MEMBERS_URL, body, headers)
    assert plain.status_code == 200 and plain.json()["outcome"] == "already_subscribed"
    assert MutuelleContract.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_409_and_changes_nothing(client):
    api, _secret = mutuelle_client()
    headers = authorization(api)
    post(client, MEMBERS_URL, subscription_body(insured()), headers, key="k1")
    other = post(client, MEMBERS_URL, subscription_body(insured()), headers, key="k1")
    assert other.status_code == 409
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["type"].endswith("idempotency-key-reused")
    assert MutuelleContract.objects.count() == 1
    # Nor may the key serve on another endpoint.
    contract = MutuelleContract.objects.get()
    ended = post(client, end_url(contract), {"valid_until": "2030-01-01"}, headers, key="k1")
    assert ended.status_code == 409
    contract.refresh_from_db()
    assert contract.valid_until is None


@pytest.mark.django_db
def test_keys_belong_to_one_client(client):
    first_api, _ = mutuelle_client()
    second_api, _ = mutuelle_client()
    one, two = insured(), insured()
    a = post(client, MEMBERS_URL, subscription_body(one), authorization(first_api), key="k")
    b = post(client, MEMBERS_URL, subscription_body(two), authorization(second_api), key="k")
    assert (a.status_code, b.status_code) == (201, 201)
    assert b.get("Idempotent-Replayed") is None
    assert MutuelleContract.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_is_not_stored_and_a_corrected_retry_works(client):
    api, _secret = mutuelle_client()
    headers = authorization(api)
    body = subscription_body(insured())
    bad = post(client, MEMBERS_URL, {**body, "rank": 0}, headers, key="k2")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert post(client, MEMBERS_URL, {**body, "rank": 0}, headers, key="k2").status_code == 400
    assert post(client, MEMBERS_URL, body, headers, key="k3").status_code == 201


@pytest.mark.django_db
def test_ending_with_a_key_replays(client):
    api, _secret = mutuelle_client()
    contract = member_of(api.mutuelle)
    headers = authorization(api)
    body = {"valid_until": "2030-01-01"}
    first = post(client, end_url(contract), body, headers, key="end-1")
    second = post(client, end_url(contract), body, headers, key="end-1")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert contract.history.count() == 2  # created, ended once


@pytest.mark.parametrize("key", ["", "x" * 256])
@pytest.mark.django_db
def test_an_empty_or_too_long_key_is_refused(client, key):
    api, _secret = mutuelle_client()
    response = post(client, MEMBERS_URL, subscription_body(insured()), authorization(api), key=key)
    assert response.status_code == 400
    assert not MutuelleContract.objects.exists()


@pytest.mark.django_db
def test_answers_older_than_a_day_are_purged(client):
    api, _secret = mutuelle_client()
    headers = authorization(api)
    post(client, MEMBERS_URL, subscription_body(insured()), headers, key="old")
    post(client, MEMBERS_URL, subscription_body(insured()), headers, key="new")
    now = timezone.now()
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=now - datetime.timedelta(hours=25)
    )
    IdempotencyRecord.objects.filter(key="new").update(
        created_at=now - datetime.timedelta(hours=23)
    )
    assert purge_idempotency_records(now=now) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert purge_idempotency_records(now=now) == 0
