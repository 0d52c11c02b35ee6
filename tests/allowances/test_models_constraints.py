"""What the database itself refuses: overlapping stoppages (PostgreSQL), a second payment of a
period, negative pay, an end before the start, a start before 2017."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from allowances.models import AllowancePayment, SalaryMonth, WorkStoppage
from tests.allowances.factories import WorkStoppageFactory, salary_attestation

pytestmark = pytest.mark.django_db


def test_postgresql_refuses_two_stoppages_of_one_person_sharing_a_day():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (make test uses it)")
    first = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 15))
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkStoppageFactory(
            person=first.person, start_date=date(2026, 2, 15), end_date=date(2026, 2, 20)
        )
    # The day after is free; a refused stoppage does not count.
    WorkStoppageFactory(
        person=first.person, start_date=date(2026, 2, 16), end_date=date(2026, 2, 20)
    )
    WorkStoppageFactory(
        person=first.person,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 2, 28),
        status=WorkStoppage.Status.REFUSED,
    )


def test_a_stoppage_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkStoppageFactory(start_date=date(2026, 2, 15), end_date=date(2026, 2, 14), notice=False)


def test_a_stoppage_before_2017_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkStoppageFactory(start_date=date(2016, 12, 31), end_date=date(2017, 1, 5), notice=False)


def test_a_period_is_paid_once_at_most():
    stoppage = WorkStoppageFactory()
    fields = {
        "stoppage": stoppage,
        "period_start": date(2026, 2, 5),
        "period_end": date(2026, 2, 18),
        "days": 14,
        "daily_amount": Decimal("32.88"),
        "amount": Decimal("460.32"),
        "computation_number": 1,
        "paid_on": timezone.localdate(),
    }
    AllowancePayment.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllowancePayment.objects.create(**fields)
    # A regularisation of the same period is another line.
    AllowancePayment.objects.create(
        **{**fields, "kind": AllowancePayment.Kind.REGULARISATION, "amount": Decimal("-1.00")}
    )


def test_a_negative_salary_is_refused_by_the_database():
    attestation = salary_attestation(WorkStoppageFactory(), months=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SalaryMonth.objects.filter(attestation=attestation).update(gross_amount=Decimal("-1"))
