"""Eligibility: compulsory cover and exemption codes on a date, for the mutuelle's members only."""

import datetime

import pytest

from affiliation.models import CoveragePeriod, Exemption
from mutuelles.models import ClientAccessLog, MutuelleContract
from mutuelles.scopes import MEMBERS_WRITE
from tests.affiliation.factories import ExemptionFactory
from tests.mutuelles.factories import authorization, member_of, mutuelle_client
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_members import ELIGIBILITY_URL
from tests.reimbursements.factories import dependant_of, insured

pytestmark = pytest.mark.django_db
Status = MutuelleContract.Status


@pytest.fixture
def api():
    client, _secret = mutuelle_client()
    return client


def query(person, holder=None, rank=1, **fields):
    values = {
        "nir": (holder or person).nir,
        "rank": rank,
        "birth_date": person.birth_date.isoformat(),
        "on": "2025-06-01",
    }
    values.update(fields)
    return values


def test_a_member_covered_with_an_exemption(client, api):
    person = insured()  # covered since 2020 (employment)
    member_of(api.mutuelle, person)
    ExemptionFactory(
        person=person, ground=Exemption.Ground.ALD, valid_from=datetime.date(2025, 1, 1)
    )
    ExemptionFactory(  # ended before the date
        person=person,
        ground=Exemption.Ground.MATERNITY,
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2025, 1, 1),
    )
    response = client.get(ELIGIBILITY_URL, query(person), **authorization(api))
    assert response.status_code == 200
    # Nothing more than the cover and the codes: no name, no address, no care.
    assert response.json() == {"on": "2025-06-01", "covered": True, "exemptions": ["ald"]}
    log = ClientAccessLog.objects.get()
    assert (log.client, log.action, log.insured_person_id) == (api, "eligibility", person.pk)


def test_cover_on_a_date_before_the_rights_opened_or_after_they_closed(client, api):
    person = insured()
    member_of(api.mutuelle, person)
    CoveragePeriod.objects.filter(person=person).update(valid_until=datetime.date(2025, 1, 1))
    headers = authorization(api)
    assert (
        client.get(ELIGIBILITY_URL, query(person, on="2019-12-31"), **headers).json()["covered"]
        is False
    )
    assert (
        client.get(ELIGIBILITY_URL, query(person, on="2024-12-31"), **headers).json()["covered"]
        is True
    )
    # valid_until is excluded: the first day without rights.
    assert (
        client.get(ELIGIBILITY_URL, query(person, on="2025-01-01"), **headers).json()["covered"]
        is False
    )


def test_a_dependant_by_the_holders_nir_and_rank(client, api):
    holder = insured()
    child = dependant_of(holder)
    member_of(api.mutuelle, child, status=Status.DECLARED)
    response = client.get(ELIGIBILITY_URL, query(child, holder, rank=2), **authorization(api))
    assert response.status_code == 200 and response.json()["covered"] is True


@pytest.mark.parametrize(
    "who", ["another mutuelles member", "withdrawn", "wrong birth date", "wrong rank", "no one"]
)
def test_anyone_but_a_member_is_not_found(client, api, who):
    person = insured()
    if who == "another mutuelles member":
        member_of(MutuelleFactory(), person)
    else:
        member_of(
            api.mutuelle,
            person,
            status=Status.WITHDRAWN if who == "withdrawn" else Status.CONFIRMED,
        )
    params = query(person)
    if who == "wrong birth date":
        params["birth_date"] = "1985-01-16"
    elif who == "wrong rank":
        params["rank"] = 2
    elif who == "no one":
        params["nir"] = insured().nir  # a real person, with no contract at all
        params["birth_date"] = "1985-01-15"
    response = client.get(ELIGIBILITY_URL, params, **authorization(api))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not ClientAccessLog.objects.exists()


def test_a_malformed_query_names_the_fields(client, api):
    response = client.get(
        ELIGIBILITY_URL, {"nir": "123", "rank": "x", "on": "hier"}, **authorization(api)
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"nir", "rank", "birth_date", "on"}


def test_the_eligibility_scope_is_required(client):
    api, _secret = mutuelle_client(scopes=[MEMBERS_WRITE])
    person = insured()
    member_of(api.mutuelle, person)
    response = client.get(ELIGIBILITY_URL, query(person), **authorization(api))
    assert response.status_code == 403
    assert not ClientAccessLog.objects.exists()
