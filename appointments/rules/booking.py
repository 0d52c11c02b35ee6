"""When a slot may be booked, changed or cancelled: pure checks on instants and counts."""

from datetime import datetime, timedelta

from appointments.rules.errors import (
    BeyondHorizon,
    NoticeTooShort,
    ReasonDetailTooLong,
    SlotInPast,
    TooLateToChange,
    TooManyBookings,
)

# At most two bookings to come per person: a counter is not a queue to reserve in advance
# (the rule; ameli "Mon agenda" shows the same limit).
MAX_UPCOMING_BOOKINGS = 2
# Cancel or reschedule online up to two hours before the start (Doctolib offers 4 h; the
# counter needs less time to give the seat to someone else). A change after it: phone the office.
CHANGE_CUTOFF = timedelta(hours=2)
# A seat freed for the waiting list is held this long for the person it is offered to.
OFFER_HOLD = timedelta(hours=2)
# The reminder goes out the day before, from this local hour on.
REMINDER_LOCAL_HOUR = 9
REASON_DETAIL_MAX_LENGTH = 500


def check_bookable_time(
    starts_at: datetime, now: datetime, *, minimum_notice_hours: int, horizon_days: int
) -> None:
    """Refuse a start in the past, inside the minimum notice, or beyond the booking horizon."""
    if starts_at <= now:
        raise SlotInPast
    if starts_at < now + timedelta(hours=minimum_notice_hours):
        raise NoticeTooShort
    if starts_at > now + timedelta(days=horizon_days):
        raise BeyondHorizon


def check_upcoming_count(upcoming: int) -> None:
    """Refuse a booking when the person already holds the maximum of bookings to come."""
    if upcoming >= MAX_UPCOMING_BOOKINGS:
        raise TooManyBookings


def check_can_change(starts_at: datetime, now: datetime) -> None:
    """Refuse a cancellation or reschedule past the cut-off before the start."""
    if now > starts_at - CHANGE_CUTOFF:
        raise TooLateToChange


def can_change(starts_at: datetime, now: datetime) -> bool:
    return now <= starts_at - CHANGE_CUTOFF


def check_reason_detail(text: str) -> None:
    if len(text) > REASON_DETAIL_MAX_LENGTH:
        raise ReasonDetailTooLong
