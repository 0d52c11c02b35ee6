"""Statements, payments and the caps ledger: read-only for staff.

They are written by the pipeline only. A statement shows each line's amounts and the engine's
explanation as the insured person reads it; opening a statement is traced (health data).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cpam_portal.admin import ReadOnlyAdmin
from cpam_portal.audit import TracedReadsMixin
from reimbursements.explanations import explain_stored
from reimbursements.models import Payment, Statement, StatementLine, WithholdingYear


class StatementLineInline(admin.StackedInline):
    model = StatementLine
    extra = 0
    can_delete = False
    fields = [
        ("position", "act_code", "family", "quantity"),
        ("amount_charged", "base", "rate", "amo_gross"),
        ("participation_forfaitaire", "franchise", "franchise_kind", "flat_fee"),
        ("amo_paid", "ticket_moderateur", "depassement", "patient_remainder"),
        "why",
    ]
    readonly_fields = [
        "position",
        "act_code",
        "family",
        "quantity",
        "amount_charged",
        "base",
        "rate",
        "amo_gross",
        "participation_forfaitaire",
        "franchise",
        "franchise_kind",
        "flat_fee",
        "amo_paid",
        "ticket_moderateur",
        "depassement",
        "patient_remainder",
        "why",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("pourquoi ce montant ?"))
    def why(self, line: StatementLine) -> str:
        sentences = explain_stored(line.explanation)
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((s,) for s in sentences))
        )


@admin.register(Statement)
class StatementAdmin(TracedReadsMixin, ReadOnlyAdmin):
    list_display = ["issued_on", "beneficiary", "care_date", "profession", "amo_paid", "holder"]
    list_filter = ["issued_on", "care_date", "profession"]
    search_fields = ["beneficiary__nir", "beneficiary__last_name", "holder__nir"]
    list_select_related = ["beneficiary", "holder"]
    date_hierarchy = "issued_on"
    ordering = ["-issued_on", "-pk"]
    inlines = [StatementLineInline]
    show_every_field = True
    extra_readonly = ["payment_link", "sheet_link"]

    @admin.display(description=_("paiement"))
    def payment_link(self, obj: Statement) -> str:
        payment = getattr(obj, "payment", None)
        if payment is None:
            return "—"
        return f"{payment.reference} — {payment.amount} € — {payment.get_payee_display()}"

    @admin.display(description=_("feuille de soins"))
    def sheet_link(self, obj: Statement) -> str:
        url = reverse("admin:reimbursements_caresheet_change", args=[obj.care_sheet_id])
        return format_html('<a href="{}">{}</a>', url, obj.care_sheet)

    def traced_person_id(self, obj: Statement) -> int:
        return obj.beneficiary_id

    def traced_detail(self, obj: Statement) -> str:
        return f"décompte {obj.public_id}"


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    show_every_field = True
    list_display = ["reference", "holder", "amount", "payee", "status", "paid_on"]
    list_filter = ["status", "payee", "paid_on"]
    search_fields = ["reference", "holder__nir", "holder__last_name"]
    list_select_related = ["holder"]
    date_hierarchy = "paid_on"
    ordering = ["-paid_on", "-pk"]


@admin.register(WithholdingYear)
class WithholdingYearAdmin(ReadOnlyAdmin):
    show_every_field = True
    list_display = ["person", "year", "participation_forfaitaire", "franchises", "updated_at"]
    list_filter = ["year"]
    search_fields = ["person__nir", "person__last_name"]
    list_select_related = ["person"]
