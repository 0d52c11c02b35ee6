"""The applicant's pages: start a request, fill it, add documents, send it, follow it."""

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from affiliation.forms.requests import (
    CompletionForm,
    DocumentUploadForm,
    RequestIdentityForm,
    SituationForm,
)
from affiliation.models import AffiliationRequest, RequestDocument
from affiliation.rules import requests as rules
from affiliation.rules.documents import spaced_nir
from affiliation.services import requests as services
from cpam_portal.languages import current_language
from cpam_portal.uploads import MAX_BYTES


def own_request(request, reference: str) -> AffiliationRequest:
    """The applicant's request with this reference: anybody else's is a 404."""
    return get_object_or_404(
        AffiliationRequest.objects.for_applicant(request.user), reference=reference
    )


def breadcrumb(current, request_obj: AffiliationRequest | None = None) -> dict:
    links = [{"url": reverse("affiliation:request_start"), "title": _("Demande d'affiliation")}]
    if request_obj is not None:
        links.append(
            {
                "url": reverse("affiliation:request_detail", args=[request_obj.reference]),
                "title": request_obj.reference,
            }
        )
    return {"links": links, "current": current}


def checklist_rows(items, provided_kinds=()) -> list[dict]:
    labels = dict(RequestDocument.Kind.choices)
    have = set(provided_kinds)
    return [
        {
            "kind": item.kind.value,
            "label": labels[item.kind],
            "is_required": item.is_required,
            "condition": item.condition.value if item.condition else "",
            "is_provided": item.kind.value in have,
        }
        for item in items
    ]


@verified_email_required
@require_http_methods(["GET", "POST"])
def request_start(request):
    """Choose a situation, see what it needs, start the request (or go back to the open one)."""
    latest = AffiliationRequest.objects.for_applicant(request.user).first()
    if latest is not None and latest.is_open:
        return redirect("affiliation:request_detail", latest.reference)
    if request.method == "POST":
        form = SituationForm(request.POST)
        if form.is_valid():
            try:
                created = services.start_request(
                    request.user,
                    form.cleaned_data["situation"],
                    language=current_language(),
                )
            except services.AlreadyOpen as error:
                messages.info(request, error.message)
                return redirect("affiliation:request_detail", error.existing.reference)
            return redirect("affiliation:request_identity", created.reference)
    else:
        form = SituationForm(request.GET or None)
    situation = form.cleaned_data["situation"] if form.is_bound and form.is_valid() else None
    return render(
        request,
        "affiliation/requests/start.html",
        {
            "form": form,
            "situation": situation,
            "situation_label": (AffiliationRequest.Situation(situation).label if situation else ""),
            "checklist": checklist_rows(rules.checklist(situation)) if situation else [],
            "latest": latest,
            "breadcrumb_data": {"links": [], "current": _("Demande d'affiliation")},
        },
    )


@verified_email_required
@require_GET
def request_detail(request, reference):
    """Status, estimate, history, documents, and what the applicant can do now."""
    affiliation_request = own_request(request, reference)
    return render(
        request,
        "affiliation/requests/detail.html",
        detail_context(affiliation_request, DocumentUploadForm(request=affiliation_request)),
    )


def detail_context(affiliation_request: AffiliationRequest, upload_form) -> dict:
    documents = list(affiliation_request.documents.all())
    is_draft = affiliation_request.status == rules.Status.DRAFT
    return {
        "affiliation_request": affiliation_request,
        "documents": documents,
        "events": list(affiliation_request.events.all()),
        "checklist": checklist_rows(affiliation_request.checklist(), [d.kind for d in documents]),
        "missing": services.missing_for_submission(affiliation_request) if is_draft else [],
        "upload_form": upload_form,
        "completion_form": CompletionForm(),
        "max_bytes": MAX_BYTES,
        "breadcrumb_data": breadcrumb(affiliation_request.reference),
        # Once accepted, the applicant reads their own new number here (and gets the
        # activation code by e-mail): both are needed to link the account to the file.
        "insured_number": (
            spaced_nir(affiliation_request.insured.nir)
            if affiliation_request.insured_id and affiliation_request.situation != "dependant"
            else ""
        ),
    }


@verified_email_required
@require_http_methods(["GET", "POST"])
def request_identity(request, reference):
    affiliation_request = own_request(request, reference)
    if not affiliation_request.is_editable_by_applicant:
        messages.error(request, _("Cette demande ne peut pas être modifiée pour l'instant."))
        return redirect("affiliation:request_detail", reference)
    form = RequestIdentityForm(request.POST or None, instance=affiliation_request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos informations sont enregistrées."))
        return redirect("affiliation:request_detail", reference)
    return render(
        request,
        "affiliation/requests/identity.html",
        {
            "form": form,
            "affiliation_request": affiliation_request,
            "breadcrumb_data": breadcrumb(_("Identité et coordonnées"), affiliation_request),
        },
    )


@verified_email_required
@require_POST
def request_upload(request, reference):
    affiliation_request = own_request(request, reference)
    form = DocumentUploadForm(request.POST, request.FILES, request=affiliation_request)
    if form.is_valid():
        try:
            services.add_document(
                affiliation_request,
                form.cleaned_data["kind"],
                form.cleaned_data["file"],
                by=request.user,
            )
        except services.RequestActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Le document « %(name)s » est ajouté.")
                % {"name": form.cleaned_data["file"].display_name},
            )
            return redirect("affiliation:request_detail", reference)
    return render(
        request,
        "affiliation/requests/detail.html",
        detail_context(affiliation_request, form),
    )


@verified_email_required
@require_GET
def request_document(request, reference, document_id):
    """Download one's own document, as an attachment with a safe name."""
    affiliation_request = own_request(request, reference)
    document = get_object_or_404(affiliation_request.documents, public_id=document_id)
    return document_response(document)


def document_response(document: RequestDocument) -> FileResponse:
    try:
        handle = storages["private"].open(document.stored_name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@verified_email_required
@require_POST
def request_document_delete(request, reference, document_id):
    affiliation_request = own_request(request, reference)
    document = get_object_or_404(affiliation_request.documents, public_id=document_id)
    try:
        services.remove_document(document)
    except services.RequestActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le document est retiré."))
    return redirect("affiliation:request_detail", reference)


@verified_email_required
@require_POST
def request_submit(request, reference):
    affiliation_request = own_request(request, reference)
    try:
        services.submit_request(affiliation_request.pk, request.user, on=timezone.localdate())
    except services.RequestActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre demande est envoyée. Un e-mail vous le confirme."))
    return redirect("affiliation:request_detail", reference)


@verified_email_required
@require_POST
def request_complete(request, reference):
    affiliation_request = own_request(request, reference)
    form = CompletionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.mark_completed(
            affiliation_request.pk, request.user, on=timezone.localdate(), message=message
        )
    except services.RequestActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre réponse est transmise à la caisse."))
    return redirect("affiliation:request_detail", reference)
