"""Public pages of the funds directory: the list, the search and one fund's offices."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.models import Fund, Office
from directory.rules import normalise_department_code, phone_digits
from directory.search import MatchedBy, search_directory


@require_GET
def fund_list(request):
    funds = Fund.objects.annotate(office_count=Count("offices")).order_by("sort_key")
    return render(
        request,
        "directory/index.html",
        {"funds": funds, "breadcrumb_data": {"links": [], "current": _("Annuaire des caisses")}},
    )


@require_GET
def search(request):
    result = search_directory(request.GET.get("q", ""))
    fund = result.single_fund
    if fund is not None:
        # A postcode or a code names one fund: its page is the answer.
        if result.matched_by == MatchedBy.POSTCODE:
            # The person did not type the département: the fund's page says which one it is.
            notice = _("Code postal %(postcode)s : département %(department)s (%(code)s).") % {
                "postcode": result.query,
                "department": fund.department_name,
                "code": fund.department_code,
            }
            messages.info(request, notice)
        return redirect(fund)
    return render(
        request,
        "directory/search.html",
        {
            "result": result,
            "offices": with_dial_numbers(result.offices),
            "national_phone_digits": phone_digits(settings.NATIONAL_PHONE),
            "breadcrumb_data": breadcrumb_under_index(_("Recherche")),
        },
    )


@require_GET
def fund_detail(request, department_code):
    code = normalise_department_code(department_code)
    if code is None:
        raise Http404(department_code)
    if code != department_code:
        return redirect("directory:fund", department_code=code, permanent=True)  # "1" -> "01"
    offices = Office.objects.order_by("city", "pk")
    fund = get_object_or_404(
        Fund.objects.prefetch_related(Prefetch("offices", queryset=offices)), department_code=code
    )
    return render(
        request,
        "directory/fund.html",
        {
            "fund": fund,
            "offices": with_dial_numbers(fund.offices.all()),
            "national_phone_digits": phone_digits(settings.NATIONAL_PHONE),
            "breadcrumb_data": breadcrumb_under_index(fund.name),
        },
    )


def breadcrumb_under_index(current: str) -> dict:
    index = {"url": reverse("directory:index"), "title": _("Annuaire des caisses")}
    return {"links": [index], "current": current}


def with_dial_numbers(offices: Iterable[Office]) -> list[tuple[Office, str]]:
    """Each office with the digits its tel: link dials ("0 820 904 191" -> "0820904191")."""
    return [(office, phone_digits(office.phone)) for office in offices]
