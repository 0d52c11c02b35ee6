"""The back office's shared parts, and the admin of cpam_portal's own models.

The access log is read-only for everyone, superusers included. Who may read it: superusers,
and whoever is given the permission cpam_portal.view_accesslog (no group has it by default: it
is meant for auditors and the data protection officer).

Pages that a ModelAdmin adds to Django's own (a secret shown once, an action's form) are built
with `admin_page` and ActionPageMixin, in the admin's frame; rows that only services write are
shown with ReadOnlyAdmin.
"""

from collections.abc import Callable
from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cpam_portal.models import AccessLog, RuleParameter

ACTION_FORM_TEMPLATE = "admin/action_form.html"
DONE = _("C'est fait.")


def admin_page(
    model_admin: admin.ModelAdmin, request: HttpRequest, template: str, *, title: str, **context
) -> TemplateResponse:
    """A page of `model_admin` besides Django's own, with the admin's header, sidebar and the
    model's breadcrumbs (`opts`); `context` is what the template shows."""
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": title,
            **context,
        },
    )


class ActionPageMixin:
    """The pages of a ModelAdmin's own actions on one object that ask for a form (reject a care
    sheet, refuse a stoppage, decide an application...).

    The page is templates/admin/action_form.html: breadcrumbs down to the object (`original`,
    or `object_label`, linked to `change_url`), a line about it (`label`), the form, a submit
    button named after the page's `title`, and "Annuler". A page that shows more extends that
    template and fills its blocks. A service refuses an action by raising one of the `refused`
    exceptions, whose `message` is shown.
    """

    def action_page(
        self,
        request: HttpRequest,
        *,
        title: str,
        form: forms.Form,
        change_url: str = "",
        original: models.Model | None = None,
        object_label: str = "",
        template: str = ACTION_FORM_TEMPLATE,
        **context,
    ) -> TemplateResponse:
        return admin_page(
            self,
            request,
            template,
            title=title,
            form=form,
            change_url=change_url,
            original=original,
            object_label=object_label or original,
            **context,
        )

    def run_action(
        self,
        request: HttpRequest,
        *,
        title: str,
        form_class: Callable[..., forms.Form] | None,
        act: Callable[[dict], object],
        change_url: str,
        refused: type[Exception] | tuple[type[Exception], ...] = (),
        done: str = DONE,
        **context,
    ) -> HttpResponse:
        """With a form: a valid POST runs `act(cleaned_data)` and goes back to the object with
        `done`, a refusal is shown above the form, anything else shows the page. Without one
        (the caller lets only POST through): `act({})`, then back to the object with `done` or
        the refusal as a message."""
        if form_class is None:
            try:
                act({})
            except refused as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                act(form.cleaned_data)
            except refused as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return self.action_page(request, title=title, form=form, change_url=change_url, **context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the services only (codes issued, moves declared, statements, payments,
    transmissions…): staff read them, and act through actions; nobody adds, changes or deletes
    one by hand. `show_every_field` lists every column on the page, those Django would leave
    out (not editable, such as the creation time) included."""

    show_every_field: ClassVar[bool] = False
    extra_readonly: ClassVar[list[str]] = []

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None):
        if not self.show_every_field:
            return super().get_readonly_fields(request, obj)
        return [*(field.name for field in self.model._meta.fields), *self.extra_readonly]

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
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
