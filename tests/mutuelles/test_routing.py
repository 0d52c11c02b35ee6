"""Routing issued statements to the mutuelle whose contract covers the date of care: through
the real pipeline, then the routing step its wake-up starts (called here directly)."""

import datetime

import pytest
from django.db import transaction

from mutuelles.models import MutuelleContract, Transmission
from mutuelles.services.release import route_issued_statements
from reimbursements.models import Statement, StatementOutbox
from reimbursements.services.processing import process_received
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.reimbursements.factories import (
    CARE_DATE,
    CareSheetFactory,
    dependant_of,
    insured,
    rules_from_files,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

NOW = datetime.datetime(2025, 3, 20, 10, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "status", "expected"),
    [
        (datetime.date(2025, 1, 1), None, MutuelleContract.Status.DECLARED, 1),
        (datetime.date(2025, 1, 1), CARE_DATE + datetime.timedelta(days=1), "confirmed", 1),
        (datetime.date(2025, 1, 1), CARE_DATE, MutuelleContract.Status.CONFIRMED, 0),
        (CARE_DATE + datetime.timedelta(days=1), None, MutuelleContract.Status.CONFIRMED, 0),
        (datetime.date(2025, 1, 1), None, MutuelleContract.Status.WITHDRAWN, 0),
    ],
)
def test_a_transmission_only_when_a_contract_covers_the_date_of_care(
    valid_from, valid_until, status, expected
):
    holder = insured()
    mutuelle = MutuelleFactory()
    MutuelleContract.objects.create(
        person=holder,
        mutuelle=mutuelle,
        member_number="A1",
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
    )
    CareSheetFactory(holder=holder)
    process_received(now=NOW)
    route_issued_statements()
    assert Transmission.objects.count() == expected
    if expected:
        transmission = Transmission.objects.get()
        assert (transmission.mutuelle, transmission.status) == (mutuelle, "pending")
        assert transmission.statement == Statement.objects.get()


def test_the_dependant_s_own_contract_decides_the_transmission():
    holder = insured()
    child = dependant_of(holder)
    MutuelleContract.objects.create(
        person=holder, mutuelle=MutuelleFactory(), member_number="A1", valid_from=CARE_DATE
    )
    CareSheetFactory(holder=holder, beneficiary=child)
    process_received(now=NOW)
    route_issued_statements()
    assert not Transmission.objects.exists()


def contract(person, mutuelle, status=MutuelleContract.Status.CONFIRMED, **fields):
    values = {"member_number": "A1", "valid_from": datetime.date(2025, 1, 1), "status": status}
    values.update(fields)
    return MutuelleContract.objects.create(person=person, mutuelle=mutuelle, **values)


@pytest.mark.parametrize(
    "second_status",
    [
        MutuelleContract.Status.DECLARED,
        MutuelleContract.Status.SUBSCRIBED,
        MutuelleContract.Status.CONFIRMED,
    ],
)
def test_two_mutuelles_covering_the_date_of_care_block_the_transmission(second_status):
    holder = insured()
    contract(holder, MutuelleFactory())
    contract(holder, MutuelleFactory(), second_status, valid_from=CARE_DATE)
    CareSheetFactory(holder=holder)

    assert process_received(now=NOW) == 1
    route_issued_statements()

    assert Statement.objects.count() == 1  # the fund pays its part all the same
    assert not Transmission.objects.exists()


def test_a_withdrawn_or_ended_second_contract_is_no_conflict():
    holder = insured()
    kept = contract(holder, MutuelleFactory())
    contract(holder, MutuelleFactory(), MutuelleContract.Status.WITHDRAWN)
    contract(holder, MutuelleFactory(), valid_from=datetime.date(2024, 1, 1), valid_until=CARE_DATE)
    CareSheetFactory(holder=holder)
    process_received(now=NOW)
    route_issued_statements()
    assert list(Transmission.objects.values_list("contract", "mutuelle")) == [
        (kept.pk, kept.mutuelle_id)
    ]


def test_two_contracts_with_one_mutuelle_send_once_under_the_confirmed_one():
    holder = insured()
    mutuelle = MutuelleFactory()
    contract(holder, mutuelle, MutuelleContract.Status.DECLARED, member_number="NEW")
    confirmed = contract(holder, mutuelle, valid_from=datetime.date(2024, 1, 1))
    CareSheetFactory(holder=holder)
    process_received(now=NOW)
    route_issued_statements()
    assert list(Transmission.objects.values_list("contract", flat=True)) == [confirmed.pk]


def test_a_conflict_on_one_person_does_not_block_another_in_the_same_batch():
    in_conflict, covered = insured(), insured()
    contract(in_conflict, MutuelleFactory())
    contract(in_conflict, MutuelleFactory())
    kept = contract(covered, MutuelleFactory())
    CareSheetFactory(holder=in_conflict)
    CareSheetFactory(holder=covered)
    assert process_received(now=NOW) == 2
    route_issued_statements()
    assert list(Transmission.objects.values_list("contract", flat=True)) == [kept.pk]


def test_a_statement_is_routed_once_and_leaves_the_outbox():
    holder = insured()
    kept = contract(holder, MutuelleFactory())
    CareSheetFactory(holder=holder)
    process_received(now=NOW)
    assert route_issued_statements() == 1
    assert route_issued_statements() == 0
    assert not StatementOutbox.objects.exists()
    assert list(Transmission.objects.values_list("contract", flat=True)) == [kept.pk]


def test_a_routing_that_fails_gives_its_statements_back():
    holder = insured()
    contract(holder, MutuelleFactory())
    CareSheetFactory(holder=holder)
    process_received(now=NOW)
    with pytest.raises(RuntimeError), transaction.atomic():
        route_issued_statements()
        raise RuntimeError("the routing step dies before its commit")
    assert StatementOutbox.objects.count() == 1 and not Transmission.objects.exists()
    assert route_issued_statements() == 1
