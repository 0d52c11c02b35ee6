"""Pages reached from a signed link in a booking mail: no login needed.

The token is the only key (appointments.signing): a tampered, outdated or expired one gets a page
that says so, and nothing changes. The services apply the same cut-off as in the account. After
a change the old link stops working (its ICS sequence is outdated), so these pages show the
outcome themselves rather than redirecting back to the link.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from appointments.rules.errors import AppointmentError, ExpiredLink
from appointments.services.booking import cancel_booking
from appointments.signing import booking_from_token, offer_from_token
from appointments.views.mine import (
    answer_offer,
    offer_context,
    reschedule_page,
    with_local_times,
)

NO_BREADCRUMB = None  # these pages stand alone: the person may have no account session


def link_error(request, error: AppointmentError):
    """410 for an expired link, 400 for one that was altered or replaced by a newer mail."""
    return render(
        request,
        "appointments/link_error.html",
        {"message": str(error.message), "is_expired": isinstance(error, ExpiredLink)},
        status=410 if isinstance(error, ExpiredLink) else 400,
    )


def no_referrer(response):
    """The token is a key: the page must not pass it to another site through the Referer."""
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def manage(request, token: str):
    try:
        booking = booking_from_token(token)
    except AppointmentError as error:
        return link_error(request, error)
    now = timezone.now()
    with_local_times(booking, now)
    return no_referrer(
        render(
            request,
            "appointments/manage.html",
            {
                "booking": booking,
                "cancel_url": reverse("appointments:manage_cancel", args=[token]),
                "reschedule_url": reverse("appointments:manage_reschedule", args=[token]),
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage_cancel(request, token: str):
    try:
        booking = booking_from_token(token)
    except AppointmentError as error:
        return link_error(request, error)
    now = timezone.now()
    with_local_times(booking, now)
    error = None
    if request.method == "POST":
        try:
            cancel_booking(booking, now=now)
        except AppointmentError as refusal:
            error = str(refusal.message)
        else:
            booking.refresh_from_db()
            with_local_times(booking, now)
            return no_referrer(
                render(
                    request,
                    "appointments/link_done.html",
                    {"booking": booking, "done": "cancelled"},
                )
            )
    return no_referrer(
        render(
            request,
            "appointments/cancel.html",
            {
                "booking": booking,
                "error": error,
                "action_url": reverse("appointments:manage_cancel", args=[token]),
                "back_url": reverse("appointments:manage", args=[token]),
                "breadcrumb_data": NO_BREADCRUMB,
            },
            status=409 if error else 200,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage_reschedule(request, token: str):
    try:
        booking = booking_from_token(token)
    except AppointmentError as error:
        return link_error(request, error)
    now = timezone.now()
    with_local_times(booking, now)
    _form, moved, context = reschedule_page(
        request,
        booking,
        now=now,
        template_context={"back_url": reverse("appointments:manage", args=[token])},
    )
    if moved is not None:
        with_local_times(moved, now)
        return no_referrer(
            render(request, "appointments/link_done.html", {"booking": moved, "done": "moved"})
        )
    return no_referrer(render(request, "appointments/reschedule.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def offer(request, token: str):
    try:
        slot_offer = offer_from_token(token)
    except AppointmentError as error:
        return link_error(request, error)
    now = timezone.now()
    error = None
    if request.method == "POST":
        booking, error, declined = answer_offer(request, slot_offer, now=now)
        if booking is not None:
            booking.refresh_from_db()
            with_local_times(booking, now)
            return no_referrer(
                render(
                    request, "appointments/link_done.html", {"booking": booking, "done": "accepted"}
                )
            )
        if declined:
            return no_referrer(
                render(
                    request, "appointments/link_done.html", {"booking": None, "done": "declined"}
                )
            )
        slot_offer.refresh_from_db()
    return no_referrer(
        render(
            request,
            "appointments/offer.html",
            {
                **offer_context(slot_offer, now),
                "error": error,
                "action_url": reverse("appointments:offer", args=[token]),
                "page_title_extra": _("Créneau proposé"),
            },
            status=409 if error else 200,
        )
    )
