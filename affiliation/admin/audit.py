"""Staff reads of a person's data, traced in cpam_portal.AccessLog (who, what, when).

Writes are traced by django-simple-history; this mixin traces reads. Put it first in the bases
of any ModelAdmin that shows a person's data, and say whose data an object is:

    class RequestAdmin(AuditedReadsMixin, SimpleHistoryAdmin):
        def audited_person_id(self, obj):
            return obj.person_id
"""

import re

from django.http import HttpRequest

from cpam_portal.audit import record_access, record_search
from cpam_portal.models import AccessLog

# A run of 5 digits or more in a search is (part of) a NIR, a NIA or a phone number: only its
# first 3 characters (sex and year) are kept in the trace. "2A"/"2B" count as digits.
NUMBER_RUN = re.compile(r"[0-9](?:[\s.\-]*(?:[0-9]|2[AB]|[AB])){4,}", re.IGNORECASE)


def mask_numbers(text: str) -> str:
    """'2 85 01 75 …' -> '285************': never a full NIR in a trace."""

    def masked(match: re.Match) -> str:
        digits = re.sub(r"[\s.\-]", "", match.group(0))
        return digits[:3] + "*" * (len(digits) - 3)

    return NUMBER_RUN.sub(masked, text)


class AuditedReadsMixin:
    """Trace every GET of a change page, a history page or a historical version, and searches."""

    def audited_person_id(self, obj) -> int | None:
        """The insured person whose data `obj` shows (override for each model)."""
        return None

    def audit_read(self, request: HttpRequest, obj, *, detail: str = "") -> None:
        record_access(
            request.user,
            AccessLog.Action.VIEW,
            obj,
            insured_person_id=self.audited_person_id(obj),
            detail=detail,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = response.context_data.get("original")
            if obj is not None:
                self.audit_read(request, obj)
        return response

    def render_history_view(self, request, template, context, **kwargs):
        """simple-history's history list and historical version pages both render here."""
        response = super().render_history_view(request, template, context, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            if "original" in context:  # one historical version
                obj, detail = context["original"], "history version"
            else:
                obj, detail = context["object"], "history"
            self.audit_read(request, obj, detail=detail)
        return response

    def get_search_results(self, request, queryset, search_term):
        """Searches of the change list and of autocomplete widgets: one trace per search."""
        results = super().get_search_results(request, queryset, search_term)
        if search_term.strip() and request.method == "GET":
            record_search(request.user, self.model, detail=mask_numbers(search_term.strip()))
        return results
