"""API clients of the mutuelles in the back office: created and rotated here, secret shown once.

django-oauth-toolkit keeps only a hash of a client secret: the plain secret exists in the answer
to the creation or the rotation, rendered once on a page (never in a flash message, which the
session keeps until read). The OAuth models staff must not touch directly are unregistered:
an application edited by hand would escape `create_client` (scopes, hashing); grants, ID
tokens and refresh tokens are never issued (client credentials only). Access tokens stay
visible, read-only: who holds a live token, until when.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from simple_history.admin import SimpleHistoryAdmin

from cpam_portal.admin import admin_page
from mutuelles.models import ClientAccessLog, MutuelleClient
from mutuelles.permissions import CLIENT_MANAGER_PERMISSIONS  # noqa: F401 (tests)
from mutuelles.scopes import SCOPES
from mutuelles.services.clients import create_client, rotate_client_secret

ONE_TIME_PAGE_TEMPLATE = "admin/mutuelles/client_secret.html"

for model in (get_application_model(), get_grant_model(), get_id_token_model(),
              get_refresh_token_model()):  # fmt: skip
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class MutuelleClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("droits (scopes)"),
        choices=[(scope, f"{scope} — {text}") for scope, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MutuelleClient
        fields = ["mutuelle", "name", "scopes", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scopes"] = self.instance.scope_list

    def clean_scopes(self) -> str:
        return " ".join(self.cleaned_data["scopes"])


def secret_page(modeladmin, request, client, secret, title):
    """The client id and its plain secret, on one page, once."""
    return admin_page(
        modeladmin,
        request,
        ONE_TIME_PAGE_TEMPLATE,
        title=title,
        client=client,
        client_id=client.application.client_id,
        secret=secret,
    )


@admin.register(MutuelleClient)
class MutuelleClientAdmin(SimpleHistoryAdmin):
    form = MutuelleClientForm
    list_display = ["name", "mutuelle", "scopes", "is_active", "created_at", "secret_rotated_at"]
    list_filter = ["is_active", "mutuelle", "created_at"]
    list_select_related = ["mutuelle"]
    search_fields = ["name", "mutuelle__name", "mutuelle__amc_number", "application__client_id"]
    actions = ["rotate_secret", "deactivate"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["client_id", "created_at", "secret_rotated_at"]
        return [*fixed, "mutuelle"] if obj is not None else fixed

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["mutuelle", "name", "scopes"]
        return ["mutuelle", "client_id", "name", "scopes", "is_active", "created_at",
                "secret_rotated_at"]  # fmt: skip

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its access log refers to it: deactivate instead

    @admin.display(description=_("identifiant client (client_id)"))
    def client_id(self, client: MutuelleClient) -> str:
        return client.application.client_id

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        client, secret = create_client(data["mutuelle"], data["name"], data["scopes"].split())
        # The admin goes on with `obj` (log entry, redirect): make it the created row.
        obj.pk, obj.application, obj.created_at = client.pk, client.application, client.created_at
        obj._state.adding = False
        request._mutuelle_client_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_mutuelle_client_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        return secret_page(self, request, obj, secret, _("Client API créé"))

    @admin.action(description=_("Renouveler le secret (affiché une fois)"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                _("Choisissez un seul client pour renouveler son secret."),
                messages.WARNING,
            )
            return None
        client = queryset.select_related("application").get()
        secret = rotate_client_secret(client)
        return secret_page(self, request, client, secret, _("Nouveau secret du client API"))

    @admin.action(description=_("Désactiver (refuse aussitôt ses jetons)"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = 0
        for client in queryset.filter(is_active=True):
            client.is_active = False
            client.save(update_fields=["is_active"])  # saved one by one: the history keeps it
            count += 1
        self.message_user(
            request, _("%(count)d client(s) désactivé(s).") % {"count": count}, messages.SUCCESS
        )


@admin.register(ClientAccessLog)
class ClientAccessLogAdmin(admin.ModelAdmin):
    """Insert-only: nobody adds, changes or deletes a trace, superusers included."""

    list_display = ["at", "client", "action", "records", "insured_person_id", "request_id"]
    list_filter = ["action", "client__mutuelle", "at"]
    list_select_related = ["client__mutuelle"]
    search_fields = ["=insured_person_id", "=request_id"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


access_token_model = get_access_token_model()
if admin.site.is_registered(access_token_model):
    admin.site.unregister(access_token_model)


@admin.register(access_token_model)
class AccessTokenAdmin(admin.ModelAdmin):
    """Live and expired tokens, read-only (the value itself is stored as a checksum only)."""

    list_display = ["pk", "application", "scope", "expires", "created"]
    list_filter = ["application", "expires"]
    list_select_related = ["application"]
    fields = ["application", "scope", "expires", "created"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
