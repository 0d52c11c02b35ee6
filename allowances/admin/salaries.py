"""The review queue of salary attestations: check the figures against the employer's document,
correct them (each change is kept by django-simple-history), accept or refuse.

Reading an attestation or its document is traced. After a correction of an accepted
attestation, "Recalculer" on the stoppage runs the engine again.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from allowances.admin.common import run_action
from allowances.forms.review import RefusalForm
from allowances.models import SalaryAttestation, SalaryMonth
from allowances.permissions import REVIEW_SALARY_PERMISSION
from allowances.services import review
from allowances.views.stoppages import scan_response
from cpam_portal.admin import ActionPageMixin
from cpam_portal.audit import TracedReadsMixin, record_access
from cpam_portal.models import AccessLog

CORRECT_PERMISSION = "allowances.change_salarymonth"


class SalaryMonthInline(admin.TabularInline):
    model = SalaryMonth
    extra = 0
    fields = ["month", "gross_amount", "hours_worked"]

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("allowances.add_salarymonth")

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(CORRECT_PERMISSION)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("allowances.delete_salarymonth")


ACTIONS = {
    "accept": (_("Accepter les montants"), None),
    "refuse": (_("Refuser l'attestation"), RefusalForm),
}


@admin.register(SalaryAttestation)
class SalaryAttestationAdmin(TracedReadsMixin, ActionPageMixin, admin.ModelAdmin):
    list_display = ["person", "stoppage", "source", "status", "submitted_at"]
    list_filter = ["status", "source"]
    list_select_related = ["stoppage__person"]
    search_fields = ["stoppage__person__last_name", "stoppage__person__nir"]
    ordering = ["submitted_at", "pk"]
    inlines = [SalaryMonthInline]
    change_form_template = "admin/workflow_change_form.html"
    fields = [
        "person",
        "stoppage_link",
        "source",
        "status",
        "refusal_reason",
        "document",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Only the months can change (the inline); every field of the attestation is read-only.
        return request.user.has_perm(CORRECT_PERMISSION)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("assuré"))
    def person(self, obj: SalaryAttestation) -> str:
        return str(obj.stoppage.person)

    @admin.display(description=_("arrêt de travail"))
    def stoppage_link(self, obj: SalaryAttestation) -> str:
        url = reverse("admin:allowances_workstoppage_change", args=[obj.stoppage_id])
        return format_html('<a href="{}">{}</a>', url, obj.stoppage)

    @admin.display(description=_("document de l'employeur"))
    def document(self, obj: SalaryAttestation) -> str:
        if not obj.has_document:
            return "—"
        url = reverse("admin:allowances_salaryattestation_document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def get_urls(self):
        name = "allowances_salaryattestation"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/document/", wrap(self.document_view), name=f"{name}_document"),
            path(
                "<path:object_id>/action/<str:action>/",
                wrap(self.action_view),
                name=f"{name}_action",
            ),
            *super().get_urls(),
        ]

    def traced_person_id(self, obj: SalaryAttestation) -> int:
        return obj.stoppage.person_id

    def traced_detail(self, obj: SalaryAttestation) -> str:
        return "attestation de salaire"

    def change_page_context(self, request: HttpRequest, obj: SalaryAttestation | None) -> dict:
        actions = []
        if obj is not None and request.user.has_perm(REVIEW_SALARY_PERMISSION):
            if obj.status == SalaryAttestation.Status.RECEIVED:
                actions = [
                    {
                        "url": reverse(
                            "admin:allowances_salaryattestation_action", args=[obj.pk, action]
                        ),
                        "title": title,
                        "has_form": form_class is not None,
                    }
                    for action, (title, form_class) in ACTIONS.items()
                ]
        return {"workflow_actions": actions}

    def document_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        record_access(
            request.user,
            AccessLog.Action.DOWNLOAD,
            obj,
            insured_person_id=obj.stoppage.person_id,
            detail="document de l'employeur",
        )
        return scan_response(obj.stored_name, obj.original_name, obj.content_type)

    def action_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        if not request.user.has_perm(REVIEW_SALARY_PERMISSION):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None or action not in ACTIONS:
            raise Http404
        title, form_class = ACTIONS[action]
        staff, now = request.user, timezone.now()
        acts = {
            "accept": lambda data: review.accept_salary_attestation(obj.pk, staff, now=now),
            "refuse": lambda data: review.refuse_salary_attestation(
                obj.pk, staff, reason=data["reason"], now=now
            ),
        }
        return run_action(
            self,
            request,
            obj,
            title=title,
            form_class=form_class,
            act=acts[action],
            change_url=reverse("admin:allowances_salaryattestation_change", args=[obj.pk]),
            label=f"{obj.stoppage.person} — {obj}",
        )
