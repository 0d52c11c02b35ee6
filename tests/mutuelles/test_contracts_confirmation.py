"""The insured person's half of the link: agreeing to the contract a mutuelle declared."""

import datetime

import pytest
from django.urls import reverse

from mutuelles.models import MutuelleContract, Transmission
from tests.affiliation.factories_account import LinkedPersonFactory, add_family
from tests.mutuelles.factories import member_of, paid_transmissions
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = pytest.mark.django_db
Status = MutuelleContract.Status
CONTRACTS_URL = reverse("mutuelles:contracts")


def confirm_url(contract):
    return reverse("mutuelles:confirm_contract", args=[contract.pk])


def decline_url(contract):
    return reverse("mutuelles:decline_contract", args=[contract.pk])


@pytest.fixture
def me(client):
    person = LinkedPersonFactory()
    client.force_login(person.user)
    return person


def test_a_contract_my_mutuelle_declared_asks_for_my_agreement(client, me):
    contract = member_of(MutuelleFactory(name="Mutuelle des Lilas"), me, status=Status.SUBSCRIBED)
    page = client.get(CONTRACTS_URL).content.decode()
    assert "Votre mutuelle a déclaré un contrat" in page
    assert "Déclaré par votre mutuelle : à confirmer" in page
    assert f'action="{confirm_url(contract)}"' in page
    assert f'action="{decline_url(contract)}"' in page
    assert "Ce n'est pas mon contrat" in page


@pytest.mark.usefixtures("rules_from_files")
def test_confirming_activates_the_link_and_releases_the_held_statements(client, me):
    contract = member_of(MutuelleFactory(name="Mutuelle des Lilas"), me, status=Status.SUBSCRIBED)
    [transmission] = paid_transmissions(contract)
    assert transmission.feed_position is None
    response = client.post(confirm_url(contract), follow=True)
    page = response.content.decode()
    assert "Le lien avec Mutuelle des Lilas est actif" in page
    contract.refresh_from_db()
    assert contract.status == Status.CONFIRMED and contract.confirmed_at is not None
    assert "Lien actif depuis le" in page
    transmission.refresh_from_db()
    assert transmission.feed_position is not None
    assert transmission.status == Transmission.Status.PENDING  # released, to be delivered


def test_not_my_contract_withdraws_it(client, me):
    contract = member_of(MutuelleFactory(name="Mutuelle des Lilas"), me, status=Status.SUBSCRIBED)
    response = client.post(decline_url(contract), follow=True)
    assert "rien ne lui sera transmis" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Status.WITHDRAWN and contract.confirmed_at is None


def test_a_dependants_contract_is_confirmed_from_the_holders_space(client, me):
    _spouse, child = add_family(me)
    contract = member_of(MutuelleFactory(), child.person, status=Status.SUBSCRIBED)
    client.post(confirm_url(contract))
    contract.refresh_from_db()
    assert contract.status == Status.CONFIRMED


@pytest.mark.parametrize("status", [Status.DECLARED, Status.CONFIRMED, Status.WITHDRAWN])
def test_only_a_contract_awaiting_my_agreement_can_be_confirmed_or_declined(client, me, status):
    contract = member_of(MutuelleFactory(), me, status=status)
    assert client.post(confirm_url(contract)).status_code == 404
    assert client.post(decline_url(contract)).status_code == 404
    contract.refresh_from_db()
    assert contract.status == status


def test_another_files_contract_is_not_found(client, me):
    stranger = LinkedPersonFactory()
    contract = member_of(MutuelleFactory(), stranger, status=Status.SUBSCRIBED)
    assert client.post(confirm_url(contract)).status_code == 404
    assert client.post(decline_url(contract)).status_code == 404
    contract.refresh_from_db()
    assert contract.status == Status.SUBSCRIBED


def test_confirming_needs_a_post(client, me):
    contract = member_of(MutuelleFactory(), me, status=Status.SUBSCRIBED)
    assert client.get(confirm_url(contract)).status_code == 405


def test_statuses_read_in_plain_words(client, me):
    mutuelle = MutuelleFactory()
    member_of(
        mutuelle,
        me,
        status=Status.DECLARED,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )
    member_of(
        mutuelle,
        me,
        status=Status.CONFIRMED,
        confirmed_at=datetime.datetime(2025, 2, 3, 10, tzinfo=datetime.UTC),
        valid_from=datetime.date(2022, 1, 1),
    )
    page = client.get(CONTRACTS_URL).content.decode()
    assert "En attente de votre mutuelle" in page
    assert "Lien actif depuis le 3 février 2025" in page
    assert "Votre mutuelle a déclaré un contrat" not in page


@pytest.mark.usefixtures("rules_from_files")
def test_declaring_the_contract_my_mutuelle_subscribed_is_my_agreement(client, me):
    mutuelle = MutuelleFactory(name="Mutuelle des Lilas")
    subscribed = member_of(
        mutuelle,
        me,
        status=Status.SUBSCRIBED,
        member_number="ADH-1",
        valid_from=datetime.date(2024, 1, 1),
    )
    [transmission] = paid_transmissions(subscribed)
    response = client.post(
        reverse("mutuelles:declare_contract"),
        {
            "entry": me.file_entries.get().pk,
            "mutuelle": mutuelle.pk,
            "member_number": "adh 1",
            "valid_from": "2024-02-01",
        },
        follow=True,
    )
    assert "avait déjà déclaré ce contrat" in response.content.decode()
    assert response.context["conflicts"] == []
    (contract,) = MutuelleContract.objects.all()
    assert contract.status == Status.CONFIRMED and contract.declared_by == me.user
    assert (contract.member_number, contract.valid_from) == ("ADH-1", datetime.date(2024, 1, 1))
    transmission.refresh_from_db()
    assert transmission.feed_position is not None


def test_declaring_a_contract_with_another_mutuelle_leaves_the_subscription_waiting(client, me):
    subscribed = member_of(MutuelleFactory(), me, status=Status.SUBSCRIBED)
    client.post(
        reverse("mutuelles:declare_contract"),
        {
            "entry": me.file_entries.get().pk,
            "mutuelle": MutuelleFactory().pk,
            "member_number": "X",
            "valid_from": "2026-01-01",
        },
    )
    subscribed.refresh_from_db()
    assert subscribed.status == Status.SUBSCRIBED
    assert MutuelleContract.objects.count() == 2
