"""What counter staff do with the agenda: read it, mark attendance, block a slot."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from appointments.models import Booking, BookingStatus, Service, Slot
from appointments.rules.calendar import SlotTime
from appointments.rules.errors import BookingNotActive, NotStarted
from appointments.services import schedule
from cpam_portal.history import note_change


@dataclass
class AgendaSlot:
    starts_at: datetime  # UTC
    ends_at: datetime
    local_starts_at: datetime
    local_ends_at: datetime
    capacity: int
    booked: int  # bookings and seats held for a waiting-list offer
    is_blocked: bool
    block_reason: str
    bookings: list[Booking] = field(default_factory=list)

    @property
    def seats_left(self) -> int:
        return 0 if self.is_blocked else max(self.capacity - self.booked, 0)


@dataclass
class AgendaDay:
    day: date
    slots: list[AgendaSlot]
    is_closed: bool  # holiday or closure: no opening slot (bookings made before may remain)


@dataclass
class Agenda:
    service: Service
    first_day: date
    days: list[AgendaDay]

    @property
    def bookings(self) -> list[Booking]:
        return [b for d in self.days for s in d.slots for b in s.bookings]


def agenda_for(service: Service, *, first_day: date, days: int = 1) -> Agenda:
    """The agenda of `service` over `days` local days from `first_day` (1 for a day, 7 for a
    week): every opening slot with its counter and its bookings (cancelled ones left out), each
    booking with its person (name, e-mail, phone) and user loaded.

    Constant number of queries whatever the number of bookings: service, opening hours,
    closures, slots, bookings with persons.
    """
    service = Service.objects.select_related("office__fund").get(pk=service.pk)
    zone = ZoneInfo(service.time_zone)
    last_day = first_day + timedelta(days=days - 1)
    times = schedule.slot_times(service, first_day, last_day)
    window_start = datetime.combine(first_day, datetime.min.time(), tzinfo=zone)
    window_end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    counters = {
        s.starts_at: s
        for s in Slot.objects.filter(
            service=service, starts_at__gte=window_start, starts_at__lt=window_end
        )
    }
    bookings = (
        Booking.objects.filter(
            service=service, starts_at__gte=window_start, starts_at__lt=window_end
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("person__user")
        .order_by("starts_at", "person__last_name", "pk")
    )
    by_start: dict[datetime, list[Booking]] = {}
    for booking in bookings:
        by_start.setdefault(booking.starts_at, []).append(booking)
    # Slots outside today's opening hours that still hold bookings (hours changed, closure
    # added after booking) are shown too: staff must see every person expected.
    known = {t.starts_at for t in times}
    for start, slot in counters.items():
        if start not in known and (start in by_start or slot.is_blocked):
            times.append(
                SlotTime(slot.starts_at, slot.ends_at, slot.starts_at.astimezone(zone),
                         slot.ends_at.astimezone(zone))
            )  # fmt: skip
    times.sort(key=lambda t: t.starts_at)
    agenda_days = {
        first_day + timedelta(days=n): AgendaDay(first_day + timedelta(days=n), [], True)
        for n in range(days)
    }
    for t in times:
        counter = counters.get(t.starts_at)
        agenda_slot = AgendaSlot(
            t.starts_at,
            t.ends_at,
            t.local_starts_at,
            t.local_ends_at,
            counter.capacity if counter else service.capacity,
            counter.booked if counter else 0,
            bool(counter and counter.is_blocked),
            counter.block_reason if counter else "",
            by_start.get(t.starts_at, []),
        )
        day = agenda_days[t.local_starts_at.date()]
        day.slots.append(agenda_slot)
        day.is_closed = False
    return Agenda(service, first_day, list(agenda_days.values()))


def _mark(booking: Booking, status: str, *, by: User, now: datetime) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == BookingStatus.CANCELLED:
            raise BookingNotActive
        if now < booking.starts_at:
            raise NotStarted
        booking.status = status
        booking.status_changed_at = now
        note_change(booking, by=by)
        booking.save(update_fields=["status", "status_changed_at"])
    return booking


def mark_attendance(booking: Booking, status: str, *, by: User, now: datetime) -> Booking:
    """Mark a booking "attended" or "no_show" (BookingStatus values); see mark_attended."""
    if status not in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        raise ValueError(status)
    return _mark(booking, status, by=by, now=now)


def mark_attended(booking: Booking, *, by: User, now: datetime) -> Booking:
    """The person came (or was called back). Allowed from the start on, and to correct a
    no-show; BookingNotActive for a cancelled booking, NotStarted before the start."""
    return _mark(booking, BookingStatus.ATTENDED, by=by, now=now)


def mark_no_show(booking: Booking, *, by: User, now: datetime) -> Booking:
    """The person did not come (or did not answer the call-back); same rules as mark_attended."""
    return _mark(booking, BookingStatus.NO_SHOW, by=by, now=now)


def block_slot(
    service: Service, starts_at: datetime, *, by: User, reason: str = "", now: datetime
) -> Slot:
    """Take a slot out of booking (a counsellor absent, a meeting). Bookings already in it stay
    (the agenda shows them for staff to call); SlotClosed if no slot starts there."""
    service = Service.objects.select_related("office__fund").get(pk=service.pk)
    slot_time = schedule.slot_time_at(service, starts_at)
    with transaction.atomic():
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
        Slot.objects.filter(service=service, starts_at=slot_time.starts_at).update(
            is_blocked=True, blocked_by=by, blocked_at=now, block_reason=reason[:120]
        )
        return Slot.objects.get(service=service, starts_at=slot_time.starts_at)


def unblock_slot(slot: Slot, *, by: User, now: datetime) -> Slot:
    """Open a blocked slot again."""
    Slot.objects.filter(pk=slot.pk).update(
        is_blocked=False, blocked_by=None, blocked_at=None, block_reason=""
    )
    slot.refresh_from_db()
    return slot
