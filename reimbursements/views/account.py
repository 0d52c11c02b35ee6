"""Mes remboursements: statements and payments, line detail, sheets, monthly PDF, CSV export.

Every page finds the logged-in person's file (`affiliation.access.linked_person_required`), then
reads through `reimbursements.views.scope`. Lists are paginated with their related rows joined
in the same query, so a page costs the same number of queries whatever its number of rows.
"""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from affiliation.access import linked_person_required
from affiliation.models import Beneficiary
from cpam_portal.languages import current_language
from reimbursements import statements_pdf
from reimbursements.exports import csv_response
from reimbursements.forms.account import PaymentFilterForm
from reimbursements.models import CareSheet
from reimbursements.views import counters
from reimbursements.views.scope import visible_lines, visible_sheets, visible_statements

PAGE_SIZE = 20
IN_PROGRESS = (
    CareSheet.Status.IN_REVIEW,
    CareSheet.Status.RECEIVED,
    CareSheet.Status.PROCESSING,
)
# Months offered for the monthly statement PDF, most recent first.
STATEMENT_MONTHS_SHOWN = 24


def breadcrumb(current: str, *, under_payments: bool = False) -> dict:
    links = [{"url": reverse("affiliation:my_space"), "title": _("Mon espace")}]
    if under_payments:
        links.append({"url": reverse("reimbursements:payments"), "title": _("Mes remboursements")})
    return {"links": links, "current": current}


def field_errors(form) -> list[dict]:
    """The form's errors for the error summary, each with the id of its field."""
    if not form.is_bound:
        return []
    return [
        {"anchor": field.auto_id, "label": field.label, "message": message}
        for field in form
        for message in field.errors
    ]


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@linked_person_required
@require_GET
def payments(request, holder):
    entries = list(Beneficiary.objects.on_file_of(holder))
    form = PaymentFilterForm(request.GET or None, entries=entries)
    statements = form.apply(visible_statements(holder)).select_related(
        "payment", "beneficiary", "care_sheet"
    )
    page = page_of(request, statements.order_by("-issued_on", "-pk"))
    months = (
        visible_statements(holder)
        .filter(payment__isnull=False)
        .dates("payment__paid_on", "month", order="DESC")
    )
    has_sheets_in_progress = visible_sheets(holder).filter(status__in=IN_PROGRESS).exists()
    return render(
        request,
        "reimbursements/payments.html",
        {
            "form": form,
            "filter_errors": field_errors(form),
            "page": page,
            "filter_query": form.query_string(),
            "months": months[:STATEMENT_MONTHS_SHOWN],
            "has_sheets_in_progress": has_sheets_in_progress,
            "breadcrumb_data": breadcrumb(_("Mes remboursements")),
        },
    )


@linked_person_required
@require_GET
def statement_detail(request, holder, public_id):
    statement = get_object_or_404(
        visible_statements(holder).select_related("payment", "beneficiary", "care_sheet"),
        public_id=public_id,
    )
    lines = list(statement.lines.order_by("position"))
    for line in lines:
        line.explanation_text = counters.explanation_of(line)
    return render(
        request,
        "reimbursements/statement_detail.html",
        {
            "statement": statement,
            "lines": lines,
            "counters": counters.year_counters(statement.beneficiary, statement.care_date),
            "breadcrumb_data": breadcrumb(
                _("Décompte du %(date)s") % {"date": statement.issued_on.strftime("%d/%m/%Y")},
                under_payments=True,
            ),
        },
    )


@linked_person_required
@require_GET
def care_sheets(request, holder):
    sheets = (
        visible_sheets(holder)
        .exclude(status=CareSheet.Status.PAID)
        .select_related("beneficiary")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "reimbursements/care_sheets.html",
        {
            "page": page_of(request, sheets),
            "in_progress": IN_PROGRESS,
            "breadcrumb_data": breadcrumb(_("Mes feuilles de soins"), under_payments=True),
        },
    )


@linked_person_required
@require_GET
def care_sheet_detail(request, holder, public_id):
    sheet = get_object_or_404(
        visible_sheets(holder).select_related("beneficiary"), public_id=public_id
    )
    statement = visible_statements(holder).filter(care_sheet=sheet).only("public_id").first()
    return render(
        request,
        "reimbursements/care_sheet_detail.html",
        {
            "sheet": sheet,
            "lines": list(sheet.lines.order_by("position")),
            "statement": statement,
            "in_progress": IN_PROGRESS,
            "breadcrumb_data": breadcrumb(
                _("Feuille de soins du %(date)s") % {"date": sheet.care_date.strftime("%d/%m/%Y")},
                under_payments=True,
            ),
        },
    )


@linked_person_required
@require_GET
def monthly_statement(request, holder, year: int, month: int) -> HttpResponse:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    first_day = date(year, month, 1)
    lines = statements_pdf.month_lines(visible_lines(holder), first_day)
    if not lines:
        raise Http404(_("Aucun remboursement ce mois-ci."))
    language = current_language()
    content = statements_pdf.render_monthly_statement(
        holder, first_day, lines, language=language, issued_on=timezone.localdate()
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"releve-remboursements-{year}-{month:02d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


CSV_HEADER = (
    _("Date du décompte"),
    _("Référence du virement"),
    _("Virement à"),
    _("Personne soignée"),
    _("Date des soins"),
    _("Professionnel de santé"),
    _("Type de soins"),
    _("Code de l'acte"),
    _("Quantité"),
    _("Montant payé"),
    _("Base de remboursement"),
    _("Taux"),
    _("Part Assurance Maladie avant déductions"),
    _("Participation forfaitaire"),
    _("Franchise"),
    _("Participation actes lourds"),
    _("Montant remboursé"),
    _("Ticket modérateur"),
    _("Dépassement"),
    _("Reste à charge"),
)


@linked_person_required
@require_GET
def export_csv(request, holder) -> HttpResponse:
    entries = list(Beneficiary.objects.on_file_of(holder))
    form = PaymentFilterForm(request.GET or None, entries=entries)
    lines = (
        form.apply(visible_lines(holder), prefix="statement__")
        .select_related("statement__payment", "statement__beneficiary", "statement__care_sheet")
        .order_by("-statement__issued_on", "-statement_id", "position")
    )
    return csv_response(
        f"remboursements-{timezone.localdate():%Y-%m-%d}.csv",
        [str(title) for title in CSV_HEADER],
        (csv_row(line) for line in lines.iterator(chunk_size=500)),
    )


def csv_row(line) -> list:
    statement = line.statement
    payment = getattr(statement, "payment", None)
    beneficiary = statement.beneficiary
    return [
        statement.issued_on,
        payment.reference if payment else "",
        payment.get_payee_display() if payment else "",
        f"{beneficiary.first_names} {beneficiary.last_name}",
        statement.care_date,
        statement.care_sheet.professional_name,
        statement.care_sheet.get_profession_display(),
        line.act_code,
        line.quantity,
        line.amount_charged,
        line.base,
        line.rate,
        line.amo_gross,
        line.participation_forfaitaire,
        line.franchise,
        line.flat_fee,
        line.amo_paid,
        line.ticket_moderateur,
        line.depassement,
        line.patient_remainder,
    ]
