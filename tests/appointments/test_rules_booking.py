"""Pure checks: notice, horizon, cut-off, the two-bookings limit, phone numbers, reminder time."""

from datetime import UTC, datetime, timedelta

import pytest

from appointments.rules import booking as rules
from appointments.rules.errors import (
    BeyondHorizon,
    InvalidPhoneNumber,
    NoticeTooShort,
    ReasonDetailTooLong,
    SlotInPast,
    TooLateToChange,
    TooManyBookings,
)
from appointments.rules.phone import normalise_phone
from appointments.rules.reminders import reminder_due_at

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)


def check(starts_at):
    rules.check_bookable_time(starts_at, NOW, minimum_notice_hours=24, horizon_days=42)


def test_a_start_in_the_past_or_now_is_refused():
    with pytest.raises(SlotInPast):
        check(NOW - timedelta(minutes=1))
    with pytest.raises(SlotInPast):
        check(NOW)


def test_minimum_notice_edges():
    with pytest.raises(NoticeTooShort):
        check(NOW + timedelta(hours=24) - timedelta(seconds=1))
    check(NOW + timedelta(hours=24))


def test_horizon_edges():
    check(NOW + timedelta(days=42))
    with pytest.raises(BeyondHorizon):
        check(NOW + timedelta(days=42, seconds=1))


def test_cutoff_edges():
    start = NOW + timedelta(hours=2)
    rules.check_can_change(start, NOW)
    assert rules.can_change(start, NOW)
    with pytest.raises(TooLateToChange):
        rules.check_can_change(start, NOW + timedelta(seconds=1))
    assert not rules.can_change(start, NOW + timedelta(seconds=1))


def test_two_upcoming_bookings_at_most():
    rules.check_upcoming_count(1)
    with pytest.raises(TooManyBookings):
        rules.check_upcoming_count(2)


def test_reason_detail_length():
    rules.check_reason_detail("x" * 500)
    with pytest.raises(ReasonDetailTooLong):
        rules.check_reason_detail("x" * 501)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("01.23.45.67.89", "+33123456789"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("0590 12 34 56", "+590590123456"),  # Guadeloupe written nationally
        ("06 90 12 34 56", "+590690123456"),
        ("0262 12 34 56", "+262262123456"),  # La Réunion
        ("0639 12 34 56", "+262639123456"),  # Mayotte (mobile)
        ("+33 694 12 34 56", "+594694123456"),  # Guyane written with +33
        ("0590 12 34 5", None),  # one digit short
        ("+590 590 12 34 56", "+590590123456"),
        ("+262 692 12 34 56", "+262692123456"),
        ("+687 12 34 56", "+687123456"),
        ("+689 87 12 34 56", "+68987123456"),
        ("06 12 34 56", None),
        ("00 12 34 56 78", None),
        ("+44 20 7946 0958", None),
        ("+33 6 12 34 56 78 9", None),
        ("06-12-34-56-7a", None),
        ("", None),
    ],
)
def test_phone_numbers(text, expected):
    if expected is None:
        with pytest.raises(InvalidPhoneNumber):
            normalise_phone(text)
    else:
        assert normalise_phone(text) == expected


def test_reminder_is_due_at_nine_local_the_day_before():
    # Tuesday 2 June 2026 10:00 in Paris (08:00 UTC): due Monday 09:00 Paris = 07:00 UTC.
    start = datetime(2026, 6, 2, 8, tzinfo=UTC)
    assert reminder_due_at(start, "Europe/Paris") == datetime(2026, 6, 1, 7, tzinfo=UTC)
    # La Réunion (UTC+4): a 08:00 local start on 2 June is 04:00 UTC; due 1 June 05:00 UTC.
    start = datetime(2026, 6, 2, 4, tzinfo=UTC)
    assert reminder_due_at(start, "Indian/Reunion") == datetime(2026, 6, 1, 5, tzinfo=UTC)
