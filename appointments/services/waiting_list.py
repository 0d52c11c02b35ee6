"""The waiting list for an earlier slot: a freed seat is held for the next person in line, who
has OFFER_HOLD to accept it; then it goes to the next one, then back to everybody.

The held seat counts in the slot's `booked` counter, so nobody else can take it meanwhile, and
accepting it goes through the same database guarantee as any booking.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from affiliation.models import InsuredPerson
from appointments.models import Booking, BookingStatus, Service, Slot, SlotOffer, WaitingListEntry
from appointments.rules import booking as rules
from appointments.rules.calendar import SlotTime
from appointments.rules.errors import AlreadyWaiting, AppointmentError, OfferNotAvailable
from appointments.services import mail, schedule


def join_waiting_list(
    person: InsuredPerson,
    service: Service,
    *,
    booking: Booking | None = None,
    reason: str = "",
    reason_detail: str = "",
    callback_phone: str = "",
    language: str = "fr",
    now: datetime,
) -> WaitingListEntry:
    """Ask for an earlier slot of `service` than `booking` (or for any slot when None).

    Without a booking the reason (and the phone for a call-back) are asked now, as for a
    booking, since accepting an offer books directly. AlreadyWaiting if the person already
    waits for this service.
    """
    from appointments.services.booking import clean_request, lock_person

    if booking is not None:
        if booking.person_id != person.pk or booking.status != BookingStatus.BOOKED:
            raise AppointmentError
        service = booking.service
        reason, reason_detail, callback_phone = (
            booking.reason,
            booking.reason_detail,
            booking.callback_phone,
        )
    service = Service.objects.select_related("office__fund").get(pk=service.pk)
    reason_detail, phone = clean_request(
        service, reason=reason, reason_detail=reason_detail, callback_phone=callback_phone
    )
    with transaction.atomic():
        lock_person(person)
        if WaitingListEntry.objects.filter(
            person=person,
            service=service,
            status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED],
        ).exists():
            raise AlreadyWaiting
        return WaitingListEntry.objects.create(
            person=person,
            service=service,
            booking=booking,
            reason=reason,
            reason_detail=reason_detail,
            callback_phone=phone,
            language=language,
        )


def withdraw_from_waiting_list(entry: WaitingListEntry, *, now: datetime) -> None:
    """Leave the waiting list; a seat held for this person goes to the next one."""
    with transaction.atomic():
        entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status not in (WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED):
            return
        entry.status = WaitingListEntry.Status.WITHDRAWN
        entry.save(update_fields=["status"])
        for offer in SlotOffer.objects.select_for_update().filter(
            entry=entry, status=SlotOffer.Status.PENDING
        ):
            _close_offer(offer, SlotOffer.Status.DECLINED, now=now)


def offer_freed_seat(slot_id: int, *, now: datetime) -> SlotOffer | None:
    """Hold the seat just freed in `slot_id` for the first waiting person it suits, and write
    them the offer. None when nobody waits for it or the slot is too close to be offered."""
    slot = Slot.objects.select_related("service__office__fund").get(pk=slot_id)
    service = slot.service
    if slot.is_blocked or not service.is_active:
        return None
    try:
        rules.check_bookable_time(
            slot.starts_at,
            now,
            minimum_notice_hours=service.minimum_notice_hours,
            horizon_days=service.horizon_days,
        )
    except AppointmentError:
        return None
    expires_at = min(now + rules.OFFER_HOLD, slot.starts_at - rules.CHANGE_CUTOFF)
    if expires_at <= now:
        return None
    entry = (
        WaitingListEntry.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(service=service, status=WaitingListEntry.Status.WAITING)
        # Earlier than the booking to move; a person with no booking takes any slot.
        .filter(Q(booking__isnull=True) | Q(booking__starts_at__gt=slot.starts_at))
        .exclude(offers__slot=slot)
        .exclude(
            Exists(
                Booking.objects.filter(
                    person=OuterRef("person"), slot=slot, status=BookingStatus.BOOKED
                )
            )
        )
        .select_related("person__user", "service__office__fund")
        .order_by("created_at", "pk")
        .first()
    )
    if entry is None:
        return None
    held = schedule.take_seat(service, _slot_time(slot))
    if held is None:
        return None  # someone booked the seat in between
    offer = SlotOffer.objects.create(entry=entry, slot=slot, created_at=now, expires_at=expires_at)
    entry.status = WaitingListEntry.Status.OFFERED
    entry.save(update_fields=["status"])
    mail.send_offer_mail(offer)
    return offer


def _slot_time(slot: Slot) -> SlotTime:
    return SlotTime(slot.starts_at, slot.ends_at, slot.starts_at, slot.ends_at)


def _close_offer(offer: SlotOffer, status: str, *, now: datetime) -> None:
    """Close a pending offer without a booking: free its seat and offer it to the next."""
    offer.status = status
    offer.answered_at = now
    offer.save(update_fields=["status", "answered_at"])
    schedule.release_seat(offer.slot_id)
    offer_freed_seat(offer.slot_id, now=now)


def _lock_pending_offer(offer: SlotOffer, now: datetime) -> SlotOffer:
    offer = (
        SlotOffer.objects.select_for_update(of=("self",))
        .select_related("entry", "slot")
        .get(pk=offer.pk)
    )
    if offer.status != SlotOffer.Status.PENDING or offer.expires_at <= now:
        raise OfferNotAvailable
    return offer


def accept_offer(offer: SlotOffer, *, now: datetime) -> Booking:
    """Take the held seat: move the person's booking there, or book it when they had none.

    OfferNotAvailable when expired or already answered; TooManyBookings when the person has
    since booked twice elsewhere (the offer stays open until it expires).
    """
    from appointments.services.booking import _lock_booking, lock_person, move_booking

    with transaction.atomic():
        person = lock_person(offer.entry.person)
        offer = _lock_pending_offer(offer, now)
        entry = WaitingListEntry.objects.select_for_update().get(pk=offer.entry_id)
        slot = offer.slot
        current = entry.booking
        if current is not None:
            current = _lock_booking(current)
        if current is not None and current.status == BookingStatus.BOOKED:
            move_booking(current, slot, now=now)
            booking = current
        else:
            rules.check_upcoming_count(Booking.objects.for_person(person).upcoming(now).count())
            booking = Booking.objects.create(
                person=person,
                service=entry.service,
                slot=slot,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                reason=entry.reason,
                reason_detail=entry.reason_detail,
                callback_phone=entry.callback_phone,
                language=entry.language,
            )
            mail.write_calendar_mail(booking, mail.CONFIRMATION, now=now)
        offer.status = SlotOffer.Status.ACCEPTED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        entry.status = WaitingListEntry.Status.FULFILLED
        entry.save(update_fields=["status"])
    return booking


def decline_offer(offer: SlotOffer, *, now: datetime) -> None:
    """Turn down this slot but stay on the list; the seat goes to the next person."""
    with transaction.atomic():
        offer = _lock_pending_offer(offer, now)
        WaitingListEntry.objects.filter(pk=offer.entry_id).update(
            status=WaitingListEntry.Status.WAITING
        )
        _close_offer(offer, SlotOffer.Status.DECLINED, now=now)


def expire_offers(*, now: datetime) -> int:
    """Close the offers past their time, one transaction each; returns how many were closed.

    The person stays on the list (for another slot); the seat is offered to the next in line.
    Safe to run twice or concurrently: each offer is claimed with SKIP LOCKED and re-checked.
    """
    closed = 0
    while True:
        with transaction.atomic():
            offer = (
                SlotOffer.objects.select_for_update(skip_locked=True)
                .filter(status=SlotOffer.Status.PENDING, expires_at__lte=now)
                .order_by("expires_at", "pk")
                .first()
            )
            if offer is None:
                return closed
            WaitingListEntry.objects.filter(
                pk=offer.entry_id, status=WaitingListEntry.Status.OFFERED
            ).update(status=WaitingListEntry.Status.WAITING)
            _close_offer(offer, SlotOffer.Status.EXPIRED, now=now)
            closed += 1
