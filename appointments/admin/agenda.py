"""The staff agenda: a day and a week of a service's slots with each booking's reason and
contact, attendance marking, slot blocking, and a printable list of the day.

Every page needs `appointments.manage_agenda` (granted to "Agents d'accueil",
appointments.permissions). Showing bookings is a read of personal data: one AccessLog row per
booking shown, written in one INSERT (the fields cpam_portal.audit.record_access writes).
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_guid import get_guid

from appointments.forms.agenda import AttendanceForm, BlockSlotForm
from appointments.forms.booking import slot_value
from appointments.models import Booking, Service, Slot
from appointments.rules.errors import AppointmentError
from appointments.services import staff
from appointments.views.picker import time_zone_label
from cpam_portal.models import AccessLog

AGENDA_PERMISSION = "appointments.manage_agenda"


def check_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(AGENDA_PERMISSION):
        raise PermissionDenied


def record_agenda_reads(user, bookings: list[Booking], *, detail: str) -> None:
    """One access trace per booking shown (who read whose appointment, reason and contact)."""
    request_id = get_guid() or ""
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                action=AccessLog.Action.VIEW,
                object_type=booking._meta.label_lower,
                object_id=str(booking.pk),
                insured_person_id=booking.person_id,
                detail=detail[:200],
                request_id=request_id,
            )
            for booking in bookings
        ]
    )


def agenda_service(service_id: int) -> Service:
    return get_object_or_404(Service.objects.select_related("office__fund"), pk=service_id)


def today_of(service: Service) -> date:
    return timezone.now().astimezone(ZoneInfo(service.time_zone)).date()


def requested_day(request: HttpRequest, service: Service, name: str = "jour") -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return today_of(service)


def contact_of(booking: Booking) -> str:
    """The number to call for a call-back; otherwise the person's phone, else their e-mail."""
    person = booking.person
    if booking.callback_phone:
        return booking.callback_phone
    return person.phone or (person.user.email if person.user_id else person.email)


def agenda_context(request, model_admin, service: Service, agenda, *, title: str) -> dict:
    now = timezone.now()
    for day in agenda.days:
        day.label = formats.date_format(day.day, "l j F Y")
        for slot in day.slots:
            slot.value = slot_value(slot.starts_at)
            slot.has_started = slot.starts_at <= now
            for booking in slot.bookings:
                booking.contact = contact_of(booking)
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "service": service,
        "office": service.office,
        "agenda": agenda,
        "time_zone_label": time_zone_label(service.time_zone),
        "attendance_url": "admin:appointments_service_agenda_attendance",
        "can_act": True,
    }


@require_GET
def day_view(request, model_admin, service_id: int, *, printable: bool = False):
    check_permission(request)
    service = agenda_service(service_id)
    day = requested_day(request, service)
    agenda = staff.agenda_for(service, first_day=day, days=1)
    record_agenda_reads(
        request.user,
        agenda.bookings,
        detail=f"agenda {'imprimé' if printable else 'du jour'} {day}",
    )
    context = agenda_context(
        request,
        model_admin,
        service,
        agenda,
        title=_("Agenda du %(day)s") % {"day": formats.date_format(day, "l j F Y")},
    )
    context.update(
        {
            "day": day,
            "agenda_day": agenda.days[0],
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "week_start": day - timedelta(days=day.weekday()),
            "printable": printable,
            "block_form": BlockSlotForm(),
        }
    )
    template = (
        "admin/appointments/agenda_print.html"
        if printable
        else "admin/appointments/agenda_day.html"
    )
    return render(request, template, context)


@require_GET
def week_view(request, model_admin, service_id: int):
    check_permission(request)
    service = agenda_service(service_id)
    first_day = requested_day(request, service, "du")
    first_day -= timedelta(days=first_day.weekday())  # weeks start on Monday
    agenda = staff.agenda_for(service, first_day=first_day, days=7)
    record_agenda_reads(request.user, agenda.bookings, detail=f"agenda de la semaine {first_day}")
    context = agenda_context(
        request,
        model_admin,
        service,
        agenda,
        title=_("Agenda de la semaine du %(day)s")
        % {"day": formats.date_format(first_day, "j F Y")},
    )
    context.update(
        {
            "first_day": first_day,
            "previous_week": first_day - timedelta(days=7),
            "next_week": first_day + timedelta(days=7),
        }
    )
    return render(request, "admin/appointments/agenda_week.html", context)


def back_to_day(service: Service, starts_at) -> HttpResponseRedirect:
    day = starts_at.astimezone(ZoneInfo(service.time_zone)).date()
    url = reverse("admin:appointments_service_agenda_day", args=[service.pk])
    return HttpResponseRedirect(f"{url}?jour={day.isoformat()}")


@require_POST
def attendance_view(request, model_admin, service_id: int, booking_id: int):
    check_permission(request)
    service = agenda_service(service_id)
    booking = get_object_or_404(Booking.objects.filter(service=service), pk=booking_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez « venu » ou « absent »."))
        return back_to_day(service, booking.starts_at)
    try:
        staff.mark_attendance(
            booking, form.cleaned_data["status"], by=request.user, now=timezone.now()
        )
    except AppointmentError as refusal:
        messages.error(request, str(refusal.message))
    else:
        booking.refresh_from_db()
        messages.success(
            request,
            _("%(person)s : %(status)s.")
            % {"person": booking.person, "status": booking.get_status_display()},
        )
    return back_to_day(service, booking.starts_at)


@require_POST
def block_view(request, model_admin, service_id: int):
    check_permission(request)
    service = agenda_service(service_id)
    form = BlockSlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ce créneau n'existe pas."))
        return HttpResponseRedirect(
            reverse("admin:appointments_service_agenda_day", args=[service.pk])
        )
    starts_at = form.cleaned_data["starts_at"]
    now = timezone.now()
    if form.cleaned_data["block"]:
        try:
            staff.block_slot(
                service, starts_at, by=request.user, reason=form.cleaned_data["reason"], now=now
            )
        except AppointmentError as refusal:
            messages.error(request, str(refusal.message))
        else:
            messages.success(request, _("Créneau bloqué : il n'est plus proposé à la réservation."))
    else:
        slot = Slot.objects.filter(service=service, starts_at=starts_at).first()
        if slot is not None:
            staff.unblock_slot(slot, by=request.user, now=now)
        messages.success(request, _("Créneau débloqué : il est de nouveau proposé."))
    return back_to_day(service, starts_at)
