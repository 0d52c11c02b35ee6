"""Daily reconciliation totals: per release day in Paris, equal to the sums of the feed's
documents of that day, never another mutuelle's, a closed day never changes."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutuelles.models import Transmission
from mutuelles.scopes import MEMBERS_WRITE, STATEMENTS_READ
from mutuelles.statement_format import ADJUSTMENT_CODES, FEED_TIMEZONE, LINE_AMOUNTS
from tests.mutuelles.factories import authorization, bearer_token, mutuelle_client
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_feed import (
    AT_THE_PHARMACY,
    TOTALS_URL,
    TWO_LINES,
    WITH_DEPASSEMENT,
    read_feed,
    released,
    released_for_a_child,
)
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

FIRST_DAY = datetime.date(2025, 3, 28)  # Paris goes from UTC+1 to UTC+2 on 30 March 2025
LAST_DAY = datetime.date(2025, 4, 1)
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def totals_from_documents(documents) -> dict[str, dict]:
    """What a mutuelle recomputes from the feed: per `released_on`, counts and sums."""
    days: dict[str, dict] = defaultdict(
        lambda: {
            "statements": 0,
            "lines": 0,
            "amounts": defaultdict(Decimal),
            "adjustments": defaultdict(Decimal),
        }
    )
    for document in documents:
        day = days[document["released_on"]]
        day["statements"] += 1
        for line in document["lines"]:
            day["lines"] += 1
            for field in LINE_AMOUNTS:
                day["amounts"][field] += Decimal(line[field])
            for adjustment in line["adjustments"]:
                day["adjustments"][adjustment["code"]] += Decimal(adjustment["amount"])
    return {
        date: {
            "statements": day["statements"],
            "lines": day["lines"],
            "amounts": {field: f"{day['amounts'][field]:.2f}" for field in LINE_AMOUNTS},
            "adjustments": {code: f"{day['adjustments'][code]:.2f}" for code in ADJUSTMENT_CODES},
        }
        for date, day in days.items()
    }


def totals_by_day(response) -> dict[str, dict]:
    """The days with statements; the others must be all zeros."""
    assert response.status_code == 200, response.content
    days = {}
    for day in response.json()["days"]:
        date, _complete = day.pop("date"), day.pop("complete")
        if day["statements"]:
            days[date] = day
        else:
            assert day["lines"] == 0
            assert set(day["amounts"].values()) == set(day["adjustments"].values()) == {"0.00"}
    return days


def a_mix_of_statements(mutuelle) -> list[Transmission]:
    return [
        *released(mutuelle, 2, lines=TWO_LINES),
        *released(mutuelle, 1, **WITH_DEPASSEMENT),
        *released(mutuelle, 2, **AT_THE_PHARMACY),
        released_for_a_child(mutuelle),
        *released(mutuelle, 1),
    ]


# Release instants around the days' edges in Paris: 22:59/23:00 UTC is before/at midnight
# in winter, 21:59/22:00 UTC in summer time.
release_instants = st.one_of(
    st.datetimes(
        min_value=datetime.datetime(2025, 3, 27, 20),  # noqa: DTZ001 (hypothesis: naive bounds)
        max_value=datetime.datetime(2025, 4, 2, 2),  # noqa: DTZ001
        timezones=st.just(datetime.UTC),
    ),
    st.sampled_from(
        [
            datetime.datetime(2025, 3, 28, 22, 59, 59, 999999, tzinfo=datetime.UTC),
            datetime.datetime(2025, 3, 28, 23, tzinfo=datetime.UTC),
            datetime.datetime(2025, 3, 30, 21, 59, 59, tzinfo=datetime.UTC),
            datetime.datetime(2025, 3, 30, 22, tzinfo=datetime.UTC),
            datetime.datetime(2025, 3, 31, 22, tzinfo=datetime.UTC),
        ]
    ),
)


def test_the_totals_equal_the_sums_of_the_feeds_documents_day_by_day(client, settings_fixture):
    mutuelle, other = MutuelleFactory(), MutuelleFactory()
    own = a_mix_of_statements(mutuelle)
    others = a_mix_of_statements(other)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client, [STATEMENTS_READ])
    window = {"from": FIRST_DAY.isoformat(), "to": LAST_DAY.isoformat()}

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        own_instants=st.lists(release_instants, min_size=len(own), max_size=len(own)),
        other_instants=st.lists(release_instants, min_size=len(others), max_size=len(others)),
    )
    def check(own_instants, other_instants):
        # The same rows, released at other instants (positions do not matter to totals).
        for transmission, at in zip(own + others, own_instants + other_instants, strict=True):
            Transmission.objects.filter(pk=transmission.pk).update(released_at=at)
        documents, _page = read_feed(client, headers, page_size=3)
        in_window = [
            document
            for document in documents
            if FIRST_DAY.isoformat() <= document["released_on"] <= LAST_DAY.isoformat()
        ]

        totals = totals_by_day(client.get(TOTALS_URL, window, **headers))

        assert totals == totals_from_documents(in_window)
        assert sum(day["statements"] for day in totals.values()) == len(in_window)

    check()


@pytest.fixture
def settings_fixture(settings):
    # The throttle counts in the cache; many requests here, none should be throttled.
    settings.CACHES = LOCAL_CACHE
    return settings


def test_every_day_of_the_range_is_there_and_a_closed_day_never_changes(client):
    mutuelle = MutuelleFactory()
    at = datetime.datetime(2025, 3, 29, 10, tzinfo=datetime.UTC)
    released(mutuelle, 2, lines=TWO_LINES, at=at)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client, [STATEMENTS_READ])
    window = {"from": "2025-03-28", "to": "2025-03-30"}
    before = client.get(TOTALS_URL, window, **headers).json()

    # The next day, more statements enter the feed (say the mutuelle confirmed a contract).
    released(mutuelle, 3, at=at + datetime.timedelta(days=1))
    after = client.get(TOTALS_URL, window, **headers).json()

    assert after["timezone"] == "Europe/Paris"
    assert [day["date"] for day in after["days"]] == ["2025-03-28", "2025-03-29", "2025-03-30"]
    assert after["days"][0]["statements"] == 0
    assert after["days"][0]["amounts"]["amo_paid"] == "0.00"
    assert after["days"][1] == before["days"][1]
    assert (after["days"][1]["statements"], after["days"][1]["lines"]) == (2, 4)
    assert after["days"][2]["statements"] == 3
    assert all(day["complete"] for day in after["days"])  # long over by now


def test_today_is_not_complete(client):
    api_client, _secret = mutuelle_client()
    today = datetime.datetime.now(tz=FEED_TIMEZONE).date()

    response = client.get(
        TOTALS_URL,
        {"from": today.isoformat(), "to": today.isoformat()},
        **authorization(api_client),
    )

    assert response.json()["days"][0]["complete"] is False


def test_the_totals_are_one_query_whatever_the_range(
    client, django_assert_num_queries, settings_fixture
):
    mutuelle = MutuelleFactory()
    released(mutuelle, 3, lines=TWO_LINES)
    api_client, _secret = mutuelle_client(mutuelle)
    headers = authorization(api_client, [STATEMENTS_READ])
    for window in (
        {"from": "2025-03-21", "to": "2025-03-21"},
        {"from": "2025-01-01", "to": "2025-04-01"},
    ):
        with django_assert_num_queries(4):  # token, client, mutuelle, totals
            response = client.get(TOTALS_URL, window, **headers)
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"from": "2025-01-01", "to": "2025-04-03"}, "to"),  # 93 days
        ({"from": "2025-03-02", "to": "2025-03-01"}, "to"),
        ({"to": "2025-03-01"}, "from"),
        ({"from": "2025-03-01"}, "to"),
        ({"from": "01/03/2025", "to": "2025-03-01"}, "from"),
    ],
)
def test_a_bad_range_is_a_problem_naming_the_field(client, params, name):
    api_client, _secret = mutuelle_client()

    response = client.get(TOTALS_URL, params, **authorization(api_client))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [param["name"] for param in response.json()["invalid_params"]] == [name]


def test_ninety_two_days_are_accepted(client):
    api_client, _secret = mutuelle_client()

    response = client.get(
        TOTALS_URL, {"from": "2025-01-01", "to": "2025-04-02"}, **authorization(api_client)
    )

    assert response.status_code == 200 and len(response.json()["days"]) == 92


def test_the_totals_need_the_read_scope_and_a_live_token(client):
    api_client, _secret = mutuelle_client()
    window = {"from": "2025-03-01", "to": "2025-03-02"}
    expired = {"HTTP_AUTHORIZATION": f"Bearer {bearer_token(api_client, expires_in=-1)}"}

    assert (
        client.get(TOTALS_URL, window, **authorization(api_client, [MEMBERS_WRITE])).status_code
        == 403
    )
    assert client.get(TOTALS_URL, window, **expired).status_code == 401
    assert client.get(TOTALS_URL, window).status_code == 401
