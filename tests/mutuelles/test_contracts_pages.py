"""Complementary cover: contracts per beneficiary, overlaps shown as conflicts, resolved by
the insured person."""

import datetime

import pytest
from django.urls import reverse

from mutuelles.models import MutuelleContract
from tests.affiliation.factories_account import LinkedPersonFactory, add_family
from tests.mutuelles.factories_contracts import MutuelleContractFactory, MutuelleFactory

pytestmark = pytest.mark.django_db

CONTRACTS_URL = reverse("mutuelles:contracts")
DECLARE_URL = reverse("mutuelles:declare_contract")
RESOLVE_URL = reverse("mutuelles:resolve_conflict")
MIDDLEWARE_QUERIES = 10  # see test_account_space.py


@pytest.fixture
def me(client):
    person = LinkedPersonFactory()
    client.force_login(person.user)
    return person


@pytest.fixture
def family(me):
    return add_family(me)


def test_i_declare_a_contract_for_my_child(client, me, family):
    _spouse, child = family
    mutuelle = MutuelleFactory(name="Mutuelle des Lilas")
    response = client.post(
        DECLARE_URL,
        {
            "entry": child.pk,
            "mutuelle": mutuelle.pk,
            "member_number": "ADH-42",
            "valid_from": "2026-01-01",
            "last_day": "2026-12-31",
        },
    )
    assert response["Location"] == CONTRACTS_URL
    contract = MutuelleContract.objects.get()
    assert (contract.person, contract.mutuelle, contract.member_number) == (
        child.person,
        mutuelle,
        "ADH-42",
    )
    assert contract.valid_until == datetime.date(2027, 1, 1)  # stored half-open
    assert contract.last_day == datetime.date(2026, 12, 31)
    assert contract.status == MutuelleContract.Status.DECLARED
    assert contract.declared_by == me.user


def test_only_active_mutuelles_and_my_file_are_offered(client, me, family):
    MutuelleFactory(name="Mutuelle fermée", is_active=False)
    stranger = LinkedPersonFactory(first_names="Inconnue")
    form = client.get(DECLARE_URL).context["form"]
    assert "Mutuelle fermée" not in [m.name for m in form.fields["mutuelle"].queryset]
    assert {e.person for e in form.fields["entry"].queryset} == {me, *(e.person for e in family)}
    # A person of another file cannot be chosen even by tampering with the form.
    response = client.post(
        DECLARE_URL,
        {
            "entry": stranger.file_entries.get().pk,
            "mutuelle": MutuelleFactory().pk,
            "member_number": "X",
            "valid_from": "2026-01-01",
        },
    )
    assert "entry" in response.context["form"].errors
    assert not MutuelleContract.objects.exists()


def test_a_last_day_before_the_start_is_refused(client, me):
    response = client.post(
        DECLARE_URL,
        {
            "entry": me.file_entries.get().pk,
            "mutuelle": MutuelleFactory().pk,
            "member_number": "X",
            "valid_from": "2026-01-01",
            "last_day": "2025-12-31",
        },
    )
    assert "last_day" in response.context["form"].errors
    assert not MutuelleContract.objects.exists()


def test_two_overlapping_contracts_for_one_beneficiary_are_shown_as_a_conflict(client, me, family):
    _spouse, child = family
    MutuelleContractFactory(person=child.person, mutuelle=MutuelleFactory(name="Ancienne"))
    response = client.post(
        DECLARE_URL,
        {
            "entry": child.pk,
            "mutuelle": MutuelleFactory(name="Nouvelle").pk,
            "member_number": "N-1",
            "valid_from": "2026-03-01",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "choisissez celui qui reste" in page
    (conflict,) = response.context["conflicts"]
    assert {conflict.first.mutuelle.name, conflict.second.mutuelle.name} == {"Ancienne", "Nouvelle"}
    assert "Contrat à garder" in page
    assert (
        "Deux complémentaires santé se chevauchent"
        in client.get(reverse("affiliation:my_space")).content.decode()
    )


def test_contracts_of_different_persons_or_periods_do_not_conflict(client, me, family):
    spouse, child = family
    MutuelleContractFactory(person=spouse.person)
    MutuelleContractFactory(person=child.person)
    MutuelleContractFactory(
        person=me, valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2025, 1, 1)
    )
    MutuelleContractFactory(person=me, valid_from=datetime.date(2025, 1, 1))
    assert client.get(CONTRACTS_URL).context["conflicts"] == []


def test_keeping_the_newer_contract_ends_the_older_one_the_day_before(client, me, family):
    _spouse, child = family
    older = MutuelleContractFactory(person=child.person, valid_from=datetime.date(2024, 1, 1))
    newer = MutuelleContractFactory(person=child.person, valid_from=datetime.date(2026, 3, 1))
    response = client.post(
        RESOLVE_URL, {"first": older.pk, "second": newer.pk, "kept": newer.pk}, follow=True
    )
    assert "prend fin le 28 février 2026" in response.content.decode()
    older.refresh_from_db()
    assert older.valid_until == datetime.date(2026, 3, 1)
    assert older.last_day == datetime.date(2026, 2, 28)
    assert older.status == MutuelleContract.Status.DECLARED
    assert response.context["conflicts"] == []
    assert older.history.count() == 2


def test_keeping_the_older_contract_withdraws_the_newer_one(client, me, family):
    _spouse, child = family
    older = MutuelleContractFactory(person=child.person, valid_from=datetime.date(2024, 1, 1))
    newer = MutuelleContractFactory(person=child.person, valid_from=datetime.date(2026, 3, 1))
    response = client.post(
        RESOLVE_URL, {"first": older.pk, "second": newer.pk, "kept": older.pk}, follow=True
    )
    newer.refresh_from_db()
    assert newer.status == MutuelleContract.Status.WITHDRAWN
    assert newer.valid_until is None
    assert response.context["conflicts"] == []


def test_another_files_contracts_cannot_be_touched(client, me, family):
    other = LinkedPersonFactory()
    theirs = MutuelleContractFactory(person=other, valid_from=datetime.date(2024, 1, 1))
    also_theirs = MutuelleContractFactory(person=other, valid_from=datetime.date(2026, 1, 1))
    response = client.post(
        RESOLVE_URL, {"first": theirs.pk, "second": also_theirs.pk, "kept": theirs.pk}
    )
    assert response.status_code == 404
    also_theirs.refresh_from_db()
    assert also_theirs.status == MutuelleContract.Status.DECLARED
    assert client.get(CONTRACTS_URL).context["contracts"] == []


def test_contracts_that_do_not_overlap_cannot_be_resolved(client, me):
    first = MutuelleContractFactory(
        person=me, valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2025, 1, 1)
    )
    second = MutuelleContractFactory(person=me, valid_from=datetime.date(2025, 1, 1))
    response = client.post(RESOLVE_URL, {"first": first.pk, "second": second.pk, "kept": first.pk})
    assert response.status_code == 404


def test_the_contracts_page_has_a_fixed_number_of_queries(
    client, me, family, django_assert_num_queries
):
    for entry in family:
        MutuelleContractFactory(person=entry.person)
        MutuelleContractFactory(person=entry.person, valid_from=datetime.date(2026, 6, 1))
    client.get(CONTRACTS_URL)
    with django_assert_num_queries(MIDDLEWARE_QUERIES + 2):  # the person, the contracts
        response = client.get(CONTRACTS_URL)
    assert len(response.context["conflicts"]) == 2
