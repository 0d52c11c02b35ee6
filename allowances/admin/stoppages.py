"""The review queue of work stoppages: figures and the engine's explanation side by side.

Reading a stoppage or downloading a notice is traced (cpam_portal.audit.record_access): it is
health data. Staff act through the workflow actions (review_workstoppage permission), never by
editing the fields; salary corrections go through the salary attestations' admin, then
"Recalculer" runs the engine again.
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from allowances.admin.common import run_action
from allowances.forms.review import InformationRequestForm, RefusalForm, StaffSalaryForm
from allowances.forms.stoppages import months_to_declare
from allowances.models import AllowancePayment, SalaryAttestation, StoppageNotice, WorkStoppage
from allowances.permissions import REVIEW_STOPPAGE_PERMISSION
from allowances.services import review, stoppages
from allowances.services.stoppages import SalaryInput
from allowances.views.explanation import explanation_lines
from allowances.views.stoppages import scan_response
from cpam_portal.admin import ActionPageMixin
from cpam_portal.audit import TracedReadsMixin, record_access
from cpam_portal.models import AccessLog

Status = WorkStoppage.Status


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class NoticeInline(ReadOnlyInline):
    model = StoppageNotice
    fields = [
        "sequence",
        "start_date",
        "end_date",
        "prescribed_on",
        "prescriber_name",
        "prescriber_rpps",
        "status",
        "refusal_reason",
        "scan",
        "refuse",
    ]
    readonly_fields = fields

    @admin.display(description=_("avis scanné"))
    def scan(self, notice: StoppageNotice) -> str:
        if not notice.has_scan:
            return "—"
        url = reverse(
            "admin:allowances_workstoppage_notice", args=[notice.stoppage_id, notice.public_id]
        )
        return format_html('<a href="{}">{}</a>', url, notice.original_name)

    @admin.display(description=_("décision"))
    def refuse(self, notice: StoppageNotice) -> str:
        if notice.sequence == 0 or notice.status != StoppageNotice.Status.PENDING:
            return "—"
        url = reverse(
            "admin:allowances_workstoppage_refuse_extension", args=[notice.stoppage_id, notice.pk]
        )
        return format_html('<a href="{}">{}</a>', url, _("Refuser cette prolongation"))


class SalaryAttestationInline(ReadOnlyInline):
    model = SalaryAttestation
    fields = ["link", "source", "status", "submitted_at", "months_summary"]
    readonly_fields = fields

    @admin.display(description=_("attestation"))
    def link(self, attestation: SalaryAttestation) -> str:
        url = reverse("admin:allowances_salaryattestation_change", args=[attestation.pk])
        return format_html('<a href="{}">{}</a>', url, _("Vérifier ou corriger"))

    @admin.display(description=_("mois"))
    def months_summary(self, attestation: SalaryAttestation) -> str:
        return ", ".join(
            f"{m.month:%m/%Y} : {m.gross_amount} € / {m.hours_worked} h"
            for m in attestation.months.all()
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("months")


class PaymentInline(ReadOnlyInline):
    model = AllowancePayment
    fields = ["kind", "period_start", "period_end", "days", "daily_amount", "amount", "paid_on"]
    readonly_fields = fields


ACTIONS = {
    # name in the URL: (title, form or None, statuses where it is offered)
    "review": (_("Prendre en charge"), None, (Status.RECEIVED,)),
    "information": (
        _("Demander des informations"),
        InformationRequestForm,
        (Status.RECEIVED, Status.IN_REVIEW),
    ),
    "accept": (_("Accepter et calculer"), None, (Status.RECEIVED, Status.IN_REVIEW)),
    "refuse": (_("Refuser"), RefusalForm, (Status.RECEIVED, Status.IN_REVIEW)),
    "recompute": (_("Recalculer"), None, (Status.ACCEPTED, Status.CLOSED)),
    "salaries": (
        _("Saisir les salaires (attestation papier)"),
        StaffSalaryForm,
        (Status.RECEIVED, Status.IN_REVIEW, Status.ACCEPTED),
    ),
}


class PendingExtensionFilter(admin.SimpleListFilter):
    title = _("prolongation à examiner")
    parameter_name = "pending_extension"

    def lookups(self, request, model_admin):
        return [("yes", _("Oui"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                notices__sequence__gt=0, notices__status=StoppageNotice.Status.PENDING
            ).distinct()
        return queryset


@admin.register(WorkStoppage)
class WorkStoppageAdmin(TracedReadsMixin, ActionPageMixin, admin.ModelAdmin):
    list_display = [
        "person",
        "kind",
        "start_date",
        "end_date",
        "status",
        "daily_amount",
        "declared_at",
    ]
    list_filter = ["status", PendingExtensionFilter, "kind"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__nir", "employer_name", "employer_siret"]
    ordering = ["declared_at", "pk"]
    inlines = [NoticeInline, SalaryAttestationInline, PaymentInline]
    change_form_template = "admin/workflow_change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person",
                    "kind",
                    "status",
                    "start_date",
                    "end_date",
                    "accepted_end_date",
                    "is_ald",
                    "employer_name",
                    "employer_siret",
                ]
            },
        ),
        (
            _("Instruction"),
            {
                "fields": [
                    "declared_by",
                    "declared_at",
                    "reviewer",
                    "info_request_message",
                    "decided_by",
                    "decided_at",
                    "refusal_reason",
                    "closed_at",
                ]
            },
        ),
        (
            _("Calcul"),
            {
                "fields": [
                    "computation_number",
                    "computed_at",
                    "daily_base",
                    "daily_amount",
                    "daily_amount_from_day_29",
                    "waiting_days",
                    "days_payable",
                    "explanation",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("explication du calcul"))
    def explanation(self, obj: WorkStoppage) -> str:
        lines = explanation_lines(obj)
        if not lines:
            return "—"
        items = format_html(
            "".join("<li>{}</li>" for _line in lines), *[line["text"] for line in lines]
        )
        return format_html("<ol>{}</ol>", items)

    def get_urls(self):
        name = "allowances_workstoppage"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/avis/<uuid:notice_id>/",
                wrap(self.notice_view),
                name=f"{name}_notice",
            ),
            path(
                "<path:object_id>/prolongation/<int:notice_id>/refuser/",
                wrap(self.refuse_extension_view),
                name=f"{name}_refuse_extension",
            ),
            path(
                "<path:object_id>/action/<str:action>/",
                wrap(self.action_view),
                name=f"{name}_action",
            ),
            *super().get_urls(),
        ]

    def traced_person_id(self, obj: WorkStoppage) -> int:
        return obj.person_id

    def traced_detail(self, obj: WorkStoppage) -> str:
        return f"arrêt de travail {obj.start_date:%Y-%m-%d}"

    def change_page_context(self, request: HttpRequest, obj: WorkStoppage | None) -> dict:
        return {"workflow_actions": self.available_actions(request, obj) if obj else []}

    def available_actions(self, request: HttpRequest, obj: WorkStoppage) -> list[dict]:
        if not request.user.has_perm(REVIEW_STOPPAGE_PERMISSION):
            return []
        has_pending = obj.notices.filter(status=StoppageNotice.Status.PENDING).exists()
        actions = []
        for action, (title, form_class, statuses) in ACTIONS.items():
            offered = obj.status in statuses or (
                action == "accept" and has_pending and obj.status != Status.REFUSED
            )
            if offered:
                actions.append(
                    {
                        "url": reverse(
                            "admin:allowances_workstoppage_action", args=[obj.pk, action]
                        ),
                        "title": title,
                        "has_form": form_class is not None,
                    }
                )
        return actions

    def notice_view(self, request: HttpRequest, object_id: str, notice_id) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        notice = get_object_or_404(obj.notices, public_id=notice_id)
        record_access(
            request.user,
            AccessLog.Action.DOWNLOAD,
            notice,
            insured_person_id=obj.person_id,
            detail="avis d'arrêt de travail",
        )
        return scan_response(notice.stored_name, notice.original_name, notice.content_type)

    def _reviewed_object(self, request: HttpRequest, object_id: str) -> WorkStoppage:
        if not request.user.has_perm(REVIEW_STOPPAGE_PERMISSION):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def refuse_extension_view(self, request: HttpRequest, object_id: str, notice_id: int):
        obj = self._reviewed_object(request, object_id)
        notice = get_object_or_404(obj.notices, pk=notice_id)
        staff, now = request.user, timezone.now()
        return run_action(
            self,
            request,
            obj,
            title=_("Refuser la prolongation"),
            form_class=RefusalForm,
            act=lambda data: review.refuse_extension(
                notice.pk, staff, reason=data["reason"], now=now
            ),
            change_url=reverse("admin:allowances_workstoppage_change", args=[obj.pk]),
            label=str(notice),
        )

    def action_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        obj = self._reviewed_object(request, object_id)
        change_url = reverse("admin:allowances_workstoppage_change", args=[obj.pk])
        staff, now = request.user, timezone.now()
        if action not in ACTIONS:
            raise Http404
        title, form_class, _statuses = ACTIONS[action]
        months = months_to_declare(obj.kind, obj.start_date) if action == "salaries" else []
        if action == "salaries":
            form_class = partial(StaffSalaryForm, months=months)

        def keyed_salaries(data) -> list[SalaryInput]:
            return [
                SalaryInput(m, data[f"gross_{m:%Y_%m}"], data[f"hours_{m:%Y_%m}"]) for m in months
            ]

        acts = {
            "review": lambda data: review.take_in_review(obj.pk, staff, now=now),
            "information": lambda data: review.request_information(
                obj.pk, staff, message=data["message"], now=now
            ),
            "accept": lambda data: review.accept_stoppage(obj.pk, staff, now=now),
            "refuse": lambda data: review.refuse_stoppage(
                obj.pk, staff, reason=data["reason"], now=now
            ),
            "recompute": lambda data: review.recompute(obj.pk, staff, now=now),
            "salaries": lambda data: stoppages.submit_salary_attestation(
                obj, keyed_salaries(data), document=None, by=staff, now=now, by_staff=True
            ),
        }

        return run_action(
            self,
            request,
            obj,
            title=title,
            form_class=form_class,
            act=acts[action],
            change_url=change_url,
            label=f"{obj.person} — {obj}",
        )
