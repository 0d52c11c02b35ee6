"""Tracing staff reads of personal data (writes are traced by django-simple-history).

A back-office page that shows a person's data leaves one AccessLog row: `record_access` for a
read or a download, `record_search` for a search. Every ModelAdmin that traces its pages does
it through TracedReadsMixin.
"""

import re
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpRequest, HttpResponse
from django_guid import get_guid

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


def record_access(
    user: Any,
    action: str,
    obj: models.Model,
    *,
    insured_person_id: int | None = None,
    detail: str = "",
) -> AccessLog:
    """Insert one trace of `user` reading `obj` (which concerns `insured_person_id`)."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        insured_person_id=insured_person_id,
        detail=detail[:200],
        request_id=get_guid() or "",
    )


def record_search(user: Any, model: type[models.Model], *, detail: str) -> AccessLog:
    """Insert one trace of `user` searching `model` (the caller masks numbers in `detail`)."""
    return AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.SEARCH,
        object_type=model._meta.label_lower,
        object_id="",
        detail=detail[:200],
        request_id=get_guid() or "",
    )


if TYPE_CHECKING:  # what the mixin is mixed into: a ModelAdmin, often simple-history's
    from simple_history.admin import SimpleHistoryAdmin as _AdminBase
else:
    _AdminBase = object


class TracedReadsMixin(_AdminBase):
    """The reads of a ModelAdmin's pages, traced in AccessLog (who read whose data, when).

    Put it first in the bases of the ModelAdmin, and say whose data an object is
    (`traced_person_id`) and what it is, if the model does not say enough (`traced_detail`):

        class CareSheetAdmin(TracedReadsMixin, SimpleHistoryAdmin):
            def traced_person_id(self, sheet):
                return sheet.beneficiary_id

    The change page of an object the user may view is traced before it is built: a page that
    then fails has still been asked for, the trace errs on that side. A page of the admin's own
    that shows an object traces it with `trace_read`; `change_page_context` adds to the change
    page's context, given the object.
    """

    # Whether a request other than GET for the change page (a save, or one refused) is a read
    # too. An admin whose change page is a form sets False: saving is kept by the history.
    trace_saves: ClassVar[bool] = True
    # Whether the history pages (django-simple-history's list and each historical version) and
    # the searches of the change list and of autocomplete widgets are traced too.
    trace_history_and_searches: ClassVar[bool] = False

    def traced_person_id(self, obj: models.Model) -> int | None:
        """The insured person whose data `obj` shows."""
        return None

    def traced_detail(self, obj: models.Model) -> str:
        """What the trace of reading `obj`'s change page says besides the model and the id."""
        return ""

    def trace_read(self, request: HttpRequest, obj: models.Model, *, detail: str = "") -> None:
        record_access(
            request.user,
            AccessLog.Action.VIEW,
            obj,
            insured_person_id=self.traced_person_id(obj),
            detail=detail,
        )

    def change_page_context(self, request: HttpRequest, obj: models.Model | None) -> dict:
        """What the change page of `obj` (None when there is no such object) shows besides."""
        return {}

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is not None
            and (self.trace_saves or request.method == "GET")
            and self.has_view_permission(request, obj)
        ):
            self.trace_read(request, obj, detail=self.traced_detail(obj))
        extra_context = {**(extra_context or {}), **self.change_page_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        """simple-history's history list and historical version pages both render here."""
        response = super().render_history_view(request, template, context, **kwargs)
        if (
            self.trace_history_and_searches
            and request.method == "GET"
            and response.status_code == 200
        ):
            if "original" in context:  # one historical version
                obj, detail = context["original"], "history version"
            else:
                obj, detail = context["object"], "history"
            self.trace_read(request, obj, detail=detail)
        return response

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet, search_term: str
    ) -> tuple[models.QuerySet, bool]:
        """Searches of the change list and of autocomplete widgets: one trace per search."""
        results = super().get_search_results(request, queryset, search_term)
        if self.trace_history_and_searches and search_term.strip() and request.method == "GET":
            record_search(request.user, self.model, detail=mask_numbers(search_term.strip()))
        return results
