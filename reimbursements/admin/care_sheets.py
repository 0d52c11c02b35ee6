"""Staff work care sheets from the admin: a review queue, keying a sheet from a scan, rejecting.

Sheets are never edited by hand: they arrive through `submit_care_sheet` (the insured person's
form, or the keying form here with channel "staff"), and staff move them with the actions of
`reimbursements.services.submission` (release for processing, reject with a published reason
code). Opening a sheet and downloading its scan are traced in the access log (health data).
The review queue is the list filtered on "à vérifier", oldest first (`QUEUE_QUERY`).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from cpam_portal.admin import ActionPageMixin
from cpam_portal.audit import TracedReadsMixin, record_access
from cpam_portal.models import AccessLog
from reimbursements.forms.care_sheets import (
    CareLineFormSet,
    RejectionForm,
    StaffCareSheetForm,
    new_idempotency_key,
)
from reimbursements.models import CareSheet, CareSheetLine
from reimbursements.rejections import RejectionCode
from reimbursements.services import submission as services
from reimbursements.views.care_sheets import (
    LINES_PREFIX,
    error_summary,
    place_refusal,
    sheet_input,
)

STAFF_LINE_ROWS = 8  # an agent keys from the paper: room for a pharmacy's boxes
REVIEW_PERMISSION = "reimbursements.review_caresheet"
QUEUE_QUERY = "status__exact=in_review&o=6"  # list_display[6] (created_at) ascending: oldest first


class CareSheetLineInline(admin.TabularInline):
    model = CareSheetLine
    extra = 0
    can_delete = False
    fields = ["position", "act_code", "quantity", "amount_charged", "base", "is_ald_related"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CareSheet)
class CareSheetAdmin(TracedReadsMixin, ActionPageMixin, SimpleHistoryAdmin):
    list_display = [
        "care_date",
        "beneficiary",
        "professional_name",
        "profession",
        "channel",
        "status",
        "created_at",
    ]
    list_filter = ["status", "channel", "profession", "rejection_code", "care_date", "created_at"]
    search_fields = [
        "beneficiary__nir",
        "beneficiary__last_name",
        "holder__nir",
        "professional_name",
        "professional_number",
    ]
    list_select_related = ["beneficiary"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    inlines = [CareSheetLineInline]
    change_form_template = "admin/workflow_change_form.html"
    fieldsets = [
        (None, {"fields": ["status", "rejection_code", "rejection_detail", "channel", "scan"]}),
        (_("Assuré"), {"fields": ["holder", "beneficiary"]}),
        (
            _("Soins"),
            {
                "fields": [
                    "care_date",
                    "professional_name",
                    "professional_number",
                    "profession",
                    "sector",
                    "pathway",
                    "has_tiers_payant",
                ]
            },
        ),
        (_("Suivi"), {"fields": ["submitted_by", "created_at", "processed_at", "statement"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # staff act through the actions, never by editing the fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("feuille numérisée"))
    def scan(self, obj: CareSheet) -> str:
        if not obj.scan_name:
            return "—"
        url = reverse("admin:reimbursements_caresheet_scan", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le scan"))

    @admin.display(description=_("décompte"))
    def statement(self, obj: CareSheet) -> str:
        statement = getattr(obj, "statement", None)
        if statement is None:
            return "—"
        url = reverse("admin:reimbursements_statement_change", args=[statement.pk])
        return format_html('<a href="{}">{}</a>', url, statement)

    def get_urls(self):
        name = "reimbursements_caresheet"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/scan/", wrap(self.scan_view), name=f"{name}_scan"),
            path("<path:object_id>/liberer/", wrap(self.release_view), name=f"{name}_release"),
            path("<path:object_id>/rejeter/", wrap(self.reject_view), name=f"{name}_reject"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "queue_url": reverse("admin:reimbursements_caresheet_changelist") + "?" + QUEUE_QUERY,
            "queue_size": CareSheet.objects.in_review().count(),
        }
        return super().changelist_view(request, extra_context)

    def traced_person_id(self, obj: CareSheet) -> int:
        return obj.beneficiary_id

    def traced_detail(self, obj: CareSheet) -> str:
        return f"feuille de soins {obj.public_id}"

    def change_page_context(self, request: HttpRequest, obj: CareSheet | None) -> dict:
        can_act = (
            obj is not None
            and obj.status == CareSheet.Status.IN_REVIEW
            and request.user.has_perm(REVIEW_PERMISSION)
        )
        if not can_act:
            return {"workflow_actions": []}
        return {
            "workflow_actions": [
                {
                    "url": reverse("admin:reimbursements_caresheet_release", args=[obj.pk]),
                    "title": _("Conforme au scan : traiter"),
                    "has_form": False,
                },
                {
                    "url": reverse("admin:reimbursements_caresheet_reject", args=[obj.pk]),
                    "title": _("Rejeter"),
                    "has_form": True,
                },
            ]
        }

    def _sheet(self, request, object_id) -> CareSheet:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def scan_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The scan of the sheet, as an attachment; the download is traced."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self._sheet(request, object_id)
        if not obj.scan_name:
            raise Http404
        try:
            handle = storages["private"].open(obj.scan_name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        record_access(
            request.user,
            AccessLog.Action.DOWNLOAD,
            obj,
            insured_person_id=obj.beneficiary_id,
            detail=f"scan de la feuille de soins {obj.public_id}",
        )
        extension = obj.scan_name.rsplit(".", 1)[-1]
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"feuille-de-soins-{obj.pk}.{extension}",
            content_type=obj.scan_content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def release_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_POST(self._release)(request, object_id)

    def _release(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        obj = self._sheet(request, object_id)
        try:
            services.release_for_processing(obj.pk, staff=request.user)
        except services.DuplicateCareSheet as duplicate:
            self.message_user(request, duplicate.errors[0].message, messages.ERROR)
        else:
            self.message_user(
                request, _("La feuille est transmise au traitement automatique."), messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:reimbursements_caresheet_change", args=[obj.pk]))

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        obj = self._sheet(request, object_id)
        return self.run_action(
            request,
            title=_("Rejeter la feuille de soins"),
            form_class=RejectionForm,
            act=lambda data: services.reject_in_review(
                obj.pk, staff=request.user, code=RejectionCode(data["code"]), detail=data["detail"]
            ),
            change_url=reverse("admin:reimbursements_caresheet_change", args=[obj.pk]),
            done=_("La feuille est rejetée."),
            template="admin/reimbursements/caresheet/reject.html",
            original=obj,
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Keying a sheet from a scan: the same submission service, channel "staff"."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        if request.method == "POST":
            form = StaffCareSheetForm(request.POST, request.FILES, today=today)
            formset = CareLineFormSet(request.POST, prefix=LINES_PREFIX)
            if form.is_valid() and formset.is_valid():
                response = self._key(request, form, formset, today)
                if response is not None:
                    return response
        else:
            form = StaffCareSheetForm(
                initial={"idempotency_key": new_idempotency_key()}, today=today
            )
            formset = CareLineFormSet(prefix=LINES_PREFIX)
            formset.extra = STAFF_LINE_ROWS
        return self.action_page(
            request,
            title=_("Saisir une feuille de soins"),
            form=form,
            template="admin/reimbursements/caresheet/key.html",
            formset=formset,
            errors=error_summary(form, formset) if form.is_bound else [],
        )

    def _key(self, request, form, formset, today) -> HttpResponse | None:
        filled_rows = [index for index, row in enumerate(formset.forms) if row.is_filled]
        data = form.cleaned_data
        try:
            submission = services.submit_care_sheet(
                sheet_input(
                    data["holder"], data["beneficiary_person"], form, formset.filled_lines()
                ),
                channel=CareSheet.Channel.STAFF,
                submitted_by=request.user,
                on=today,
                idempotency_key=str(data["idempotency_key"]),
                scan=data["scan"],
            )
        except services.CareSheetRefused as refusal:
            place_refusal(form, formset, filled_rows, refusal)
            return None
        except services.IdempotencyKeyReused:
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(new_idempotency_key())
            form.add_error(
                None,
                _("Ce formulaire a déjà servi pour une autre feuille : vérifiez et renvoyez."),
            )
            return None
        sheet = submission.care_sheet
        if not submission.is_replay:
            self.log_addition(request, sheet, [{"added": {}}])
        self.message_user(request, _("La feuille de soins est enregistrée."), messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:reimbursements_caresheet_change", args=[sheet.pk])
        )
