"""What every app's back office shares, and the shared models' pages: the access log
(read-only for everyone, superusers included) and the dated rule parameters.

Who may read the access log: superusers, and whoever is given the permission
cpam_portal.view_accesslog (no group has it by default: it is meant for auditors and the data
protection officer).
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cpam_portal.models import AccessLog, RuleParameter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the services only (statements, payments, transmissions…): staff read
    every field, and nobody adds, changes or deletes one by hand."""

    def get_readonly_fields(self, request, obj=None):
        fields = [field.name for field in self.model._meta.fields]
        return [*fields, *getattr(self, "extra_readonly", [])]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "user",
        "action",
        "object_type",
        "object_id",
        "insured_person_id",
        "detail",
    )
    list_filter = (("user", admin.RelatedOnlyFieldListFilter), "action", "at")
    list_select_related = ("user",)
    search_fields = ("=insured_person_id",)
    search_help_text = _("Identifiant (numéro interne) de l'assuré concerné")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "user",
        "action",
        "object_type",
        "object_id",
        "insured_person_id",
        "detail",
        "request_id",
    )

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        if not term.isdigit():
            return queryset.none(), False
        return queryset.filter(insured_person_id=int(term)), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(RuleParameter)
class RuleParameterAdmin(SimpleHistoryAdmin):
    """Staff add a new dated value (closing the previous one) without code; history is kept."""

    list_display = ("key", "value", "valid_from", "valid_until", "source")
    list_filter = ("valid_from",)
    search_fields = ("key", "source")
    ordering = ("key", "valid_from")
