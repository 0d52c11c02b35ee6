"""Attestations, cards and the public verification of a document's code.

The insured person's pages find their file with InsuredPerson.objects.for_user(): every object
they name is looked up inside it, so another person's document or order is a 404.
"""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from affiliation.forms.documents import AttestationForm, CardOrderForm, VerificationForm
from affiliation.models import CardOrder, InsuredPerson, IssuedDocument
from affiliation.rules.documents import (
    CardNotAllowed,
    CardRefusal,
    NoOpenRights,
    NotAFileHolder,
    UnknownDepartment,
)
from affiliation.services import documents as services
from cpam_portal.languages import current_language

CARD_KINDS_IN_URLS = {"vitale": CardOrder.Kind.CARTE_VITALE, "ceam": CardOrder.Kind.CEAM}


def my_file(request) -> InsuredPerson | None:
    return InsuredPerson.objects.for_user(request.user).select_related("fund").first()


def no_file(request):
    return render(
        request,
        "affiliation/documents/no_file.html",
        {"breadcrumb_data": {"links": [], "current": _("Mes documents")}},
    )


# --- Attestations -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attestations(request):
    holder = my_file(request)
    if holder is None:
        return no_file(request)
    form = AttestationForm(request.POST or None, initial={"language": current_language()})
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_attestation(
                holder,
                language=form.cleaned_data["language"],
                on=timezone.localdate(),
                now=timezone.now(),
            )
        except NoOpenRights:
            form.add_error(
                None,
                _(
                    "Vos droits ne sont pas ouverts aujourd'hui : aucune attestation ne peut "
                    "être délivrée. Appelez le %(phone)s pour faire le point sur votre dossier."
                )
                % {"phone": settings.NATIONAL_PHONE},
            )
        except (NotAFileHolder, UnknownDepartment):
            form.add_error(
                None,
                _(
                    "Votre dossier ne permet pas de délivrer une attestation en ligne. "
                    "Appelez le %(phone)s : un conseiller vous l'enverra."
                )
                % {"phone": settings.NATIONAL_PHONE},
            )
        else:
            messages.success(
                request,
                _("Votre attestation de droits est prête : téléchargez-la dans la liste."),
            )
            return redirect("affiliation:attestations")
    documents = IssuedDocument.objects.filter(requested_by=holder).select_related("holder")[:50]
    return render(
        request,
        "affiliation/documents/attestations.html",
        {
            "form": form,
            "documents": documents,
            "today": timezone.localdate(),
            "breadcrumb_data": {"links": [], "current": _("Mes attestations")},
        },
    )


@login_required
@require_GET
def download_document(request, pk: int):
    document = get_object_or_404(IssuedDocument.objects.for_user(request.user), pk=pk)
    return services.pdf_response(document)


# --- Cards --------------------------------------------------------------------------------------


@login_required
@require_GET
def cards(request):
    holder = my_file(request)
    if holder is None:
        return no_file(request)
    orders = (
        CardOrder.objects.filter(ordered_by=holder)
        .select_related("person")
        .prefetch_related("documents")[:50]
    )
    return render(
        request,
        "affiliation/documents/cards.html",
        {
            "orders": orders,
            "breadcrumb_data": {"links": [], "current": _("Mes cartes")},
        },
    )


CARD_REFUSALS = {
    CardRefusal.TEMPORARY_NUMBER: _(
        "Une carte Vitale ne peut pas encore être commandée pour cette personne : son numéro "
        "de sécurité sociale est un numéro d'attente (NIA). La carte pourra être commandée dès "
        "que le numéro définitif aura été attribué ; d'ici là, utilisez l'attestation de droits."
    ),
    CardRefusal.NO_OPEN_RIGHTS: _(
        "Les droits de cette personne ne sont pas ouverts aujourd'hui : aucune carte ne peut "
        "être commandée. Appelez le %(phone)s pour faire le point sur le dossier."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def order_card(request, kind: str):
    card_kind = CARD_KINDS_IN_URLS.get(kind)
    if card_kind is None:
        raise Http404(kind)
    holder = my_file(request)
    if holder is None:
        return no_file(request)
    entries = services.file_entries_for_choice(holder)
    is_ceam = card_kind == CardOrder.Kind.CEAM
    form = CardOrderForm(
        request.POST or None,
        entries=entries,
        with_language=is_ceam,
        initial={"language": current_language(), "person": holder.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            order, _certificate = services.order_card(
                ordered_by=holder,
                person_id=form.cleaned_data["person"],
                kind=card_kind,
                reason=form.cleaned_data["reason"],
                language=form.cleaned_data.get("language", "fr"),
                on=timezone.localdate(),
                now=timezone.now(),
            )
        except CardNotAllowed as refusal:
            form.add_error(
                "person", CARD_REFUSALS[refusal.reason] % {"phone": settings.NATIONAL_PHONE}
            )
        except services.OpenCardOrderExists:
            form.add_error(
                "person",
                _(
                    "Une commande de cette carte est déjà en cours pour cette personne : "
                    "suivez-la dans « Mes cartes »."
                ),
            )
        except services.NotOnFile:
            form.add_error("person", _("Cette personne ne figure pas sur votre dossier."))
        else:
            messages.success(request, _("Votre commande est enregistrée."))
            return redirect("affiliation:card_order", pk=order.pk)
    title = _("Commander une carte Vitale") if not is_ceam else _("Commander une CEAM")
    return render(
        request,
        "affiliation/documents/order_card.html",
        {
            "form": form,
            "is_ceam": is_ceam,
            "title": title,
            "breadcrumb_data": {
                "links": [{"url": reverse("affiliation:cards"), "title": _("Mes cartes")}],
                "current": title,
            },
        },
    )


@login_required
@require_GET
def card_order(request, pk: int):
    order = get_object_or_404(
        CardOrder.objects.for_user(request.user).select_related("person"), pk=pk
    )
    return render(
        request,
        "affiliation/documents/card_order.html",
        {
            "order": order,
            "certificates": order.documents.all(),
            "today": timezone.localdate(),
            "breadcrumb_data": {
                "links": [{"url": reverse("affiliation:cards"), "title": _("Mes cartes")}],
                "current": capfirst(order.get_kind_display()),
            },
        },
    )


# --- Public verification ------------------------------------------------------------------------


def private_answer(response):
    """The verification pages are not indexed and do not leak their URL (it may hold a code)."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def verification_page(request, form, verification=None, status=200):
    return private_answer(
        render(
            request,
            "affiliation/documents/verify.html",
            {
                "form": form,
                "verification": verification,
                "today": timezone.localdate(),
                "too_many": status == 429,
                "breadcrumb_data": {"links": [], "current": _("Vérifier un document")},
            },
            status=status,
        )
    )


def check_code(request, data):
    """Count the lookup, then answer: the result, a format error, or 429 over the limit."""
    form = VerificationForm(data)
    client_ip = get_adapter().get_client_ip(request)
    if not services.allow_verification(client_ip, now_timestamp=timezone.now().timestamp()):
        return verification_page(request, VerificationForm(), status=429)
    if not form.is_valid():
        return verification_page(request, form)
    verification = services.verify_code(form.cleaned_data["code"], on=timezone.localdate())
    return verification_page(request, VerificationForm(), verification)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    """The form: the code travels in the request body, never in the URL.

    No CSRF token: the lookup changes nothing for anyone (it reads one document and counts
    against the caller's own address), and with `Referrer-Policy: no-referrer` browsers send
    `Origin: null`, which Django's origin check refuses. Without a token, an anonymous
    visitor gets no session either.
    """
    if request.method == "POST":
        return check_code(request, request.POST)
    return verification_page(request, VerificationForm())


@require_GET
def verify_code(request, code: str):
    """The QR code's link: /verifier/<code>/."""
    return check_code(request, {"code": code})
