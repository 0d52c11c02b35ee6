"""The insured person's daily allowances: stoppages, extensions, salaries, payments, attestations.

Every object is looked up inside the person's own file (WorkStoppage.objects.for_user): another
person's stoppage, notice or attestation is a 404.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from affiliation.models import InsuredPerson, IssuedDocument
from allowances.forms.stoppages import (
    ExtensionForm,
    PaymentAttestationForm,
    SalaryAttestationForm,
    StoppageForm,
    months_to_declare,
)
from allowances.models import AllowancePayment, SalaryAttestation, SalaryMonth, WorkStoppage
from allowances.services import attestations, stoppages
from allowances.services.common import AllowanceError
from allowances.views.explanation import explanation_lines
from cpam_portal.languages import current_language


def my_person(request) -> InsuredPerson | None:
    return InsuredPerson.objects.for_user(request.user).first()


def no_file(request):
    return render(
        request,
        "affiliation/documents/no_file.html",
        {"breadcrumb_data": {"links": [], "current": _("Mes indemnités journalières")}},
    )


def breadcrumb(current: str, *extra) -> dict:
    return {
        "links": [
            {"url": reverse("affiliation:my_space"), "title": _("Mon espace")},
            {"url": reverse("allowances:stoppages"), "title": _("Mes indemnités journalières")},
            *extra,
        ],
        "current": current,
    }


def own_stoppage(request, public_id) -> WorkStoppage:
    return get_object_or_404(
        WorkStoppage.objects.for_user(request.user).select_related("person"), public_id=public_id
    )


def report(form, error: AllowanceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
@require_GET
def stoppage_list(request):
    person = my_person(request)
    if person is None:
        return no_file(request)
    rows = list(WorkStoppage.objects.filter(person=person).order_by("-start_date", "-pk")[:100])
    payments = list(
        AllowancePayment.objects.filter(stoppage__person=person)
        .select_related("stoppage")
        .order_by("-paid_on", "-period_start", "-pk")[:50]
    )
    return render(
        request,
        "allowances/stoppages.html",
        {
            "stoppages": rows,
            "payments": payments,
            "breadcrumb_data": {
                "links": [{"url": reverse("affiliation:my_space"), "title": _("Mon espace")}],
                "current": _("Mes indemnités journalières"),
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def declare(request):
    person = my_person(request)
    if person is None:
        return no_file(request)
    form = StoppageForm(request.POST or None, request.FILES or None, on=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            stoppage = stoppages.declare_stoppage(
                person,
                form.stoppage(),
                form.notice(),
                scan=form.cleaned_data["scan"],
                by=request.user,
                now=timezone.now(),
            )
        except AllowanceError as error:
            report(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre arrêt de travail est déclaré. Ajoutez maintenant l'attestation de "
                    "salaire de votre employeur."
                ),
            )
            return redirect("allowances:salaries", stoppage.public_id)
    return render(
        request,
        "allowances/declare.html",
        {"form": form, "breadcrumb_data": breadcrumb(_("Déclarer un arrêt de travail"))},
    )


@login_required
@require_GET
def stoppage_detail(request, public_id):
    stoppage = get_object_or_404(
        WorkStoppage.objects.for_user(request.user).prefetch_related(
            "notices",
            Prefetch(
                "salary_attestations",
                queryset=SalaryAttestation.objects.order_by(
                    "-submitted_at", "-pk"
                ).prefetch_related(
                    Prefetch("months", queryset=SalaryMonth.objects.order_by("month"))
                ),
            ),
            Prefetch("payments", queryset=AllowancePayment.objects.order_by("period_start", "pk")),
        ),
        public_id=public_id,
    )
    return render(
        request,
        "allowances/stoppage.html",
        {
            "stoppage": stoppage,
            "explanation": explanation_lines(stoppage),
            "breadcrumb_data": breadcrumb(str(stoppage)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def extend(request, public_id):
    stoppage = own_stoppage(request, public_id)
    form = ExtensionForm(request.POST or None, request.FILES or None, on=timezone.localdate())
    if request.method == "GET":
        form.initial["start_date"] = stoppage.end_date + timedelta(days=1)
    if request.method == "POST" and form.is_valid():
        try:
            stoppages.declare_extension(
                stoppage,
                form.notice(),
                scan=form.cleaned_data["scan"],
                by=request.user,
                now=timezone.now(),
            )
        except AllowanceError as error:
            report(form, error)
        else:
            messages.success(request, _("La prolongation est déclarée : votre caisse l'examine."))
            return redirect("allowances:stoppage", stoppage.public_id)
    return render(
        request,
        "allowances/extend.html",
        {
            "form": form,
            "stoppage": stoppage,
            "breadcrumb_data": breadcrumb(
                _("Déclarer une prolongation"),
                {"url": reverse("allowances:stoppage", args=[public_id]), "title": str(stoppage)},
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def salaries(request, public_id):
    stoppage = own_stoppage(request, public_id)
    form = SalaryAttestationForm(
        request.POST or None,
        request.FILES or None,
        months=months_to_declare(stoppage.kind, stoppage.start_date),
    )
    if request.method == "POST" and form.is_valid():
        try:
            stoppages.submit_salary_attestation(
                stoppage,
                form.salaries(),
                document=form.cleaned_data["document"],
                by=request.user,
                now=timezone.now(),
            )
        except AllowanceError as error:
            report(form, error)
        else:
            messages.success(request, _("L'attestation de salaire est envoyée à votre caisse."))
            return redirect("allowances:stoppage", stoppage.public_id)
    return render(
        request,
        "allowances/salaries.html",
        {
            "form": form,
            "stoppage": stoppage,
            "breadcrumb_data": breadcrumb(
                _("Attestation de salaire"),
                {"url": reverse("allowances:stoppage", args=[public_id]), "title": str(stoppage)},
            ),
        },
    )


def scan_response(stored_name: str, original_name: str, content_type: str) -> HttpResponse:
    """A stored scan as a download (10 MB at most: read at once, file closed at once)."""
    if not stored_name:
        raise Http404("no file")
    try:
        with storages["private"].open(stored_name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def notice_scan(request, public_id, notice_id):
    stoppage = own_stoppage(request, public_id)
    notice = get_object_or_404(stoppage.notices, public_id=notice_id)
    return scan_response(notice.stored_name, notice.original_name, notice.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def payment_attestation(request):
    person = my_person(request)
    if person is None:
        return no_file(request)
    today = timezone.localdate()
    form = PaymentAttestationForm(
        request.POST or None,
        initial={
            "language": current_language(),
            "first_day": today.replace(month=1, day=1),
            "last_day": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            attestations.issue_payment_attestation(
                person,
                attestations.AttestationPeriod(
                    form.cleaned_data["first_day"], form.cleaned_data["last_day"]
                ),
                language=form.cleaned_data["language"],
                on=today,
                now=timezone.now(),
            )
        except AllowanceError as error:
            report(form, error)
        else:
            messages.success(
                request,
                _("Votre attestation de paiement est prête : téléchargez-la dans la liste."),
            )
            return redirect("allowances:payment_attestation")
    documents = IssuedDocument.objects.filter(
        requested_by=person, kind=IssuedDocument.Kind.ALLOWANCE_PAYMENT_ATTESTATION
    )[:50]
    return render(
        request,
        "allowances/payment_attestation.html",
        {
            "form": form,
            "documents": documents,
            "today": today,
            "breadcrumb_data": breadcrumb(_("Attestation de paiement")),
        },
    )
