import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from directory.loading import load_directory
from tests.directory.factories import FundFactory, OfficeFactory

pytestmark = pytest.mark.django_db

FUND_FIELDS = {"url", "department_code", "department_name", "name", "kind", "time_zone", "offices"}
FUND_OFFICE_FIELDS = {"id", "address_lines", "postcode", "city", "phone", "phone_note"}
OFFICE_FIELDS = FUND_OFFICE_FIELDS | {"department_code", "fund"}
# The anonymous rate limit keeps its counter in the database cache: read it, count the cache
# rows (for culling), then in a savepoint read the key and write it. Fixed, whatever the rows.
THROTTLE_QUERIES = 6


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def directory():
    load_directory()


def funds_url(code=None):
    if code is None:
        return reverse("api-v1:directory-fund-list")
    return reverse("api-v1:directory-fund-detail", args=[code])


def offices_url():
    return reverse("api-v1:directory-office-list")


# --- Funds --------------------------------------------------------------------------------------


def test_funds_list_is_paginated_in_department_order(
    api_client, directory, django_assert_num_queries
):
    with django_assert_num_queries(THROTTLE_QUERIES + 3):  # count, page of funds, their offices
        response = api_client.get(funds_url())

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 100
    assert len(body["results"]) == 50
    assert body["next"].endswith(f"{funds_url()}?page=2")
    assert body["previous"] is None
    codes = [fund["department_code"] for fund in body["results"]]
    assert codes[:3] == ["01", "02", "03"]
    assert codes[18:21] == ["19", "2A", "2B"]
    last_page = api_client.get(funds_url(), {"page": 2}).json()["results"]
    assert [fund["department_code"] for fund in last_page][-4:] == ["971", "972", "973", "974"]


def test_fund_fields_are_the_documented_ones(api_client, directory):
    ain = api_client.get(funds_url()).json()["results"][0]

    assert set(ain) == FUND_FIELDS
    assert ain["url"] == f"http://testserver{funds_url('01')}"
    assert ain["name"] == "CPAM de l'Ain"
    assert ain["kind"] == "CPAM"
    assert ain["time_zone"] == "Europe/Paris"
    (office,) = ain["offices"]
    assert set(office) == FUND_OFFICE_FIELDS
    assert office["address_lines"] == ["place de la Grenouillère"]
    assert (office["postcode"], office["city"]) == ("01015", "BOURG EN BRESSE CEDEX")
    assert (office["phone"], office["phone_note"]) == ("04 74 45 84 84", "")


def test_funds_list_query_count_does_not_grow_with_rows(api_client, django_assert_num_queries):
    for fund in FundFactory.create_batch(3):
        OfficeFactory.create_batch(2, fund=fund)

    with django_assert_num_queries(THROTTLE_QUERIES + 3):
        response = api_client.get(funds_url())

    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("code", "expected"), [("01", "01"), ("1", "01"), ("2a", "2A"), ("974", "974")]
)
def test_fund_detail_by_department_code(
    api_client, directory, django_assert_num_queries, code, expected
):
    with django_assert_num_queries(THROTTLE_QUERIES + 2):  # the fund, its offices
        response = api_client.get(funds_url(code))

    assert response.status_code == 200
    assert response.json()["department_code"] == expected


def test_fund_detail_of_a_fund_without_office(api_client, directory):
    body = api_client.get(funds_url("43")).json()

    assert body["name"] == "CPAM de la Haute-Loire"
    assert body["offices"] == []


def test_guyane_is_a_cgss_with_three_address_lines(api_client, directory):
    body = api_client.get(funds_url("973")).json()

    assert body["kind"] == "CGSS"
    assert body["offices"][0]["address_lines"] == [
        "route de Raban",
        "Espace Turenne Radamonthe",
        "BP 7015",
    ]


@pytest.mark.parametrize("code", ["99", "20", "2C", "976", "abc"])
def test_unknown_fund_is_a_404(api_client, directory, code):
    assert api_client.get(funds_url(code)).status_code == 404


# --- Offices ------------------------------------------------------------------------------------


def test_offices_list_is_paginated_in_a_stable_order(
    api_client, directory, django_assert_num_queries
):
    with django_assert_num_queries(THROTTLE_QUERIES + 2):  # count, page of offices with funds
        response = api_client.get(offices_url())

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 129
    assert len(body["results"]) == 50
    first = body["results"][0]
    assert set(first) == OFFICE_FIELDS
    assert first["department_code"] == "01"
    assert first["fund"] == f"http://testserver{funds_url('01')}"
    pages = [body["results"]]
    pages += [api_client.get(offices_url(), {"page": n}).json()["results"] for n in (2, 3)]
    ids = [office["id"] for page in pages for office in page]
    assert len(ids) == len(set(ids)) == 129


def test_offices_list_query_count_does_not_grow_with_rows(api_client, django_assert_num_queries):
    OfficeFactory.create_batch(7)

    with django_assert_num_queries(THROTTLE_QUERIES + 2):
        response = api_client.get(offices_url())

    assert response.json()["count"] == 7


def test_offices_filtered_by_department(api_client, directory):
    body = api_client.get(offices_url(), {"department": "59"}).json()

    assert body["count"] == 9
    assert {office["department_code"] for office in body["results"]} == {"59"}


@pytest.mark.parametrize(("department", "expected"), [("1", "01"), ("01", "01"), ("2a", "2A")])
def test_department_filter_accepts_loose_codes(api_client, directory, department, expected):
    body = api_client.get(offices_url(), {"department": department}).json()

    assert body["count"] == 1
    assert body["results"][0]["department_code"] == expected


@pytest.mark.parametrize("department", ["99", "2C", "Ain"])
def test_unknown_department_filter_is_a_400(api_client, directory, department):
    response = api_client.get(offices_url(), {"department": department})

    assert response.status_code == 400
    assert "department" in response.json()


def test_offices_filtered_by_postcode(api_client, directory):
    body = api_client.get(offices_url(), {"postcode": "97307"}).json()

    assert body["count"] == 1
    assert body["results"][0]["city"] == "CAYENNE CEDEX"
    assert api_client.get(offices_url(), {"postcode": "69003"}).json()["count"] == 0


def test_office_detail(api_client, directory):
    office_id = api_client.get(offices_url(), {"postcode": "03010"}).json()["results"][0]["id"]

    body = api_client.get(reverse("api-v1:directory-office-detail", args=[office_id])).json()

    assert body["phone"] == "36 46"
    assert body["phone_note"] == "prix d'un appel local depuis un poste fixe"


# --- Read only, documented ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("api-v1:directory-fund-list", []),
        ("api-v1:directory-fund-detail", ["01"]),
        ("api-v1:directory-office-list", []),
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only(api_client, directory, url_name, args, method):
    response = getattr(api_client, method)(reverse(url_name, args=args), {}, format="json")

    assert response.status_code == 405


def test_schema_documents_the_directory_paths_and_filters(api_client):
    response = api_client.get(reverse("api-v1:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/v1/directory/funds/",
        "/api/v1/directory/funds/{department_code}/",
        "/api/v1/directory/offices/",
        "/api/v1/directory/offices/{id}/",
    } <= set(schema["paths"])
    offices = schema["paths"]["/api/v1/directory/offices/"]
    assert set(offices) == {"get"}
    parameters = {parameter["name"] for parameter in offices["get"]["parameters"]}
    assert {"department", "postcode", "page"} <= parameters


def test_docs_page_uses_only_local_assets(client):
    response = client.get(reverse("api-v1:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), url
