"""Staff work the affiliation requests from the admin: a queue, a read-only file, actions.

Reading a request or downloading one of its documents is traced (cpam_portal.audit); acting
needs the review_affiliationrequest permission, which the COUNTER_STAFF group holds
(COUNTER_STAFF_PERMISSIONS in affiliation/models/requests.py).
"""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from affiliation.countries import countries
from affiliation.forms.requests import AcceptanceForm, InformationRequestForm, RefusalForm
from affiliation.models import AffiliationRequest, RequestDocument, RequestEvent
from affiliation.models.requests import REVIEW_PERMISSION
from affiliation.rules import requests as rules
from affiliation.services import requests as services
from affiliation.views.requests import document_response
from cpam_portal.admin import ActionPageMixin
from cpam_portal.audit import TracedReadsMixin, record_access
from cpam_portal.models import AccessLog


class RequestDocumentInline(admin.TabularInline):
    model = RequestDocument
    extra = 0
    can_delete = False
    fields = ["kind", "download", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("fichier"))
    def download(self, document: RequestDocument) -> str:
        url = reverse(
            "admin:affiliation_affiliationrequest_document",
            args=[document.request_id, document.public_id],
        )
        return format_html('<a href="{}">{}</a>', url, document.original_name)


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


ACTIONS = {
    # name in the URL: (target status, form of the staff input or None, title)
    "review": (rules.Status.IN_REVIEW, None, _("Prendre en charge la demande")),
    "information": (
        rules.Status.INFO_REQUESTED,
        InformationRequestForm,
        _("Demander des informations"),
    ),
    "accept": (rules.Status.ACCEPTED, AcceptanceForm, _("Accepter la demande")),
    "refuse": (rules.Status.REFUSED, RefusalForm, _("Refuser la demande")),
}


@admin.register(AffiliationRequest)
class AffiliationRequestAdmin(TracedReadsMixin, ActionPageMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "last_name",
        "first_names",
        "situation",
        "status",
        "submitted_at",
        "estimated_decision_on",
    ]
    list_filter = ["status", "situation"]
    search_fields = ["reference", "last_name", "birth_name", "first_names"]
    date_hierarchy = "submitted_at"
    ordering = ["estimated_decision_on", "submitted_at", "pk"]
    inlines = [RequestDocumentInline, RequestEventInline]
    change_form_template = "admin/workflow_change_form.html"
    fieldsets = [
        (
            None,
            {"fields": ["reference", "status", "situation", "language", "applicant_email"]},
        ),
        (
            _("Identité"),
            {
                "fields": [
                    "last_name",
                    "birth_name",
                    "first_names",
                    "sex",
                    "birth_date",
                    "birth_country_name",
                    "birth_place",
                    "nationality_name",
                    "nir",
                    "holder_nir",
                    "relationship",
                ]
            },
        ),
        (
            _("Adresse et contact"),
            {"fields": ["address_line_1", "address_line_2", "postcode", "city", "phone", "email"]},
        ),
        (
            _("Instruction"),
            {
                "fields": [
                    "submitted_at",
                    "estimated_decision_on",
                    "reviewer",
                    "info_request_message",
                    "decided_by",
                    "decided_at",
                    "refusal_reason",
                    "insured",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=rules.Status.DRAFT)

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request) -> bool:
        return False  # requests are filed by the applicants

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # staff act through the workflow actions, never by editing the fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("e-mail du compte"))
    def applicant_email(self, obj: AffiliationRequest) -> str:
        return obj.applicant.email

    @admin.display(description=_("pays de naissance"))
    def birth_country_name(self, obj: AffiliationRequest) -> str:
        country = countries().get(obj.birth_country)
        return f"{country.name_fr} ({obj.birth_country})" if country else obj.birth_country

    @admin.display(description=_("nationalité"))
    def nationality_name(self, obj: AffiliationRequest) -> str:
        country = countries().get(obj.nationality)
        return f"{country.name_fr} ({obj.nationality})" if country else obj.nationality

    def get_urls(self):
        name = "affiliation_affiliationrequest"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/documents/<uuid:document_id>/",
                wrap(self.document_view),
                name=f"{name}_document",
            ),
            path(
                "<path:object_id>/action/<str:action>/",
                wrap(self.action_view),
                name=f"{name}_action",
            ),
            *super().get_urls(),
        ]

    def can_review(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def traced_person_id(self, obj: AffiliationRequest) -> int | None:
        return obj.insured_id

    def traced_detail(self, obj: AffiliationRequest) -> str:
        return f"demande d'affiliation {obj.reference}"

    def change_page_context(self, request: HttpRequest, obj: AffiliationRequest | None) -> dict:
        return {"workflow_actions": self.available_actions(request, obj) if obj else []}

    def available_actions(self, request: HttpRequest, obj: AffiliationRequest) -> list[dict]:
        if not self.can_review(request):
            return []
        targets = rules.allowed_targets(rules.Status(obj.status), rules.Actor.STAFF)
        return [
            {
                "url": reverse(
                    "admin:affiliation_affiliationrequest_action", args=[obj.pk, action]
                ),
                "title": title,
                "has_form": form_class is not None,
            }
            for action, (target, form_class, title) in ACTIONS.items()
            if target in targets
        ]

    def document_view(self, request: HttpRequest, object_id: str, document_id) -> HttpResponse:
        """A document of the request, for staff who may read requests; the read is traced."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        document = get_object_or_404(obj.documents, public_id=document_id)
        record_access(
            request.user,
            AccessLog.Action.DOWNLOAD,
            document,
            insured_person_id=obj.insured_id,
            detail=f"{obj.reference} {document.kind}",
        )
        return document_response(document)

    def action_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        if not self.can_review(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        target, form_class, title = ACTIONS[action]
        change_url = reverse("admin:affiliation_affiliationrequest_change", args=[obj.pk])
        run = partial(
            self.run_action,
            title=title,
            form_class=form_class,
            act=lambda data: self._act(request, obj, target, data),
            change_url=change_url,
            refused=services.RequestActionError,
            template="admin/affiliation/affiliationrequest/action_form.html",
            original=obj,
            object_label=obj.reference,
        )
        return require_POST(run)(request) if form_class is None else run(request)

    def _act(self, request, obj: AffiliationRequest, target: rules.Status, data: dict) -> None:
        staff = request.user
        if target == rules.Status.IN_REVIEW:
            services.take_in_review(obj.pk, staff)
        elif target == rules.Status.INFO_REQUESTED:
            services.request_information(obj.pk, staff, message=data["message"])
        elif target == rules.Status.REFUSED:
            services.refuse_request(obj.pk, staff, reason=data["reason"])
        elif target == rules.Status.ACCEPTED:
            person = services.accept_request(
                obj.pk, staff, on=timezone.localdate(), nir=data.get("nir", "")
            )
            self.log_change(request, obj, [{"changed": {"fields": ["status", "insured"]}}])
            self.message_user(
                request,
                _("Dossier créé pour %(person)s, numéro %(nir)s.")
                % {"person": person, "nir": person.nir},
                messages.INFO,
            )
