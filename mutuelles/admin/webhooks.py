"""Webhooks in the back office: the mutuelles' endpoints, and the delivery log with resend.

An endpoint is created through `set_webhook` and its secret rotated through
`rotate_webhook_secret`; the secret is shown once, on the page that follows (rendered, never
put in a message: messages wait in the session until read), and never on the change form.
Messages, their statements and their attempts are read-only: staff cannot edit a body, only
resend a dead message under its same webhook-id.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cpam_portal.admin import admin_page
from mutuelles.delivery.resend import RESENDABLE, resend_messages
from mutuelles.models import DeliveryAttempt, WebhookEndpoint, WebhookMessage
from mutuelles.permissions import WEBHOOK_STAFF_PERMISSIONS  # noqa: F401 (tests)
from mutuelles.services.clients import rotate_webhook_secret, set_webhook

SHOWN_ONCE_TEMPLATE = "admin/mutuelles/webhookendpoint/secret.html"


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["mutuelle", "url", "is_active", "created_at", "secret_rotated_at"]
    list_filter = ["is_active"]
    list_select_related = ["mutuelle"]
    search_fields = ["mutuelle__name", "mutuelle__amc_number", "url"]
    actions = ["rotate_secret"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # a mutuelle's receiver is reached over HTTPS
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["mutuelle", "url"]
        return ["mutuelle", "url", "is_active", "created_at", "secret_rotated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["mutuelle", "created_at", "secret_rotated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its messages keep it (PROTECT); switch it off instead

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        endpoint, secret = set_webhook(form.cleaned_data["mutuelle"], form.cleaned_data["url"])
        obj.pk = endpoint.pk
        obj.created_at = endpoint.created_at
        request._webhook_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_webhook_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        return self._secret_page(request, obj, secret, _("Adresse de réception enregistrée"))

    @admin.action(description=_("Renouveler le secret de signature"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choisissez une seule adresse de réception."), messages.WARNING
            )
            return None
        endpoint = queryset.select_related("mutuelle").get()
        secret = rotate_webhook_secret(endpoint)
        self.log_change(request, endpoint, _("Secret de signature renouvelé."))
        return self._secret_page(request, endpoint, secret, _("Nouveau secret de signature"))

    def _secret_page(self, request, endpoint, secret, title):
        return admin_page(
            self, request, SHOWN_ONCE_TEMPLATE, title=title, endpoint=endpoint, secret=secret
        )


class DeliveryAttemptInline(admin.TabularInline):
    """The delivery log of a message: one row per HTTP attempt."""

    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "status_code", "succeeded", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookMessage)
class WebhookMessageAdmin(admin.ModelAdmin):
    list_display = [
        "webhook_id",
        "mutuelle",
        "status",
        "statement_count",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "mutuelle", "created_at"]
    list_select_related = ["mutuelle"]
    search_fields = ["webhook_id", "mutuelle__name", "mutuelle__amc_number"]
    date_hierarchy = "created_at"
    # The body carries the statements (personal health data): not shown, never editable.
    fields = [
        "webhook_id",
        "mutuelle",
        "endpoint",
        "event_type",
        "status",
        "statement_count",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "delivered_at",
        "last_error",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [DeliveryAttemptInline]
    actions = ["resend"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_total=Count("items"))

    @admin.display(description=_("décomptes"), ordering="statement_total")
    def statement_count(self, message: WebhookMessage) -> int:
        return message.statement_total

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Renvoyer les envois abandonnés"), permissions=["change"])
    def resend(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        resent = resend_messages(selected)
        for message in WebhookMessage.objects.filter(pk__in=resent):
            self.log_change(
                request, message, _("Renvoyé (même webhook-id, tentatives remises à zéro).")
            )
        if resent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d envoi remis en file d'envoi.",
                    "%(count)d envois remis en file d'envoi.",
                    len(resent),
                )
                % {"count": len(resent)},
                messages.SUCCESS,
            )
        skipped = len(selected) - len(resent)
        if skipped:
            states = ", ".join(str(status.label) for status in RESENDABLE)
            self.message_user(
                request,
                ngettext(
                    "%(count)d envoi laissé tel quel : seuls les envois à l'état « %(states)s » "
                    "sont renvoyés.",
                    "%(count)d envois laissés tels quels : seuls les envois à l'état "
                    "« %(states)s » sont renvoyés.",
                    skipped,
                )
                % {"count": skipped, "states": states},
                messages.WARNING,
            )
