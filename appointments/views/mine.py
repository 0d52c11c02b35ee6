""" "Mes rendez-vous": the person's bookings, cancel, reschedule, the waiting list and its offers.

Every object is looked up inside the logged-in person's own bookings, entries and offers:
another person's is a 404. Times are shown in the office's local time.
"""

from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from affiliation.models import InsuredPerson
from appointments.forms.booking import SlotForm
from appointments.models import Booking, BookingStatus, SlotOffer, WaitingListEntry
from appointments.rules.booking import can_change
from appointments.rules.errors import AppointmentError
from appointments.services import booking as booking_services
from appointments.services import waiting_list
from appointments.views.picker import build_picker, parse_day, time_zone_label
from cpam_portal.languages import current_language

BOOKING_RELATED = ("service__office__fund",)


def person_required(view):
    """Logged in with a linked file: the view gets the person; otherwise a page says how to link."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = InsuredPerson.objects.for_user(request.user).first()
        if person is None:
            return render(
                request,
                "appointments/no_file.html",
                {"breadcrumb_data": {"links": [], "current": _("Mes rendez-vous")}},
            )
        return view(request, person, *args, **kwargs)

    return wrapper


def breadcrumb(current: str, *, booking: Booking | None = None) -> dict:
    links = [{"url": reverse("appointments:list"), "title": _("Mes rendez-vous")}]
    if booking is not None:
        links.append(
            {"url": reverse("appointments:detail", args=[booking.pk]), "title": _("Rendez-vous")}
        )
    return {"links": links, "current": current}


def wall_time(instant, zone: str):
    """The office's wall-clock time, naive: templates convert aware datetimes to the visitor's
    zone (Paris), which would show an overseas office's times shifted."""
    return timezone.localtime(instant, ZoneInfo(zone)).replace(tzinfo=None)


def with_local_times(booking: Booking, now) -> Booking:
    """Adds what the pages show: the office's wall times, its zone's name, whether it may change."""
    zone = booking.service.office.fund.time_zone
    booking.local_starts_at = wall_time(booking.starts_at, zone)
    booking.local_ends_at = wall_time(booking.ends_at, zone)
    booking.time_zone_label = time_zone_label(zone)
    booking.can_change = booking.status == BookingStatus.BOOKED and can_change(
        booking.starts_at, now
    )
    booking.is_upcoming = booking.status == BookingStatus.BOOKED and booking.starts_at > now
    return booking


def with_offer_times(offer: SlotOffer) -> SlotOffer:
    zone = offer.entry.service.office.fund.time_zone
    offer.local_starts_at = wall_time(offer.slot.starts_at, zone)
    offer.local_ends_at = wall_time(offer.slot.ends_at, zone)
    offer.local_expires_at = wall_time(offer.expires_at, zone)
    offer.time_zone_label = time_zone_label(zone)
    return offer


def put_error_on_form(form, error: AppointmentError) -> None:
    """The service's refusal next to the field it names, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


# --- The list -------------------------------------------------------------------------------


@person_required
def booking_list(request, person):
    now = timezone.now()
    bookings = [
        with_local_times(booking, now)
        for booking in Booking.objects.for_person(person)
        .select_related(*BOOKING_RELATED)
        .order_by("-starts_at", "-pk")[:100]
    ]
    upcoming = sorted((b for b in bookings if b.is_upcoming), key=lambda b: b.starts_at)
    past = [b for b in bookings if not b.is_upcoming]
    pending_offers = SlotOffer.objects.filter(
        status=SlotOffer.Status.PENDING, expires_at__gt=now
    ).select_related("slot")
    entries = (
        WaitingListEntry.objects.filter(
            person=person,
            status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED],
        )
        .select_related("service__office__fund", "booking")
        .prefetch_related(Prefetch("offers", queryset=pending_offers, to_attr="pending_offers"))
        .order_by("created_at", "pk")
    )
    entries = list(entries)
    for entry in entries:
        for offer in entry.pending_offers:
            offer.entry = entry
            with_offer_times(offer)
    return render(
        request,
        "appointments/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "entries": entries,
            "breadcrumb_data": {"links": [], "current": _("Mes rendez-vous")},
        },
    )


# --- One booking ----------------------------------------------------------------------------


def my_booking(person, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.for_person(person).select_related(*BOOKING_RELATED), pk=pk
    )


@person_required
def booking_detail(request, person, pk: int):
    now = timezone.now()
    booking = with_local_times(my_booking(person, pk), now)
    is_waiting = WaitingListEntry.objects.filter(
        person=person,
        service=booking.service,
        status__in=[WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED],
    ).exists()
    return render(
        request,
        "appointments/detail.html",
        {
            "booking": booking,
            "is_confirmation": request.resolver_match.url_name == "confirmed",
            "is_waiting": is_waiting,
            "email": request.user.email,
            "breadcrumb_data": breadcrumb(_("Rendez-vous")),
        },
    )


@person_required
@require_http_methods(["GET", "POST"])
def cancel(request, person, pk: int):
    now = timezone.now()
    booking = with_local_times(my_booking(person, pk), now)
    error = None
    if request.method == "POST":
        try:
            booking_services.cancel_booking(booking, now=now)
        except AppointmentError as refusal:
            error = str(refusal.message)
        else:
            messages.success(
                request,
                _("Votre rendez-vous est annulé. Un e-mail de confirmation vous est envoyé."),
            )
            return redirect("appointments:list")
    return render(
        request,
        "appointments/cancel.html",
        {
            "booking": booking,
            "error": error,
            "action_url": reverse("appointments:cancel", args=[booking.pk]),
            "back_url": reverse("appointments:detail", args=[booking.pk]),
            "breadcrumb_data": breadcrumb(_("Annuler"), booking=booking),
        },
        status=409 if error else 200,
    )


def reschedule_page(request, booking: Booking, *, now, template_context: dict):
    """The slot picker for moving `booking`; returns (form, moved booking or None, context)."""
    form = SlotForm(request.POST or None)
    moved = None
    if request.method == "POST" and form.is_valid():
        try:
            moved = booking_services.reschedule_booking(
                booking, form.cleaned_data["starts_at"], now=now
            )
        except AppointmentError as refusal:
            put_error_on_form(form, refusal)
    selected = form.cleaned_data.get("starts_at") if form.is_bound else None
    picker = build_picker(
        booking.service,
        now=now,
        week_start=parse_day(request.GET.get("semaine")),
        selected=selected,
        exclude=booking.starts_at,
    )
    return form, moved, {"form": form, "picker": picker, "booking": booking, **template_context}


@person_required
@require_http_methods(["GET", "POST"])
def reschedule(request, person, pk: int):
    now = timezone.now()
    booking = with_local_times(my_booking(person, pk), now)
    form, moved, context = reschedule_page(
        request,
        booking,
        now=now,
        template_context={
            "back_url": reverse("appointments:detail", args=[booking.pk]),
            "breadcrumb_data": breadcrumb(_("Déplacer"), booking=booking),
        },
    )
    if moved is not None:
        messages.success(
            request,
            _("Votre rendez-vous est déplacé. Un e-mail avec la nouvelle date vous est envoyé."),
        )
        return redirect("appointments:detail", pk=moved.pk)
    return render(request, "appointments/reschedule.html", context)


@person_required
@require_POST
def join_waiting_list(request, person, pk: int):
    booking = my_booking(person, pk)
    try:
        waiting_list.join_waiting_list(
            person,
            booking.service,
            booking=booking,
            language=current_language(),
            now=timezone.now(),
        )
    except AppointmentError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(
            request,
            _(
                "Vous êtes sur la liste d'attente : si un créneau plus tôt se libère, il vous "
                "sera proposé par e-mail."
            ),
        )
    return redirect("appointments:detail", pk=booking.pk)


@person_required
@require_POST
def withdraw(request, person, pk: int):
    entry = get_object_or_404(WaitingListEntry.objects.filter(person=person), pk=pk)
    waiting_list.withdraw_from_waiting_list(entry, now=timezone.now())
    messages.success(request, _("Vous n'êtes plus sur la liste d'attente."))
    return redirect("appointments:list")


# --- Waiting-list offers --------------------------------------------------------------------


def answer_offer(request, offer: SlotOffer, *, now) -> tuple[Booking | None, str | None, bool]:
    """Accept or decline from a POST: (booking when accepted, error text, declined)."""
    try:
        if request.POST.get("answer") == "decline":
            waiting_list.decline_offer(offer, now=now)
            return None, None, True
        return waiting_list.accept_offer(offer, now=now), None, False
    except AppointmentError as refusal:
        return None, str(refusal.message), False


def offer_context(offer: SlotOffer, now) -> dict:
    with_offer_times(offer)
    current = offer.entry.booking
    if current is not None:
        with_local_times(current, now)
    return {
        "offer": offer,
        "service": offer.entry.service,
        "current": current if current is not None and current.is_upcoming else None,
        "is_open": offer.status == SlotOffer.Status.PENDING and offer.expires_at > now,
    }


@person_required
@require_http_methods(["GET", "POST"])
def offer_detail(request, person, pk: int):
    now = timezone.now()
    offer = get_object_or_404(
        SlotOffer.objects.filter(entry__person=person).select_related(
            "slot", "entry__service__office__fund", "entry__booking__service__office__fund"
        ),
        pk=pk,
    )
    error = None
    if request.method == "POST":
        booking, error, declined = answer_offer(request, offer, now=now)
        if booking is not None:
            messages.success(
                request, _("Le créneau proposé est à vous. Un e-mail vous le confirme.")
            )
            return redirect("appointments:detail", pk=booking.pk)
        if declined:
            messages.info(request, _("Proposition refusée : vous restez sur la liste d'attente."))
            return redirect("appointments:list")
    return render(
        request,
        "appointments/offer.html",
        {
            **offer_context(offer, now),
            "error": error,
            "action_url": reverse("appointments:offer_detail", args=[offer.pk]),
            "breadcrumb_data": breadcrumb(_("Créneau proposé")),
        },
        status=409 if error else 200,
    )
