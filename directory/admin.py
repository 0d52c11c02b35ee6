"""Back office of the directory: funds, offices, and the CSV imports of the directory editors.

Who may do what is Django's model permissions, granted to the group "Éditeurs de l'annuaire"
by a migration. An import is a record of what was uploaded and what it did: it is never edited.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from directory import imports, services
from directory.models import DirectoryImport, Fund, Office
from directory.rules import normalise_department_code

# The office's own columns of the import format: the same fields, in the same order.
OFFICE_FIELDS = tuple(
    column for column in imports.COLUMNS if column not in {"department_code", "department_label"}
)
# The form field that an import message is about, when it is not in the message itself.
FIELD_OF_MESSAGE = {
    "postcode_format": "postcode",
    "postcode_unknown": "postcode",
    "department_mismatch": "postcode",
    "phone_invalid": "phone",
}
STATUS_EXPLANATIONS = {
    DirectoryImport.Status.PENDING: _(
        "Le fichier attend d'être traité. Rechargez la page dans un instant pour voir le "
        "compte rendu."
    ),
    DirectoryImport.Status.RUNNING: _(
        "Le fichier est en cours de traitement. Rechargez la page dans un instant pour voir le "
        "compte rendu."
    ),
    DirectoryImport.Status.APPLIED: _("Le fichier a été appliqué à l'annuaire."),
    DirectoryImport.Status.REJECTED: _(
        "Le fichier a été refusé : l'annuaire n'a pas été modifié. Corrigez les lignes "
        "ci-dessous, puis déposez à nouveau le fichier entier."
    ),
    DirectoryImport.Status.FAILED: _(
        "Le traitement a échoué pour une raison technique après plusieurs tentatives : "
        "l'annuaire n'a pas été modifié. Déposez à nouveau le fichier ; si l'échec se répète, "
        "prévenez l'équipe technique."
    ),
}


def csv_response(content: str, file_name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, file_name)},
    )


def report_rows(report: list[dict]) -> list[dict]:
    """The stored report, each detail in the reader's language.

    An entry whose messages cannot be read back (written by another version) shows the
    French text stored with it.
    """
    rows = []
    for entry in report:
        try:
            detail = " ".join(
                imports.describe(imports.Message(message["code"], message["params"]))
                for message in entry["messages"]
            )
        except (KeyError, TypeError, ValueError):
            detail = entry.get("detail", "")
        outcome = entry.get("outcome", "")
        rows.append(
            {
                "line": entry.get("line"),
                "outcome": outcome,
                "outcome_label": imports.OUTCOME_LABELS.get(outcome, outcome),
                "detail": detail,
            }
        )
    return rows


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ("department_code", "department_name", "seed_label", "name", "kind", "time_zone")

    def clean_department_code(self) -> str:
        code = normalise_department_code(self.cleaned_data["department_code"])
        if code is None:
            raise ValidationError(
                _("Ce n'est pas un code de département (« 01 », « 2A », « 974 »…)."),
                code="department_code",
            )
        return code


class OfficeForm(forms.ModelForm):
    """An office as the admin edits it, held to the same checks as a line of the CSV import."""

    class Meta:
        model = Office
        fields = ("fund", *OFFICE_FIELDS)

    def clean(self):
        cleaned_data = super().clean()
        # In the fund's page the inline form has no fund field: the fund is the page's.
        fund = cleaned_data.get("fund") or getattr(self.instance, "fund", None)
        if fund is None or self.errors:
            return cleaned_data
        values = {name: cleaned_data.get(name) or "" for name in OFFICE_FIELDS}
        values["department_code"] = fund.department_code
        for message in imports.line_problems(values, {fund.department_code}):
            field = message.params.get("field") or FIELD_OF_MESSAGE.get(message.code)
            self.add_error(field if field in self.fields else None, imports.describe(message))
        return cleaned_data


class OfficeInline(admin.TabularInline):
    model = Office
    form = OfficeForm
    fields = OFFICE_FIELDS
    extra = 0
    show_change_link = True


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    form = FundForm
    list_display = ("department_code", "department_name", "name", "kind")
    list_display_links = ("department_code", "department_name")
    list_filter = ("kind",)
    search_fields = ("department_code", "department_name", "seed_label", "name")
    ordering = ("sort_key",)
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeForm
    list_display = ("fund", "postcode", "city", "phone")
    list_filter = ("fund__kind",)
    search_fields = ("city", "postcode", "address_line_1", "address_line_2", "address_line_3")
    list_select_related = ("fund",)
    actions = ["export_as_csv"]

    @admin.action(description=_("Exporter en CSV (format de l'import)"), permissions=["view"])
    def export_as_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        content = services.export_offices_csv(queryset.select_related("fund"))
        return csv_response(content, "accueils.csv")


class DirectoryImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des accueils"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


@admin.register(DirectoryImport)
class DirectoryImportAdmin(admin.ModelAdmin):
    list_display = (
        "uploaded_at",
        "file_name",
        "status",
        "uploaded_by",
        "created_count",
        "changed_count",
        "unchanged_count",
        "rejected_count",
    )
    list_display_links = ("uploaded_at", "file_name")
    list_filter = ("status",)
    list_select_related = ("uploaded_by",)
    search_fields = ("file_name",)
    fieldsets = (
        (None, {"fields": ("file_name", "uploaded_by", "uploaded_at", "status")}),
        (
            _("Résultat"),
            {"fields": ("created_count", "changed_count", "unchanged_count", "rejected_count")},
        ),
        (_("Traitement"), {"fields": ("claimed_at", "finished_at", "attempts")}),
    )
    readonly_fields = (
        "file_name",
        "uploaded_by",
        "uploaded_at",
        "status",
        "created_count",
        "changed_count",
        "unchanged_count",
        "rejected_count",
        "claimed_at",
        "finished_at",
        "attempts",
    )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # an import says what was uploaded and what it did: it stays as it was

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # nor is it deleted: it is the trace of who changed the directory, and how

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name=f"{name}_export"),
            path(
                "<path:object_id>/file/",
                self.admin_site.admin_view(self.file_view),
                name=f"{name}_file",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """The upload page: one file field; the import itself runs in a worker."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = DirectoryImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    directory_import = services.create_directory_import(
                        request.user, form.cleaned_data["file"]
                    )
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    self.log_addition(request, directory_import, [{"added": {}}])
                    self.message_user(
                        request,
                        _("Le fichier « %(name)s » est déposé : son traitement commence.")
                        % {"name": directory_import.file_name},
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse(
                            f"{self.admin_site.name}:directory_directoryimport_change",
                            args=[directory_import.pk],
                        )
                    )
        else:
            form = DirectoryImportUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Déposer un fichier CSV d'accueils"),
            "form": form,
            "columns": imports.COLUMNS,
            "max_size": filesizeformat(settings.DIRECTORY_CSV_MAX_BYTES),
            "can_export_offices": self._can_export_offices(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/directory/directoryimport/upload_form.html", context
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            "can_export_offices": self._can_export_offices(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["report_rows"] = report_rows(obj.report)
            context["status_explanation"] = STATUS_EXPLANATIONS.get(obj.status, "")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Every office of the directory, as a CSV that an import takes back unchanged."""
        if not self._can_export_offices(request):
            raise PermissionDenied
        return csv_response(services.export_offices_csv(), "accueils.csv")

    def file_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The file as it was uploaded, to correct it after a rejection."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        directory_import = self.get_object(request, unquote(object_id))
        if directory_import is None:
            raise Http404
        return csv_response(directory_import.content, directory_import.file_name or "import.csv")

    def _can_export_offices(self, request: HttpRequest) -> bool:
        codename = get_permission_codename("view", Office._meta)
        return request.user.has_perm(f"{Office._meta.app_label}.{codename}")
