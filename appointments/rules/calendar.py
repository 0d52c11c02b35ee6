"""Slots of a service on given days, in the office's local time, stored as UTC instants.

Opening hours are wall-clock times. A slot starts at each multiple of the slot length from the
start of a range and must end by the range's end. Across a daylight-saving change:
- spring (the clocks jump 02:00 → 03:00): a wall time inside the gap does not exist, so no slot
  starts there; slots before and after keep their wall times;
- autumn (03:00 → 02:00, the hour 02:00–03:00 happens twice): each wall time is offered once,
  at its first occurrence (fold=0), so a range over that hour yields no duplicate slot.
Public holidays are the office's département's (`cpam_portal.public_holidays`): the caller
passes them in.
"""

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class OpeningRange:
    weekday: int  # Monday 0 … Sunday 6
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class ClosedPeriod:
    first_day: date
    last_day: date  # included
    reason: str = ""


@dataclass(frozen=True)
class SlotTime:
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    local_starts_at: datetime  # the office's wall time, aware
    local_ends_at: datetime


def is_closed_on(
    day: date, closures: Iterable[ClosedPeriod], holiday_days: Container[date]
) -> bool:
    """True on a public holiday or a day inside one of the closures."""
    return day in holiday_days or any(c.first_day <= day <= c.last_day for c in closures)


def _exists(local: datetime) -> bool:
    """False for a wall time skipped by a spring-forward change (it does not round-trip)."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def slots_on(
    day: date, opening: Iterable[OpeningRange], slot_minutes: int, time_zone: str
) -> list[SlotTime]:
    """Every slot of `day` from the opening ranges of its weekday, in start order, no duplicate.

    Closures and holidays are not looked at here (see `open_slots`).
    """
    zone = ZoneInfo(time_zone)
    length = timedelta(minutes=slot_minutes)
    starts: dict[datetime, SlotTime] = {}
    for hours in opening:
        if hours.weekday != day.weekday():
            continue
        wall = datetime.combine(day, hours.starts_at)
        end_wall = datetime.combine(day, hours.ends_at)
        while wall + length <= end_wall:
            local = wall.replace(tzinfo=zone)  # fold=0: the first of a repeated hour
            if _exists(local):
                start = local.astimezone(UTC)
                local_end = (wall + length).replace(tzinfo=zone)
                # A slot running into a spring gap ends at the real elapsed time.
                end = start + length if not _exists(local_end) else local_end.astimezone(UTC)
                if start not in starts:
                    starts[start] = SlotTime(start, end, local, end.astimezone(zone))
            wall += length
    return [starts[key] for key in sorted(starts)]


def open_slots(
    first_day: date,
    last_day: date,
    opening: Iterable[OpeningRange],
    slot_minutes: int,
    time_zone: str,
    closures: Iterable[ClosedPeriod],
    holiday_days: Container[date],
) -> list[SlotTime]:
    """Slots from `first_day` to `last_day` (both included) on the days the office receives."""
    opening, closures = list(opening), list(closures)
    result: list[SlotTime] = []
    day = first_day
    while day <= last_day:
        if not is_closed_on(day, closures, holiday_days):
            result.extend(slots_on(day, opening, slot_minutes, time_zone))
        day += timedelta(days=1)
    return result


def local_day(instant: datetime, time_zone: str) -> date:
    return instant.astimezone(ZoneInfo(time_zone)).date()
