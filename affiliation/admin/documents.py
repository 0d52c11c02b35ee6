"""Back office of documents and cards: counter staff follow card orders and revoke documents.

Nothing here is created or deleted by hand: orders come from the insured person's space and
documents from the services that render them. Staff move an order's status with the actions
(ordered -> produced -> sent, or cancelled), which go through the service and its rules.
Opening an order or a document, or downloading a PDF, is traced in the access log.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from affiliation.models import CardOrder, IssuedDocument
from affiliation.rules.documents import BadCardTransition
from affiliation.services import documents as services
from cpam_portal.audit import TracedReadsMixin, record_access


class ReadOnlyFieldsMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _advance(modeladmin, request, queryset, target):
    moved, refused = 0, 0
    for order in queryset:
        try:
            services.advance_card_order(order, target, now=timezone.now())
            moved += 1
        except BadCardTransition:
            refused += 1
    if moved:
        modeladmin.message_user(
            request,
            _("%(count)d commande(s) passée(s) à l'état « %(status)s ».")
            % {"count": moved, "status": CardOrder.Status(target).label},
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(
            request,
            _(
                "%(count)d commande(s) laissée(s) telle(s) quelle(s) : on ne peut pas passer "
                "de leur état à « %(status)s »."
            )
            % {"count": refused, "status": CardOrder.Status(target).label},
            messages.WARNING,
        )


@admin.action(description=_("Marquer comme fabriquées"), permissions=["change"])
def mark_produced(modeladmin, request, queryset):
    _advance(modeladmin, request, queryset, CardOrder.Status.PRODUCED)


@admin.action(description=_("Marquer comme envoyées"), permissions=["change"])
def mark_sent(modeladmin, request, queryset):
    _advance(modeladmin, request, queryset, CardOrder.Status.SENT)


@admin.action(description=_("Annuler les commandes"), permissions=["change"])
def mark_cancelled(modeladmin, request, queryset):
    _advance(modeladmin, request, queryset, CardOrder.Status.CANCELLED)


@admin.register(CardOrder)
class CardOrderAdmin(TracedReadsMixin, ReadOnlyFieldsMixin, SimpleHistoryAdmin):
    list_display = ["person", "kind", "reason", "status", "ordered_at", "valid_until"]
    list_filter = ["kind", "status", "reason"]
    search_fields = ["person__nir", "person__last_name", "person__first_names"]
    list_select_related = ["person"]
    date_hierarchy = "ordered_at"
    actions = [mark_produced, mark_sent, mark_cancelled]
    readonly_fields = [
        "person",
        "ordered_by",
        "kind",
        "reason",
        "status",
        "ordered_at",
        "produced_at",
        "sent_at",
        "cancelled_at",
        "valid_from",
        "valid_until",
        "invalidated_at",
        "replaced_by",
    ]

    def traced_person_id(self, obj: CardOrder) -> int:
        return obj.person_id


@admin.action(description=_("Révoquer les documents (fraude, erreur)"), permissions=["change"])
def revoke(modeladmin, request, queryset):
    count = 0
    for document in queryset.filter(is_revoked=False):
        services.revoke_document(
            document, reason=f"révoqué par {request.user.email}", now=timezone.now()
        )
        count += 1
    modeladmin.message_user(
        request, _("%(count)d document(s) révoqué(s).") % {"count": count}, messages.SUCCESS
    )


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyFieldsMixin, SimpleHistoryAdmin):
    list_display = ["kind", "holder", "issued_at", "valid_from", "valid_until", "is_revoked"]
    list_filter = ["kind", "is_revoked", "language"]
    search_fields = ["holder__nir", "holder__last_name", "holder__first_names"]
    list_select_related = ["holder"]
    date_hierarchy = "issued_at"
    actions = [revoke]
    fields = [
        "kind",
        "holder",
        "requested_by",
        "card_order",
        "issued_at",
        "valid_from",
        "valid_until",
        "language",
        "holder_initials",
        "holder_birth_year",
        "pdf_link",
        "is_revoked",
        "revoked_at",
        "revocation_reason",
    ]
    readonly_fields = fields

    @admin.display(description=_("fichier PDF"))
    def pdf_link(self, document):
        url = reverse("admin:affiliation_issueddocument_pdf", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le PDF"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="affiliation_issueddocument_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        document = self.get_object(request, unquote(object_id))
        if document is None:
            raise Http404(object_id)
        if not self.has_view_or_change_permission(request, document):
            raise PermissionDenied
        record_access(request.user, "download", document, insured_person_id=document.holder_id)
        return services.pdf_response(document)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = self.get_object(request, unquote(object_id))
        if document is not None and self.has_view_or_change_permission(request, document):
            record_access(request.user, "view", document, insured_person_id=document.holder_id)
        return super().change_view(request, object_id, form_url, extra_context)
