"""Batches processed at the same time for the same person keep the caps ledger exact.

Real transactions in threads on PostgreSQL (each thread its own connection), as Django's own
select_for_update tests do: the persons' year rows are the lock that serialises them.
"""

import datetime
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from reimbursements.models import CareSheet, Payment, Statement, WithholdingDay, WithholdingYear
from reimbursements.services.processing import process_received
from tests.reimbursements.factories import (
    CARE_DATE,
    CareSheetFactory,
    insured,
    rules_from_files,  # noqa: F401
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("rules_from_files"),
]

NOW = datetime.datetime(2025, 3, 20, 10, tzinfo=datetime.UTC)


def in_threads(count: int, action) -> list:
    barrier = threading.Barrier(count)
    errors: list = []

    def run() -> None:
        try:
            barrier.wait()
            action()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_ledger_matches_statements() -> None:
    """Every person-year total equals the sum of what their statements withheld."""
    expected: dict = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for person_id, care_date, participation, franchise in Statement.objects.values_list(
        "beneficiary_id", "care_date", "participation_forfaitaire", "franchise"
    ):
        expected[(person_id, care_date.year)][0] += participation
        expected[(person_id, care_date.year)][1] += franchise
    actual = {
        (row.person_id, row.year): [row.participation_forfaitaire, row.franchises]
        for row in WithholdingYear.objects.all()
        if row.participation_forfaitaire or row.franchises
    }
    assert actual == {key: value for key, value in expected.items() if any(value)}


def assert_each_sheet_paid_once() -> None:
    assert set(CareSheet.objects.values_list("status", flat=True)) == {"paid"}
    assert Statement.objects.count() == CareSheet.objects.count()
    assert Payment.objects.count() == Statement.objects.filter(amo_paid__gt=0).count()


def test_four_workers_on_one_person_s_day_withhold_four_participations_only():
    person = insured()
    CareSheetFactory.create_batch(12, holder=person)

    errors = in_threads(4, lambda: process_received(now=NOW, batch_size=1))

    assert errors == []
    assert_each_sheet_paid_once()
    day = WithholdingDay.objects.get(person=person, day=CARE_DATE)
    assert (day.participation_count, day.participation_amount) == (4, Decimal("8.00"))
    assert Statement.objects.aggregate(total=Sum("participation_forfaitaire"))["total"] == (
        Decimal("8.00")
    )
    assert_ledger_matches_statements()


def test_the_annual_cap_is_never_passed_by_concurrent_batches():
    person = insured()
    WithholdingYear.objects.create(
        person=person, year=2025, participation_forfaitaire=Decimal("46.00")
    )
    for day in range(1, 9):
        CareSheetFactory(holder=person, care_date=datetime.date(2025, 2, day))

    errors = in_threads(4, lambda: process_received(now=NOW, batch_size=1))

    assert errors == []
    assert_each_sheet_paid_once()
    year = WithholdingYear.objects.get(person=person, year=2025)
    assert year.participation_forfaitaire == Decimal("50.00")
    assert Statement.objects.aggregate(total=Sum("participation_forfaitaire"))["total"] == (
        Decimal("4.00")
    )


def test_batches_sharing_several_persons_neither_deadlock_nor_lose_a_count():
    persons = [insured() for _ in range(3)]
    for round_ in range(4):
        for person in persons[round_ % 3 :] + persons[: round_ % 3]:
            CareSheetFactory(holder=person, care_date=datetime.date(2025, 2, round_ + 1))
            CareSheetFactory(holder=person, care_date=datetime.date(2025, 2, round_ + 1))

    errors = in_threads(4, lambda: process_received(now=NOW, batch_size=3))

    assert errors == []
    assert_each_sheet_paid_once()
    for person in persons:
        # Eight G consultations on four days with one doctor: eight participations of 2 €.
        assert WithholdingYear.objects.get(person=person).participation_forfaitaire == (
            Decimal("16.00")
        )
    assert_ledger_matches_statements()
