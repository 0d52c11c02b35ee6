"""Slot generation in the office's local time: DST changes, public holidays, closures."""

from datetime import UTC, date, datetime, time

from appointments.rules.calendar import (
    ClosedPeriod,
    OpeningRange,
    open_slots,
    slots_on,
)
from cpam_portal.public_holidays import public_holidays

PARIS = "Europe/Paris"
MORNING = OpeningRange(0, time(9), time(12))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def starts(slots):
    return [s.starts_at for s in slots]


def test_weekday_slots_follow_the_wall_clock_across_the_march_change():
    # Monday 23 March 2026 is in winter time (UTC+1), Monday 30 March in summer time (UTC+2).
    before = slots_on(date(2026, 3, 23), [MORNING], 60, PARIS)
    after = slots_on(date(2026, 3, 30), [MORNING], 60, PARIS)
    assert starts(before) == [utc(2026, 3, 23, 8), utc(2026, 3, 23, 9), utc(2026, 3, 23, 10)]
    assert starts(after) == [utc(2026, 3, 30, 7), utc(2026, 3, 30, 8), utc(2026, 3, 30, 9)]
    assert [s.local_starts_at.hour for s in after] == [9, 10, 11]


def test_spring_forward_drops_only_the_wall_times_that_do_not_exist():
    # Sunday 29 March 2026: 02:00 becomes 03:00. A night duty 01:00–04:00 in 30-minute slots.
    night = OpeningRange(6, time(1), time(4))
    slots = slots_on(date(2026, 3, 29), [night], 30, PARIS)
    assert [s.local_starts_at.strftime("%H:%M") for s in slots] == [
        "01:00",
        "01:30",
        "03:00",
        "03:30",
    ]
    assert starts(slots) == [
        utc(2026, 3, 29, 0),
        utc(2026, 3, 29, 0, 30),
        utc(2026, 3, 29, 1),
        utc(2026, 3, 29, 1, 30),
    ]
    # The slot before the gap lasts its 30 real minutes and ends at 03:00 local.
    assert slots[1].ends_at == utc(2026, 3, 29, 1)
    assert slots[1].local_ends_at.strftime("%H:%M") == "03:00"


def test_fall_back_offers_each_wall_time_once():
    # Sunday 25 October 2026: 03:00 goes back to 02:00; the hour 02:00–03:00 happens twice.
    night = OpeningRange(6, time(1), time(4))
    slots = slots_on(date(2026, 10, 25), [night], 30, PARIS)
    wall_times = [s.local_starts_at.strftime("%H:%M") for s in slots]
    assert wall_times == ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
    assert len(set(starts(slots))) == 6
    # 02:00 is its first occurrence (summer time, UTC+2); 03:00 is in winter time (UTC+1).
    assert slots[2].starts_at == utc(2026, 10, 25, 0)
    assert slots[4].starts_at == utc(2026, 10, 25, 2)
    assert starts(slots) == sorted(starts(slots))


def test_weekday_slots_follow_the_wall_clock_across_the_october_change():
    before = slots_on(date(2026, 10, 19), [MORNING], 60, PARIS)
    after = slots_on(date(2026, 10, 26), [MORNING], 60, PARIS)
    assert starts(before)[0] == utc(2026, 10, 19, 7)
    assert starts(after)[0] == utc(2026, 10, 26, 8)
    assert len(before) == len(after) == 3


def test_several_ranges_a_day_and_a_slot_must_fit_before_the_end():
    ranges = [OpeningRange(1, time(9), time(10, 45)), OpeningRange(1, time(14), time(15))]
    slots = slots_on(date(2026, 6, 2), ranges, 30, PARIS)  # a Tuesday
    assert [s.local_starts_at.strftime("%H:%M") for s in slots] == [
        "09:00",
        "09:30",
        "10:00",
        "14:00",
        "14:30",
    ]


def test_overlapping_ranges_give_no_duplicate():
    ranges = [OpeningRange(1, time(9), time(11)), OpeningRange(1, time(10), time(12))]
    slots = slots_on(date(2026, 6, 2), ranges, 60, PARIS)
    assert [s.local_starts_at.hour for s in slots] == [9, 10, 11]


def test_overseas_office_slots_are_in_its_own_zone():
    # La Réunion is UTC+4 all year; Guadeloupe UTC-4.
    reunion = slots_on(date(2026, 6, 1), [MORNING], 60, "Indian/Reunion")
    guadeloupe = slots_on(date(2026, 6, 1), [MORNING], 60, "America/Guadeloupe")
    assert starts(reunion)[0] == utc(2026, 6, 1, 5)
    assert starts(guadeloupe)[0] == utc(2026, 6, 1, 13)


def week_of_slots(department, first_day, last_day, closures=()):
    opening = [OpeningRange(d, time(9), time(10)) for d in range(7)]
    holidays = public_holidays(department, range(first_day.year, last_day.year + 1))
    slots = open_slots(first_day, last_day, opening, 60, PARIS, closures, holidays)
    return {s.local_starts_at.date() for s in slots}


def test_easter_monday_is_closed_everywhere():
    days = week_of_slots("75", date(2026, 4, 3), date(2026, 4, 7))
    assert date(2026, 4, 6) not in days
    assert date(2026, 4, 7) in days


def test_good_friday_is_closed_in_alsace_moselle_only():
    good_friday = date(2026, 4, 3)
    assert good_friday in week_of_slots("75", good_friday, good_friday)
    for department in ("57", "67", "68"):
        assert good_friday not in week_of_slots(department, good_friday, good_friday)


def test_saint_stephen_is_closed_in_alsace_moselle_only():
    day = date(2025, 12, 26)
    assert week_of_slots("13", day, day) == {day}
    assert week_of_slots("68", day, day) == set()


def test_overseas_departments_close_on_their_own_holidays():
    guadeloupe_abolition = date(2026, 5, 27)
    reunion_abolition = date(2026, 12, 20)
    assert week_of_slots("971", guadeloupe_abolition, guadeloupe_abolition) == set()
    assert week_of_slots("75", guadeloupe_abolition, guadeloupe_abolition) == {guadeloupe_abolition}
    assert week_of_slots("974", reunion_abolition, reunion_abolition) == set()
    assert week_of_slots("971", reunion_abolition, reunion_abolition) == {reunion_abolition}
    assert date(2026, 4, 27) in public_holidays("976", [2026])  # Mayotte


def test_a_closure_covers_its_first_and_last_days():
    closure = ClosedPeriod(date(2026, 6, 2), date(2026, 6, 4), "Travaux")
    days = week_of_slots("75", date(2026, 6, 1), date(2026, 6, 5), [closure])
    assert days == {date(2026, 6, 1), date(2026, 6, 5)}
