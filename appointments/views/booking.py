"""Booking an appointment: find the office (the directory's search), choose the service, then a
slot, the reason and, for a phone call-back, the number to call.

The rules (past, notice, horizon, closed day, full or blocked slot, third booking, bad phone)
are the services'; their refusals come back on the form's fields, and nothing is booked.
"""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appointments.forms.booking import BookingForm, WaitingListForm
from appointments.models import Service
from appointments.rules.errors import AppointmentError
from appointments.services import booking as services
from appointments.services import waiting_list
from appointments.views.mine import person_required, put_error_on_form
from appointments.views.picker import build_picker, parse_day
from cpam_portal.languages import current_language
from directory.models import Office
from directory.search import SearchOutcome, search_directory

MAX_OFFICES_SHOWN = 30


def booking_breadcrumb(current: str, *, with_search: bool = True) -> dict:
    links = [{"url": reverse("appointments:list"), "title": _("Mes rendez-vous")}]
    if with_search:
        links.append(
            {"url": reverse("appointments:find_office"), "title": _("Prendre rendez-vous")}
        )
    return {"links": links, "current": current}


def offices_of_search(result) -> list[Office]:
    """The offices a search points to: the matched towns, else every office of the funds."""
    if result.offices:
        return list(result.offices)
    return [office for fund in result.funds for office in fund.offices.all()]


@person_required
def find_office(request, person):
    query = request.GET.get("q", "")
    result = search_directory(query) if query.strip() else None
    if result is None:
        offices = list(
            Office.objects.filter(fund_id=person.fund_id).order_by("city", "pk")
            if person.fund_id
            else []
        )
    elif result.outcome == SearchOutcome.FOUND:
        offices = offices_of_search(result)
    else:
        offices = []
    services = Service.objects.active().filter(office__in=offices).order_by("kind", "pk")
    by_office = defaultdict(list)
    for service in services:
        by_office[service.office_id].append(service)
    bookable = [(office, by_office[office.pk]) for office in offices if office.pk in by_office]
    return render(
        request,
        "appointments/find_office.html",
        {
            "query": query,
            "result": result,
            "offices": bookable[:MAX_OFFICES_SHOWN],
            "more_offices": len(bookable) > MAX_OFFICES_SHOWN,
            "searched_offices": len(offices),
            "breadcrumb_data": booking_breadcrumb(_("Prendre rendez-vous"), with_search=False),
        },
    )


def bookable_service(service_id: int) -> Service:
    return get_object_or_404(Service.objects.active().select_related("office__fund"), pk=service_id)


@person_required
@require_http_methods(["GET", "POST"])
def book(request, person, service_id: int):
    service = bookable_service(service_id)
    now = timezone.now()
    form = BookingForm(
        request.POST or None,
        is_phone_callback=service.is_phone_callback,
        initial={"callback_phone": person.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book(
                person,
                service,
                form.cleaned_data["starts_at"],
                reason=form.cleaned_data["reason"],
                reason_detail=form.cleaned_data["reason_detail"],
                callback_phone=form.cleaned_data.get("callback_phone", ""),
                language=current_language(),  # every later mail about it uses it
                now=now,
            )
        except AppointmentError as refusal:
            put_error_on_form(form, refusal)
        else:
            return redirect("appointments:confirmed", pk=booking.pk)
    picker = build_picker(
        service,
        now=now,
        week_start=parse_day(request.GET.get("semaine")),
        selected=form.cleaned_data.get("starts_at") if form.is_bound else None,
    )
    waiting_form = None
    if not picker.has_any_available:
        waiting_form = WaitingListForm(
            is_phone_callback=service.is_phone_callback,
            initial={"callback_phone": person.phone},
        )
    return render(
        request,
        "appointments/book.html",
        {
            "service": service,
            "office": service.office,
            "form": form,
            "picker": picker,
            "waiting_form": waiting_form,
            "breadcrumb_data": booking_breadcrumb(service.get_kind_display()),
        },
    )


@person_required
@require_POST
def join_waiting_list(request, person, service_id: int):
    """Ask for any slot of a full service: the first seat freed is offered by e-mail."""
    service = bookable_service(service_id)
    form = WaitingListForm(request.POST, is_phone_callback=service.is_phone_callback)
    if form.is_valid():
        try:
            waiting_list.join_waiting_list(
                person,
                service,
                reason=form.cleaned_data["reason"],
                reason_detail=form.cleaned_data["reason_detail"],
                callback_phone=form.cleaned_data.get("callback_phone", ""),
                language=current_language(),  # every later mail about it uses it
                now=timezone.now(),
            )
        except AppointmentError as refusal:
            put_error_on_form(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "Vous êtes sur la liste d'attente : dès qu'un créneau se libère, il vous est "
                    "proposé par e-mail."
                ),
            )
            return redirect("appointments:list")
    return render(
        request,
        "appointments/waiting_list.html",
        {
            "service": service,
            "office": service.office,
            "waiting_form": form,
            "breadcrumb_data": booking_breadcrumb(service.get_kind_display()),
        },
    )
