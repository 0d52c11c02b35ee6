"""Paying daily allowances: every 14 days of allowance, and at the end of the stoppage.

Exactly once per period, whatever happens to the task:
- a stoppage is claimed with SELECT … FOR UPDATE SKIP LOCKED: a second run (another worker,
  a redelivered message) skips it while the first one pays it;
- each payment is its own transaction: the payment row and the e-mail to the person commit
  together; a worker killed midway rolls back the period it was paying, and a later run pays it;
- the unique constraint (stoppage, period_start) of regular payments is the backstop.

Periods: from the first payable day not yet paid, 14 calendar days, cut at the end of a
segment of the result (the AT/MP rate changes on day 29), at the last day accepted, and before a
period already paid. A period is due once its last day is over (period_end < on).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from allowances.models import AllowancePayment, StoppageNotice, WorkStoppage
from allowances.rules.types import PaidSegment
from allowances.services.computation import amount_due, segments_of
from allowances.services.notify import notify_person

PERIOD_DAYS = 14


@dataclass(frozen=True)
class DuePeriod:
    start: date
    end: date  # inclusive
    days: int
    daily_amount: Decimal
    amount: Decimal


def next_period(
    segments: tuple[PaidSegment, ...],
    paid: list[tuple[date, date]],
    *,
    last_day: date,
    on: date,
) -> DuePeriod | None:
    """The next period to pay on `on`, or None (pure: the caller gives what is already paid)."""

    def is_paid(day: date) -> bool:
        return any(start <= day <= end for start, end in paid)

    for segment in segments:
        day = segment.start
        segment_end = min(segment.end, last_day)
        while day <= segment_end:
            if is_paid(day):
                day += timedelta(days=1)
                continue
            end = min(day + timedelta(days=PERIOD_DAYS - 1), segment_end)
            following_paid = [start for start, _end in paid if day < start <= end]
            if following_paid:
                end = min(following_paid) - timedelta(days=1)
            if end >= on:
                return None  # the earliest unpaid period is not over yet
            days, amount = amount_due((segment,), day, end)
            return DuePeriod(day, end, days, segment.daily_amount, amount)
    return None


def _paid_ranges(stoppage: WorkStoppage) -> list[tuple[date, date]]:
    return list(
        stoppage.payments.filter(kind=AllowancePayment.Kind.REGULAR).values_list(
            "period_start", "period_end"
        )
    )


def is_fully_paid(
    segments: tuple[PaidSegment, ...], paid: list[tuple[date, date]], *, last_day: date
) -> bool:
    """Every day of the segments up to `last_day` (the last day accepted) is in a paid range."""
    covered = {
        start + timedelta(days=offset)
        for start, end in paid
        for offset in range((end - start).days + 1)
    }
    return all(
        segment.start + timedelta(days=offset) in covered
        for segment in segments
        for offset in range(segment.days)
        if segment.start + timedelta(days=offset) <= last_day
    )


def pay_next_period(stoppage_id: int, *, on: date, now: datetime) -> AllowancePayment | None:
    """Pay one due period of one stoppage, in its own transaction; None when there is nothing to
    pay now or when another worker holds the stoppage."""
    with transaction.atomic():
        stoppage = (
            WorkStoppage.objects.payable()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("person__user")
            .filter(pk=stoppage_id)
            .first()
        )
        if stoppage is None:
            return None
        segments = segments_of(stoppage)
        paid = _paid_ranges(stoppage)
        period = next_period(segments, paid, last_day=stoppage.accepted_end_date, on=on)
        if period is None:
            _close_if_done(stoppage, segments, paid, on=on, now=now)
            return None
        try:
            with transaction.atomic():
                payment = AllowancePayment.objects.create(
                    stoppage=stoppage,
                    kind=AllowancePayment.Kind.REGULAR,
                    period_start=period.start,
                    period_end=period.end,
                    days=period.days,
                    daily_amount=period.daily_amount,
                    amount=period.amount,
                    computation_number=stoppage.computation_number,
                    paid_on=on,
                )
        except IntegrityError:
            return None  # paid meanwhile (the constraint is the backstop of the claim)
        notify_person(stoppage, "payment_made")
        _close_if_done(stoppage, segments, [*paid, (period.start, period.end)], on=on, now=now)
        return payment


def _close_if_done(
    stoppage: WorkStoppage,
    segments: tuple[PaidSegment, ...],
    paid: list[tuple[date, date]],
    *,
    on: date,
    now: datetime,
) -> None:
    """Close a stoppage whose every day is paid, once over and with no extension pending."""
    last_day = stoppage.accepted_end_date  # set on every payable stoppage
    if (
        last_day is not None
        and last_day < on
        and last_day == stoppage.end_date
        and not stoppage.notices.filter(status=StoppageNotice.Status.PENDING).exists()
        and is_fully_paid(segments, paid, last_day=last_day)
    ):
        stoppage.status = WorkStoppage.Status.CLOSED
        stoppage.closed_at = now
        stoppage.save(update_fields=["status", "closed_at", "updated_at"])


def payable_stoppage_ids() -> list[int]:
    return list(WorkStoppage.objects.payable().order_by("pk").values_list("pk", flat=True))


def pay_stoppage(stoppage_id: int, *, on: date) -> int:
    """Pay every due period of one stoppage, one transaction each; returns how many."""
    count = 0
    while pay_next_period(stoppage_id, on=on, now=timezone.now()) is not None:
        count += 1
    return count


def pay_due_allowances(*, on: date) -> int:
    """Pay every due period of every open accepted stoppage; safe to run twice or at once."""
    return sum(pay_stoppage(stoppage_id, on=on) for stoppage_id in payable_stoppage_ids())
