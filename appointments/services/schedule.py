"""Reading a service's schedule from the database and answering "which slots are free?"."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Q

from appointments.models import Closure, OpeningHours, Service, Slot
from appointments.rules import calendar
from appointments.rules.errors import SlotClosed
from cpam_portal.public_holidays import public_holidays


@dataclass(frozen=True)
class SlotChoice:
    """A slot as the picker shows it: UTC instants, the office's wall times, seats left."""

    starts_at: datetime
    ends_at: datetime
    local_starts_at: datetime
    local_ends_at: datetime
    seats_left: int

    @property
    def is_available(self) -> bool:
        return self.seats_left > 0


def opening_of(service: Service) -> list[calendar.OpeningRange]:
    return [
        calendar.OpeningRange(h.weekday, h.starts_at, h.ends_at)
        for h in OpeningHours.objects.filter(service=service)
    ]


def closures_of(service: Service, first_day: date, last_day: date) -> list[calendar.ClosedPeriod]:
    rows = Closure.objects.filter(
        Q(service__isnull=True) | Q(service=service),
        office_id=service.office_id,
        first_day__lte=last_day,
        last_day__gte=first_day,
    )
    return [calendar.ClosedPeriod(c.first_day, c.last_day, c.reason) for c in rows]


def holidays_of(service: Service, first_day: date, last_day: date) -> dict[date, str]:
    return public_holidays(
        service.office.fund.department_code, range(first_day.year, last_day.year + 1)
    )


def slot_times(service: Service, first_day: date, last_day: date) -> list[calendar.SlotTime]:
    """Every slot the service opens from first_day to last_day (local days, both included)."""
    return calendar.open_slots(
        first_day,
        last_day,
        opening_of(service),
        service.slot_minutes,
        service.time_zone,
        closures_of(service, first_day, last_day),
        holidays_of(service, first_day, last_day),
    )


def slot_time_at(service: Service, starts_at: datetime) -> calendar.SlotTime:
    """The slot of `service` starting at this instant; SlotClosed if none does."""
    day = calendar.local_day(starts_at, service.time_zone)
    for slot_time in slot_times(service, day, day):
        if slot_time.starts_at == starts_at:
            return slot_time
    raise SlotClosed


def available_slots(
    service: Service, *, first_day: date, last_day: date, now: datetime
) -> list[SlotChoice]:
    """Slots from first_day to last_day that may be booked at `now`, full ones included.

    Leaves out slots inside the minimum notice, beyond the horizon, and blocked ones; a full
    slot is listed with seats_left 0 so the picker can show it as taken. Three queries plus
    the service's office and fund when not already loaded.
    """
    earliest = now + timedelta(hours=service.minimum_notice_hours)
    latest = now + timedelta(days=service.horizon_days)
    times = [
        t for t in slot_times(service, first_day, last_day) if earliest <= t.starts_at <= latest
    ]
    if not times:
        return []
    counters = {
        row["starts_at"]: row
        for row in Slot.objects.filter(
            service=service, starts_at__gte=times[0].starts_at, starts_at__lte=times[-1].starts_at
        ).values("starts_at", "is_blocked", "booked", "capacity")
    }
    choices = []
    for t in times:
        row = counters.get(t.starts_at)
        if row and row["is_blocked"]:
            continue
        taken = row["booked"] if row else 0
        choices.append(
            SlotChoice(
                t.starts_at,
                t.ends_at,
                t.local_starts_at,
                t.local_ends_at,
                max(service.capacity - taken, 0),
            )
        )
    return choices


def take_seat(
    service: Service, slot_time: calendar.SlotTime, *, also_lock: int | None = None
) -> Slot | None:
    """Take one seat of the slot in one conditional UPDATE; None when blocked or full.

    The row is created on first use (INSERT … ON CONFLICT DO NOTHING). The UPDATE's condition
    `booked < capacity` is evaluated by PostgreSQL on the latest row version after any
    concurrent update commits, and a check constraint keeps booked within 0..capacity.
    `also_lock`: the slot a move leaves; both rows are locked first in id order, so two people
    swapping slots at the same time cannot deadlock.
    """
    Slot.objects.bulk_create(
        [
            Slot(
                service=service,
                starts_at=slot_time.starts_at,
                ends_at=slot_time.ends_at,
                capacity=service.capacity,
            )
        ],
        ignore_conflicts=True,
    )
    if also_lock is not None:
        target = Q(service=service, starts_at=slot_time.starts_at) | Q(pk=also_lock)
        list(Slot.objects.select_for_update(no_key=True).filter(target).order_by("pk"))
    taken = Slot.objects.filter(
        service=service,
        starts_at=slot_time.starts_at,
        is_blocked=False,
        booked__lt=service.capacity,
    ).update(booked=F("booked") + 1, capacity=service.capacity)
    if not taken:
        return None
    return Slot.objects.get(service=service, starts_at=slot_time.starts_at)


def release_seat(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
