"""The statement feed: only this mutuelle's released statements, in position order, every row
once while new ones are released, `since` to catch up, flat query counts, one statement by id."""

import datetime
import uuid

import pytest

from mutuelles.api.pagination import MAX_PAGE_SIZE, encode_cursor
from mutuelles.models import ClientAccessLog, MutuelleContract
from mutuelles.scopes import MEMBERS_WRITE, STATEMENTS_ACK, STATEMENTS_READ
from tests.mutuelles.factories import (
    authorization,
    bearer_token,
    member_of,
    mutuelle_client,
    paid_transmissions,
)
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_feed import (
    FEED_URL,
    RELEASED_AT,
    TWO_LINES,
    read_feed,
    released,
    released_for_a_child,
    statement_url,
)
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]


def ids(documents) -> list[str]:
    return [document["id"] for document in documents]


def public_ids(transmissions) -> list[str]:
    return [str(transmission.public_id) for transmission in transmissions]


def test_the_feed_lists_this_mutuelles_released_statements_in_position_order(client):
    mutuelle, other = MutuelleFactory(), MutuelleFactory()
    own = released(mutuelle, 2, lines=TWO_LINES)
    others = released(other, 2)
    own += released(mutuelle, 1)
    awaiting = member_of(mutuelle, status=MutuelleContract.Status.DECLARED)
    paid_transmissions(awaiting)  # not released: the mutuelle has not confirmed yet
    api_client, _secret = mutuelle_client(mutuelle)

    response = client.get(FEED_URL, **authorization(api_client, [STATEMENTS_READ]))

    assert response.status_code == 200
    page = response.json()
    assert ids(page["results"]) == public_ids(own)
    assert not set(ids(page["results"])) & set(public_ids(others))
    positions = [document["position"] for document in page["results"]]
    assert positions == sorted(positions)
    assert page["next"] is None and page["last_position"] == positions[-1]
    assert [len(document["lines"]) for document in page["results"]] == [2, 2, 1]


def test_following_next_sees_every_row_once_while_new_rows_are_released(client):
    mutuelle, other = MutuelleFactory(), MutuelleFactory()
    first = released(mutuelle, 3)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client)

    page_1 = client.get(FEED_URL, {"page_size": 2}, **headers).json()
    assert ids(page_1["results"]) == public_ids(first[:2])
    assert page_1["next"]
    # Between two page reads: more statements of both mutuelles enter the feed.
    later_at = RELEASED_AT + datetime.timedelta(hours=1)
    released(other, 2, at=later_at)
    later = released(mutuelle, 3, at=later_at)
    seen = ids(page_1["results"])
    url, pages = page_1["next"], 1
    while url:
        page = client.get(url, **headers).json()
        seen += ids(page["results"])
        url, pages = page["next"], pages + 1

    assert seen == public_ids(first + later)  # each once, in order, none of the other's
    assert pages == 3


def test_since_catches_up_after_an_outage(client):
    mutuelle = MutuelleFactory()
    before = released(mutuelle, 2)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client)
    read, page = read_feed(client, headers)
    assert ids(read) == public_ids(before)
    resume_at = page["last_position"]

    after = released(mutuelle, 3, at=RELEASED_AT + datetime.timedelta(days=2))
    caught_up, page = read_feed(client, headers, since=resume_at, page_size=2)

    assert ids(caught_up) == public_ids(after)
    nothing_new = client.get(FEED_URL, {"since": page["last_position"]}, **headers).json()
    assert nothing_new == {
        "next": None,
        "last_position": page["last_position"],
        "results": [],
    }


def test_the_next_link_is_also_a_link_header(client):
    mutuelle = MutuelleFactory()
    released(mutuelle, 2)
    api_client, _secret = mutuelle_client(mutuelle)

    response = client.get(FEED_URL, {"page_size": 1}, **authorization(api_client))

    assert response.headers["Link"] == f'<{response.json()["next"]}>; rel="next"'


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_query_count_does_not_grow_with_the_page_size(
    client, django_assert_num_queries, settings
):
    # The throttle's counter lives in the cache, the database cache here, whose queries vary
    # from one request to the next (insert, update, cull): count the feed's own.
    settings.CACHES = LOCAL_CACHE
    mutuelle = MutuelleFactory()
    released(mutuelle, 100, lines=TWO_LINES)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client)
    # token, client, mutuelle, page, lines, ranks, access log
    for size in (10, 100):
        with django_assert_num_queries(7):
            response = client.get(FEED_URL, {"page_size": size}, **headers)
        assert len(response.json()["results"]) == size


def test_each_read_is_logged_with_the_number_of_statements(client):
    mutuelle = MutuelleFactory()
    [first, *_rest] = released(mutuelle, 3)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client)

    client.get(FEED_URL, {"page_size": 2}, **headers)
    client.get(statement_url(first), **headers)

    logs = ClientAccessLog.objects.filter(client=api_client).order_by("pk")
    assert [(log.action, log.records) for log in logs] == [
        ("statements.list", 2),
        ("statements.read", 1),
    ]
    assert logs[1].insured_person_id == first.statement.beneficiary_id


def test_one_statement_is_the_same_document_as_in_the_feed(client):
    mutuelle = MutuelleFactory()
    released(mutuelle, 1)
    child_transmission = released_for_a_child(mutuelle)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client)
    feed_documents, _page = read_feed(client, headers)

    response = client.get(statement_url(child_transmission), **headers)

    assert response.status_code == 200
    assert response.json() == feed_documents[-1]
    assert response.json()["beneficiary"]["rank"] == 2


def test_another_mutuelles_or_an_unreleased_statement_is_not_found(client):
    mutuelle, other = MutuelleFactory(), MutuelleFactory()
    [others] = released(other)
    awaiting = member_of(mutuelle, status=MutuelleContract.Status.DECLARED)
    [unreleased] = paid_transmissions(awaiting)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client)

    for transmission in (others, unreleased):
        response = client.get(statement_url(transmission), **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    for unknown in (uuid.uuid4(), "not-a-uuid"):
        response = client.get(f"{FEED_URL}{unknown}/", **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert not ClientAccessLog.objects.filter(client=api_client).exists()


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "cDE6LTE"}, "cursor"),  # "p1:-1"
        ({"page_size": 0}, "page_size"),
        ({"page_size": MAX_PAGE_SIZE + 1}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"since": -1}, "since"),
    ],
)
def test_bad_parameters_are_a_problem_naming_them(client, params, name):
    api_client, _secret = mutuelle_client()

    response = client.get(FEED_URL, params, **authorization(api_client))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [param["name"] for param in response.json()["invalid_params"]] == [name]


def test_a_cursor_is_opaque_but_stands_for_a_position(client):
    mutuelle = MutuelleFactory()
    transmissions = released(mutuelle, 3)
    api_client, _secret = mutuelle_client(mutuelle)

    response = client.get(
        FEED_URL,
        {"cursor": encode_cursor(transmissions[0].feed_position)},
        **authorization(api_client),
    )

    assert ids(response.json()["results"]) == public_ids(transmissions[1:])


def test_a_token_without_the_read_scope_is_refused(client):
    mutuelle = MutuelleFactory()
    [transmission] = released(mutuelle)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client, [MEMBERS_WRITE, STATEMENTS_ACK])

    for url in (FEED_URL, statement_url(transmission)):
        response = client.get(url, **headers)
        assert response.status_code == 403
        assert response.json()["type"] == "urn:cpam-portal:problem:forbidden"


def test_an_expired_or_missing_token_is_refused(client):
    mutuelle = MutuelleFactory()
    [transmission] = released(mutuelle)
    api_client, _secret = mutuelle_client(mutuelle)
    expired = {"HTTP_AUTHORIZATION": f"Bearer {bearer_token(api_client, expires_in=-1)}"}

    for url in (FEED_URL, statement_url(transmission)):
        assert client.get(url, **expired).status_code == 401
        assert client.get(url).status_code == 401
