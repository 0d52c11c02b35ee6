"""Paying every 14 days and at the end: each period exactly once, run twice or at once."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from allowances.models import AllowancePayment, SalaryMonth, StoppageKind, WorkStoppage
from allowances.rules.types import PaidSegment
from allowances.services import payments, review
from cpam_portal.models import OutgoingMail
from tests.accounts.factories import StaffFactory
from tests.allowances.factories import (
    accepted_stoppage,
    expected_daily_amount,
    insured_with_account,
    stoppage_with_segments,
)

D = date


def segment(start, end, daily="32.88"):
    return PaidSegment(start, end, Decimal(daily))


def test_next_period_is_14_days_from_the_first_paid_day_once_they_are_over():
    segments = (segment(D(2026, 2, 5), D(2026, 3, 15)),)
    assert payments.next_period(segments, [], last_day=D(2026, 3, 15), on=D(2026, 2, 18)) is None
    period = payments.next_period(segments, [], last_day=D(2026, 3, 15), on=D(2026, 2, 19))
    assert (period.start, period.end, period.days, period.amount) == (
        D(2026, 2, 5),
        D(2026, 2, 18),
        14,
        Decimal("460.32"),
    )


def test_next_period_after_paid_ones_and_the_last_short_period_at_the_end():
    segments = (segment(D(2026, 2, 5), D(2026, 3, 15)),)
    paid = [(D(2026, 2, 5), D(2026, 2, 18)), (D(2026, 2, 19), D(2026, 3, 4))]
    period = payments.next_period(segments, paid, last_day=D(2026, 3, 15), on=D(2026, 3, 16))
    assert (period.start, period.end, period.days) == (D(2026, 3, 5), D(2026, 3, 15), 11)
    paid.append((period.start, period.end))
    assert payments.next_period(segments, paid, last_day=D(2026, 3, 15), on=D(2026, 6, 1)) is None


def test_next_period_stops_at_the_rate_change_and_at_the_last_day_accepted():
    segments = (
        segment(D(2026, 2, 2), D(2026, 3, 1), "60.00"),
        segment(D(2026, 3, 2), D(2026, 4, 30), "80.00"),
    )
    paid = [(D(2026, 2, 2), D(2026, 2, 15))]
    period = payments.next_period(segments, paid, last_day=D(2026, 4, 30), on=D(2026, 5, 1))
    assert (period.start, period.end, period.daily_amount) == (
        D(2026, 2, 16),
        D(2026, 3, 1),
        Decimal("60.00"),
    )
    assert payments.next_period(segments, [], last_day=D(2026, 2, 10), on=D(2026, 5, 1)).end == D(
        2026, 2, 10
    )


@pytest.mark.django_db
def test_an_accepted_sickness_stoppage_is_paid_every_14_days_after_3_waiting_days():
    stoppage = accepted_stoppage(
        person=insured_with_account(),
        start_date=D(2026, 2, 2),
        end_date=D(2026, 3, 15),
    )
    daily = expected_daily_amount("2000.00", D(2026, 2, 2), D(2026, 3, 15))
    assert (stoppage.waiting_days, stoppage.daily_amount) == (3, daily)

    assert payments.pay_due_allowances(on=D(2026, 2, 18)) == 0
    assert payments.pay_due_allowances(on=D(2026, 2, 19)) == 1
    assert payments.pay_due_allowances(on=D(2026, 2, 19)) == 0  # run again: nothing new
    assert payments.pay_due_allowances(on=D(2026, 4, 1)) == 2

    rows = list(
        AllowancePayment.objects.order_by("period_start").values_list(
            "period_start", "period_end", "days", "daily_amount", "amount"
        )
    )
    assert rows == [
        (D(2026, 2, 5), D(2026, 2, 18), 14, daily, daily * 14),
        (D(2026, 2, 19), D(2026, 3, 4), 14, daily, daily * 14),
        (D(2026, 3, 5), D(2026, 3, 15), 11, daily, daily * 11),
    ]
    stoppage.refresh_from_db()
    assert stoppage.status == WorkStoppage.Status.CLOSED
    total = sum(amount for *_rest, amount in rows)
    assert total == Decimal(stoppage.computation["figures"]["total"])


@pytest.mark.django_db
def test_each_payment_mails_the_person_without_any_amount():
    person = insured_with_account()
    accepted_stoppage(person=person, start_date=D(2026, 2, 2), end_date=D(2026, 3, 15))
    before = OutgoingMail.objects.count()

    payments.pay_due_allowances(on=D(2026, 4, 1))

    mails = list(OutgoingMail.objects.order_by("pk"))[before:]
    assert len(mails) == 3
    assert all(mail.recipients == [person.email] for mail in mails)
    assert all("/mon-espace/indemnites/" in mail.body for mail in mails)
    assert not any("32" in mail.body or "€" in mail.body for mail in mails)


@pytest.mark.django_db
def test_a_work_accident_period_is_cut_at_day_29():
    stoppage = accepted_stoppage(
        kind=StoppageKind.WORK_ACCIDENT,
        start_date=D(2026, 2, 2),
        end_date=D(2026, 4, 5),
    )
    payments.pay_due_allowances(on=D(2026, 4, 30))
    rows = list(
        stoppage.payments.order_by("period_start").values_list(
            "period_start", "period_end", "daily_amount"
        )
    )
    day_29 = D(2026, 2, 2) + timedelta(days=28)
    assert rows[0][0] == D(2026, 2, 2)  # no waiting days for a work accident
    assert (rows[1][1], rows[2][0]) == (day_29 - timedelta(days=1), day_29)
    assert rows[2][2] > rows[1][2]  # 80 % from day 29
    assert sum(stoppage.payments.values_list("days", flat=True)) == stoppage.days_payable


@pytest.mark.django_db
def test_a_correction_after_payment_adds_a_regularisation_line_and_later_periods_follow_it():
    staff = StaffFactory()
    stoppage = accepted_stoppage(start_date=D(2026, 2, 2), end_date=D(2026, 3, 15), staff=staff)
    payments.pay_due_allowances(on=D(2026, 2, 19))
    paid_daily = stoppage.payments.get().daily_amount
    # The employer's attestation said 2 000 €; it was 2 200 €: staff correct and re-run.
    SalaryMonth.objects.filter(attestation__stoppage=stoppage).update(gross_amount=Decimal("2200"))
    review.recompute(stoppage.pk, staff, now=timezone.now())

    stoppage.refresh_from_db()
    regularisation = stoppage.payments.get(kind=AllowancePayment.Kind.REGULARISATION)
    assert (regularisation.period_start, regularisation.days) == (D(2026, 2, 5), 14)
    assert regularisation.amount == (stoppage.daily_amount - paid_daily) * 14
    assert regularisation.amount > 0
    assert stoppage.computation_number == 2

    payments.pay_due_allowances(on=D(2026, 4, 1))
    later = stoppage.payments.filter(kind=AllowancePayment.Kind.REGULAR).exclude(
        period_start=D(2026, 2, 5)
    )
    assert {p.daily_amount for p in later} == {stoppage.daily_amount}
    # Re-running without a change adds nothing.
    review.recompute(stoppage.pk, staff, now=timezone.now())
    assert stoppage.payments.filter(kind=AllowancePayment.Kind.REGULARISATION).count() == 1
    paid = sum(p.amount for p in stoppage.payments.all())
    assert paid == Decimal(WorkStoppage.objects.get(pk=stoppage.pk).computation["figures"]["total"])


@pytest.mark.django_db
def test_a_pending_extension_is_not_paid_and_keeps_the_stoppage_open():
    from allowances.services.stoppages import declare_extension
    from tests.allowances.test_services_stoppages import notice

    stoppage = stoppage_with_segments([(D(2026, 2, 5), D(2026, 2, 15), "30.00")])
    declare_extension(
        stoppage,
        notice(D(2026, 2, 16), D(2026, 2, 28)),
        scan=None,
        by=stoppage.declared_by,
        now=timezone.now(),
    )
    payments.pay_due_allowances(on=D(2026, 4, 1))
    stoppage.refresh_from_db()
    assert list(stoppage.payments.values_list("period_end", flat=True)) == [D(2026, 2, 15)]
    assert stoppage.status == WorkStoppage.Status.ACCEPTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_the_same_time_pay_each_period_once():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (make test uses it)")
    stoppages = [
        stoppage_with_segments([(D(2026, 1, 5) + timedelta(days=3 * n), D(2026, 3, 31), "30.00")])
        for n in range(4)
    ]
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            payments.pay_due_allowances(on=D(2026, 6, 1))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for stoppage in stoppages:
        rows = list(stoppage.payments.values_list("period_start", flat=True))
        assert len(rows) == len(set(rows))
        days = sum(stoppage.payments.values_list("days", flat=True))
        assert days == (D(2026, 3, 31) - stoppage.start_date).days + 1
