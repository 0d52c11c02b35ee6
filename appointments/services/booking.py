"""Booking, cancelling and rescheduling an appointment: one transaction each.

Lock order everywhere: the person, then the booking, then the slot counter (by a conditional
UPDATE). The person's row lock serialises one person's requests, so the two-bookings rule holds
under concurrency; the slot's conditional UPDATE and check constraint keep every slot within its
capacity whatever the number of simultaneous requests.
"""

from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.models import User
from affiliation.models import InsuredPerson
from appointments.models import Booking, BookingStatus, Reason, Service, Slot, WaitingListEntry
from appointments.rules import booking as rules
from appointments.rules.errors import (
    AlreadyBookedThisSlot,
    BookingNotActive,
    PhoneRequired,
    SameSlot,
    ServiceUnavailable,
    SlotBlocked,
    SlotFull,
    UnknownReason,
)
from appointments.rules.phone import normalise_phone
from appointments.services import mail, schedule, waiting_list
from cpam_portal.history import note_change


def clean_request(
    service: Service, *, reason: str, reason_detail: str, callback_phone: str
) -> tuple[str, str]:
    """The reason detail and phone as stored; the first bad field raises its own error."""
    if reason not in Reason.values:
        raise UnknownReason
    reason_detail = (reason_detail or "").strip()
    rules.check_reason_detail(reason_detail)
    phone = ""
    if service.is_phone_callback:
        if not (callback_phone or "").strip():
            raise PhoneRequired
        phone = normalise_phone(callback_phone)
    return reason_detail, phone


def lock_person(person: InsuredPerson) -> InsuredPerson:
    return InsuredPerson.objects.select_for_update(no_key=True).get(pk=person.pk)


def _load_service(service: Service) -> Service:
    return Service.objects.select_related("office__fund").get(pk=service.pk)


def check_and_take_seat(
    service: Service, starts_at: datetime, *, now: datetime, leaving: int | None = None
) -> Slot:
    """Check a start is bookable at `now` and take one of its seats; each refusal its error.

    `leaving`: the slot a reschedule moves out of (locked together with the new one)."""
    if not service.is_active:
        raise ServiceUnavailable
    rules.check_bookable_time(
        starts_at,
        now,
        minimum_notice_hours=service.minimum_notice_hours,
        horizon_days=service.horizon_days,
    )
    slot_time = schedule.slot_time_at(service, starts_at)
    slot = schedule.take_seat(service, slot_time, also_lock=leaving)
    if slot is None:
        blocked = Slot.objects.filter(
            service=service, starts_at=starts_at, is_blocked=True
        ).exists()
        raise SlotBlocked if blocked else SlotFull
    return slot


def book(
    person: InsuredPerson,
    service: Service,
    starts_at: datetime,
    *,
    reason: str,
    reason_detail: str = "",
    callback_phone: str = "",
    language: str = "fr",
    now: datetime,
) -> Booking:
    """Book one seat of the slot of `service` starting at `starts_at` (UTC) for `person`.

    Refused, with nothing written: an inactive service (ServiceUnavailable), a start in the
    past (SlotInPast), inside the minimum notice (NoticeTooShort), beyond the horizon
    (BeyondHorizon), not a slot of an open day (SlotClosed), a blocked slot (SlotBlocked), a full
    one (SlotFull), a slot the person already holds (AlreadyBookedThisSlot), a third booking to
    come (TooManyBookings), a bad reason/detail/phone (UnknownReason, ReasonDetailTooLong,
    PhoneRequired, InvalidPhoneNumber). Writes the confirmation mail with its ICS.
    """
    service = _load_service(service)
    reason_detail, phone = clean_request(
        service, reason=reason, reason_detail=reason_detail, callback_phone=callback_phone
    )
    with transaction.atomic():
        person = lock_person(person)
        upcoming = Booking.objects.for_person(person).upcoming(now)
        if upcoming.filter(service=service, starts_at=starts_at).exists():
            raise AlreadyBookedThisSlot
        rules.check_upcoming_count(upcoming.count())
        slot = check_and_take_seat(service, starts_at, now=now)
        booking = Booking(
            person=person,
            service=service,
            slot=slot,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            reason=reason,
            reason_detail=reason_detail,
            callback_phone=phone,
            language=language,
        )
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as error:  # the partial unique constraint, as a last guard
            raise AlreadyBookedThisSlot from error
        mail.write_calendar_mail(booking, mail.CONFIRMATION, now=now)
    return booking


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("service__office__fund", "person__user")
        .get(pk=booking.pk)
    )


def cancel_booking(booking: Booking, *, now: datetime, by_staff: User | None = None) -> Booking:
    """Cancel a booking and free its seat, first offered to the waiting list.

    A person may cancel up to the cut-off (TooLateToChange after it); staff (`by_staff`, a user)
    at any time before it is marked. BookingNotActive when already cancelled or marked. Sends
    the cancellation (METHOD:CANCEL, sequence raised).
    """
    with transaction.atomic():
        lock_person(booking.person)
        booking = _lock_booking(booking)
        if booking.status != BookingStatus.BOOKED:
            raise BookingNotActive
        if by_staff is None:
            rules.check_can_change(booking.starts_at, now)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.status_changed_at = now
        booking.ics_sequence += 1
        if by_staff is not None:
            # django-simple-history reads the author of the change from this attribute.
            note_change(booking, by=by_staff)
        booking.save()
        schedule.release_seat(booking.slot_id)
        # A request to move this booking earlier has nothing left to move.
        WaitingListEntry.objects.filter(
            booking=booking, status=WaitingListEntry.Status.WAITING
        ).update(status=WaitingListEntry.Status.WITHDRAWN)
        mail.write_calendar_mail(booking, mail.CANCELLATION, now=now)
        waiting_list.offer_freed_seat(booking.slot_id, now=now)
    return booking


def move_booking(booking: Booking, slot: Slot, *, now: datetime) -> None:
    """Move a locked booking into `slot` (seat already taken), free the old seat, tell the person.

    Shared by reschedule and by accepting a waiting-list offer.
    """
    old_slot_id = booking.slot_id
    booking.slot = slot
    booking.starts_at = slot.starts_at
    booking.ends_at = slot.ends_at
    booking.ics_sequence += 1
    booking.reminder_sent_at = None  # the new date gets its own reminder
    booking.save()
    schedule.release_seat(old_slot_id)
    mail.write_calendar_mail(booking, mail.UPDATE, now=now)
    waiting_list.offer_freed_seat(old_slot_id, now=now)


def reschedule_booking(booking: Booking, starts_at: datetime, *, now: datetime) -> Booking:
    """Move a booking to another slot of the same service, up to the cut-off.

    Same refusals as `book` for the new slot (except the two-bookings rule: the count does not
    change), plus TooLateToChange, BookingNotActive and SameSlot. Sends the update (METHOD:REQUEST,
    same UID, sequence raised); the freed seat is offered to the waiting list.
    """
    with transaction.atomic():
        person = lock_person(booking.person)
        booking = _lock_booking(booking)
        if booking.status != BookingStatus.BOOKED:
            raise BookingNotActive
        rules.check_can_change(booking.starts_at, now)
        if starts_at == booking.starts_at:
            raise SameSlot
        if (
            Booking.objects.for_person(person)
            .booked()
            .filter(service=booking.service, starts_at=starts_at)
            .exists()
        ):
            raise AlreadyBookedThisSlot
        slot = check_and_take_seat(booking.service, starts_at, now=now, leaving=booking.slot_id)
        move_booking(booking, slot, now=now)
    return booking
