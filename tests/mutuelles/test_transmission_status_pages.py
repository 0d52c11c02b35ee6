"""Mes remboursements shows what each statement's complementary insurer received of it."""

import datetime

import pytest
from django.urls import reverse

from mutuelles.models import MutuelleContract, Transmission
from mutuelles.services.clients import set_webhook
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.reimbursements.factories_account import dependant_of, holder_with_account, paid_sheet
from tests.reimbursements.test_views_account import FRAMEWORK_QUERIES

pytestmark = pytest.mark.django_db

PAYMENTS = reverse("reimbursements:payments")
CONTRACTS = reverse("mutuelles:contracts")
SENT = datetime.datetime(2025, 3, 20, 10, tzinfo=datetime.UTC)
ACKNOWLEDGED = datetime.datetime(2025, 3, 21, 10, tzinfo=datetime.UTC)


def statement_url(statement) -> str:
    return reverse("reimbursements:statement_detail", args=[statement.public_id])


def contract(person, mutuelle, status=MutuelleContract.Status.CONFIRMED, **fields):
    values = {"member_number": "A1", "valid_from": datetime.date(2025, 1, 1)}
    values.update(fields)
    return MutuelleContract.objects.create(
        person=person, mutuelle=mutuelle, status=status, **values
    )


def transmitted(statement, of: MutuelleContract, status="acknowledged", **fields):
    values = {"sent_at": SENT, "released_at": SENT, "acknowledged_at": ACKNOWLEDGED}
    values.update(fields)
    return Transmission.objects.create(
        statement=statement, mutuelle=of.mutuelle, contract=of, status=status, **values
    )


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_statement_says_when_it_was_sent_and_received(client):
    holder = holder_with_account()
    harmonie = contract(holder, MutuelleFactory(name="Harmonie Santé"))
    statement = paid_sheet(holder)
    transmitted(statement, harmonie)
    client.force_login(holder.user)

    text = page_text(client.get(statement_url(statement)))

    assert "Transmis à Harmonie Santé le 20/03/2025." in text
    assert "Reçu par Harmonie Santé le 21/03/2025." in text
    assert "fr-alert--success" in text


def test_a_conflict_is_a_warning_with_the_way_to_resolve_it(client):
    holder = holder_with_account()
    contract(holder, MutuelleFactory(name="Harmonie Santé"))
    contract(holder, MutuelleFactory(name="MGEN"), MutuelleContract.Status.DECLARED)
    statement = paid_sheet(holder)
    client.force_login(holder.user)

    response = client.get(statement_url(statement))
    text = page_text(response)

    assert response.context["transmission"].kind == "conflict"
    assert "fr-alert--warning" in text
    assert "(Harmonie Santé, MGEN)" in text
    assert f'href="{CONTRACTS}"' in text


def test_a_rejection_is_an_error_in_plain_words(client):
    holder = holder_with_account()
    harmonie = contract(holder, MutuelleFactory(name="Harmonie Santé"))
    statement = paid_sheet(holder)
    transmitted(
        statement, harmonie, "rejected", rejected_at=ACKNOWLEDGED, rejection_code="duplicate"
    )
    client.force_login(holder.user)

    text = page_text(client.get(statement_url(statement)))

    assert "fr-alert--error" in text
    assert "Refusé par Harmonie Santé le 21/03/2025 : la mutuelle avait déjà reçu ces soins." in (
        text.replace("&nbsp;", " ")
    )


def test_the_list_shows_a_short_status_on_each_row(client):
    holder = holder_with_account()
    child = dependant_of(holder)
    harmonie = contract(holder, MutuelleFactory())
    sent = paid_sheet(holder)
    transmitted(sent, harmonie)
    paid_sheet(holder, child)  # the child has no contract
    client.force_login(holder.user)

    response = client.get(PAYMENTS)

    statuses = {
        statement.pk: transmission.kind for statement, transmission in response.context["rows"]
    }
    assert set(statuses.values()) == {"acknowledged", "no_contract"}
    assert statuses[sent.pk] == "acknowledged"
    text = page_text(response)
    assert 'data-transmission="acknowledged">Reçu par la mutuelle</p>' in text
    assert 'data-transmission="no_contract">Aucune complémentaire</p>' in text


def test_another_person_s_statement_and_status_stay_not_found(client):
    holder = holder_with_account()
    other = holder_with_account()
    theirs = paid_sheet(other)
    transmitted(theirs, contract(other, MutuelleFactory(name="Mutuelle des autres")))
    client.force_login(holder.user)

    assert client.get(statement_url(theirs)).status_code == 404
    assert "Mutuelle des autres" not in page_text(client.get(PAYMENTS))


def with_every_kind_of_status(holder, rows: int) -> None:
    """`rows` statements of `holder` and a child, with transmissions in every state, to two
    mutuelles (one pushing to a webhook) and contracts in conflict."""
    child = dependant_of(holder)
    pushed, feed_only = MutuelleFactory(), MutuelleFactory()
    set_webhook(pushed, "https://mutuelle.example/webhook")
    holder_contract = contract(holder, pushed)
    contract(
        holder, feed_only, MutuelleContract.Status.SUBSCRIBED, valid_from=datetime.date(2026, 1, 1)
    )
    contract(child, pushed)
    contract(child, feed_only)  # a conflict on the child's care
    states = ["acknowledged", "sent", "pending", "rejected", "dead"]
    for index in range(rows):
        if index % 2:
            paid_sheet(holder, child)
        else:
            transmitted(paid_sheet(holder), holder_contract, states[index % len(states)])


@pytest.mark.parametrize("rows", [2, 15])
def test_the_payments_page_costs_the_same_with_statuses(client, django_assert_num_queries, rows):
    holder = holder_with_account()
    with_every_kind_of_status(holder, rows)
    client.force_login(holder.user)
    client.get(PAYMENTS)  # the session's first request records it
    # file, persons on the file, count, page (statements with payment, person, sheet),
    # transmissions (mutuelle, webhook, contract), contracts (mutuelle), the outbox (asked once:
    # the child's statements have contracts but no transmission, they may not be routed yet),
    # months, sheets in progress
    with django_assert_num_queries(FRAMEWORK_QUERIES + 9):
        response = client.get(PAYMENTS)
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("state", ["acknowledged", "rejected", None])
def test_the_statement_page_costs_the_same_with_a_status(client, django_assert_num_queries, state):
    holder = holder_with_account()
    harmonie = contract(holder, MutuelleFactory())
    statement = paid_sheet(holder, lines=3)
    if state:
        transmitted(statement, harmonie, state)
    client.force_login(holder.user)
    client.get(PAYMENTS)
    # file, statement (payment, person, sheet), transmissions, contracts, lines, ledger year,
    # caps, and the outbox when the statement has a contract but no transmission yet
    with django_assert_num_queries(FRAMEWORK_QUERIES + 7 + (state is None)):
        client.get(statement_url(statement))
