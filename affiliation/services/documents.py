"""Issuing attestations and certificates, ordering cards, and verifying a document's code.

One transaction per use case; the caller passes today's date (`on=`) and the time (`now=`).
The PDF is rendered synchronously, inside the request that asks for it (about a third of a
second, see tests/affiliation/test_documents_pdf.py), then kept in the private storage: it
prints the verification code, of which the database keeps only a digest.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from affiliation.models import (
    Beneficiary,
    CardOrder,
    CoveragePeriod,
    Exemption,
    InsuredPerson,
    IssuedDocument,
)
from affiliation.rules.documents import (
    INVALIDATING_REASONS,
    AttestationFacts,
    CardKind,
    DocumentState,
    ExemptionFacts,
    FileMember,
    InsuredFile,
    NoOpenRights,
    attestation_facts,
    ceam_card_validity,
    check_card_order,
    check_card_transition,
    code_digest,
    fund_codes,
    holder_initials,
    new_verification_code,
    normalise_code,
    provisional_certificate_validity,
    rights_end,
    spaced_nir,
)
from cpam_portal.pdf import render_pdf
from cpam_portal.periods import Period, add_months, last_valid_day

PDF_TEMPLATES = {
    IssuedDocument.Kind.ATTESTATION_DROITS: "affiliation/pdf/attestation_{language}.html",
    IssuedDocument.Kind.CEAM_PROVISIONAL_CERTIFICATE: (
        "affiliation/pdf/ceam_certificate_{language}.html"
    ),
    IssuedDocument.Kind.ALLOWANCE_PAYMENT_ATTESTATION: (
        "allowances/pdf/payment_attestation_{language}.html"
    ),
}


class OpenCardOrderExists(ValueError):
    """This person already has an order of this card that is not yet sent."""


class NotOnFile(ValueError):
    """The person is not on the file of the one who asks."""


# --- Reading a file -----------------------------------------------------------------------------


def file_entries(holder: InsuredPerson) -> list[Beneficiary]:
    """The entries of `holder`'s file, rank order, with each person's periods and exemptions."""
    return list(
        Beneficiary.objects.on_file_of(holder).prefetch_related(
            Prefetch("person__coverage_periods", queryset=CoveragePeriod.objects.order_by("pk")),
            Prefetch("person__exemptions", queryset=Exemption.objects.order_by("valid_from")),
        )
    )


def file_entries_for_choice(holder: InsuredPerson) -> list[Beneficiary]:
    """The people on `holder`'s file, rank order, to choose whom a card is for."""
    return list(Beneficiary.objects.on_file_of(holder))


def periods_of(person: InsuredPerson) -> tuple[Period, ...]:
    return tuple(Period(p.valid_from, p.valid_until) for p in person.coverage_periods.all())


def insured_file(holder: InsuredPerson, entries: list[Beneficiary]) -> InsuredFile:
    return InsuredFile(
        nir=holder.nir,
        fund_department=holder.fund.department_code if holder.fund else "",
        is_alsace_moselle=holder.is_alsace_moselle,
        members=tuple(
            FileMember(
                rank=entry.rank,
                last_name=entry.person.last_name,
                first_names=entry.person.first_names,
                birth_date=entry.person.birth_date,
                has_attending_doctor=entry.person.has_attending_doctor,
                coverage=periods_of(entry.person),
                exemptions=tuple(
                    ExemptionFacts(e.ground, Period(e.valid_from, e.valid_until))
                    for e in entry.person.exemptions.all()
                ),
            )
            for entry in entries
        ),
    )


# --- Issuing a document -------------------------------------------------------------------------


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("affiliation:verify_code", args=[code])


def qr_code_svg(url: str) -> str:
    """An inline SVG QR code of `url`: drawn in the PDF, nothing to fetch."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return image.to_string(encoding="unicode")


@dataclass(frozen=True)
class NewDocument:
    kind: IssuedDocument.Kind
    holder: InsuredPerson
    requested_by: InsuredPerson
    validity: Period
    language: str
    context: dict[str, object]
    card_order: CardOrder | None = None


def _issue(new: NewDocument, *, now: datetime) -> IssuedDocument:
    """Render the PDF with a fresh code, keep it privately, record the document.

    Called inside the caller's transaction.
    """
    valid_until = new.validity.valid_until
    if valid_until is None:
        # Every document has a last day to print (IssuedDocument.valid_until is required).
        raise ValueError("a document is issued for a period with an end")
    code = new_verification_code()
    url = verification_url(code)
    context = {
        **new.context,
        "code": code,
        "verification_url": url,
        "verification_page": settings.SITE_URL.rstrip("/") + reverse("affiliation:verify"),
        # Our own drawing of our own URL: no person's text in it.
        "qr_svg": mark_safe(qr_code_svg(url)),  # noqa: S308
        "issued_on": new.validity.valid_from,
        "valid_from": new.validity.valid_from,
        "last_day": last_valid_day(valid_until),
        "PORTAL_NAME": settings.PORTAL_NAME,
    }
    template = PDF_TEMPLATES[new.kind].format(language=new.language)
    pdf = render_pdf(template, context)
    name = storages["private"].save(f"documents/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    document = IssuedDocument.objects.create(
        kind=new.kind,
        holder=new.holder,
        requested_by=new.requested_by,
        card_order=new.card_order,
        issued_at=now,
        valid_from=new.validity.valid_from,
        valid_until=valid_until,
        language=new.language,
        code_digest=code_digest(normalise_code(code)),
        holder_initials=holder_initials(new.holder.first_names, new.holder.last_name),
        holder_birth_year=new.holder.birth_date.year,
        pdf_name=name,
    )
    # Only the PDF keeps the code; the caller that just issued it may show it (demo data).
    document.printed_code = code
    return document


def issue_document(new: NewDocument, *, now: datetime) -> IssuedDocument:
    """Issue a document of another app's kind (its PDF template is in PDF_TEMPLATES), with the
    same verification code and page; inside the caller's transaction."""
    return _issue(new, now=now)


def issue_attestation(
    holder: InsuredPerson, *, language: str, on: date, now: datetime
) -> IssuedDocument:
    """An attestation de droits of `holder`'s file, valid at most one year (sources in
    affiliation.rules.documents).

    Raises NoOpenRights when the holder's rights are not open on `on`.
    """
    with transaction.atomic():
        holder = InsuredPerson.objects.select_related("fund").get(pk=holder.pk)
        entries = file_entries(holder)
        facts: AttestationFacts = attestation_facts(insured_file(holder, entries), issued_on=on)
        return _issue(
            NewDocument(
                kind=IssuedDocument.Kind.ATTESTATION_DROITS,
                holder=holder,
                requested_by=holder,
                validity=facts.validity,
                language=language,
                context={"facts": facts, "holder": holder, "nir_display": spaced_nir(holder.nir)},
            ),
            now=now,
        )


def pdf_response(document: IssuedDocument) -> HttpResponse:
    """The stored PDF of `document` as a download (a few dozen kB: read at once, file closed)."""
    try:
        with storages["private"].open(document.pdf_name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError as error:
        raise Http404("document file missing") from error
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.file_name
    )
    return response


# --- Cards --------------------------------------------------------------------------------------


def order_card(
    *,
    ordered_by: InsuredPerson,
    person_id: int,
    kind: str,
    reason: str,
    on: date,
    now: datetime,
    language: str = "fr",
) -> tuple[CardOrder, IssuedDocument | None]:
    """Order a card for someone on `ordered_by`'s file; a CEAM comes with its provisional
    certificate (3 months), issued at once. A loss or theft invalidates the card in circulation.

    Raises NotOnFile, CardNotAllowed (NIA and carte Vitale, rights closed), OpenCardOrderExists.
    """
    with transaction.atomic():
        entry = (
            Beneficiary.objects.select_related("person__fund")
            .filter(holder=ordered_by, person_id=person_id)
            .first()
        )
        if entry is None:
            raise NotOnFile(person_id)
        person = entry.person
        try:
            rights_until = rights_end(periods_of(person), on)
            has_open_rights = True
        except NoOpenRights:
            rights_until, has_open_rights = None, False
        check_card_order(
            CardKind(kind),
            has_temporary_number=person.is_temporary_number,
            has_open_rights=has_open_rights,
        )
        try:
            with transaction.atomic():
                order = CardOrder.objects.create(
                    person=person, ordered_by=ordered_by, kind=kind, reason=reason, ordered_at=now
                )
        except IntegrityError as error:
            raise OpenCardOrderExists(kind) from error
        if reason in INVALIDATING_REASONS:
            in_circulation = list(
                CardOrder.objects.select_for_update(of=("self",))
                .filter(
                    person=person,
                    kind=kind,
                    status=CardOrder.Status.SENT,
                    invalidated_at__isnull=True,
                )
                .order_by("-sent_at", "-pk")
            )
            for position, card in enumerate(in_circulation):
                card.invalidated_at = now
                if position == 0:
                    card.replaced_by = order  # the card this order replaces
                card.save(update_fields=["invalidated_at", "replaced_by"])
        certificate = None
        if kind == CardKind.CEAM:
            validity = provisional_certificate_validity(on, rights_until)
            fund = ordered_by.fund  # dependants are managed by their holder's fund
            certificate = _issue(
                NewDocument(
                    kind=IssuedDocument.Kind.CEAM_PROVISIONAL_CERTIFICATE,
                    holder=person,
                    requested_by=ordered_by,
                    validity=validity,
                    language=language,
                    card_order=order,
                    context={
                        "person": person,
                        "nir_display": spaced_nir(person.nir),
                        "fund": fund,
                        "fund_codes": fund_codes(fund.department_code) if fund else None,
                    },
                ),
                now=now,
            )
    return order, certificate


def advance_card_order(order: CardOrder, target: str, *, now: datetime) -> CardOrder:
    """Move a card order to `target` (produced, sent, cancelled). Raises BadCardTransition.

    A CEAM gets its validity when produced: two years (affiliation.rules.documents).
    """
    with transaction.atomic():
        order = CardOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
        check_card_transition(order.status, target)
        order.status = target
        fields = ["status"]
        if target == CardOrder.Status.PRODUCED:
            order.produced_at = now
            fields.append("produced_at")
            if order.kind == CardOrder.Kind.CEAM:
                validity = ceam_card_validity(now.date())
                order.valid_from, order.valid_until = validity.valid_from, validity.valid_until
                fields += ["valid_from", "valid_until"]
        elif target == CardOrder.Status.SENT:
            order.sent_at = now
            fields.append("sent_at")
        else:
            order.cancelled_at = now
            fields.append("cancelled_at")
        order.save(update_fields=fields)
    return order


def revoke_document(document: IssuedDocument, *, reason: str, now: datetime) -> None:
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if document.is_revoked:
            return
        document.is_revoked = True
        document.revoked_at = now
        document.revocation_reason = reason[:200]
        document.save(update_fields=["is_revoked", "revoked_at", "revocation_reason"])


# --- Public verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public page may say of a code: nothing at all unless it is genuine."""

    is_genuine: bool
    kind: str = ""
    kind_label: str = ""
    state: DocumentState | None = None
    valid_from: date | None = None
    last_day: date | None = None
    holder_initials: str = ""
    holder_birth_year: int | None = None


def verify_code(symbols: str, *, on: date) -> Verification:
    """Look up a well-formed code (its 16 normalised symbols): one query by digest.

    A known and an unknown code cost the same query and give the same page shape.
    """
    document = (
        IssuedDocument.objects.filter(code_digest=code_digest(symbols))
        .only(
            "kind",
            "valid_from",
            "valid_until",
            "is_revoked",
            "holder_initials",
            "holder_birth_year",
        )
        .first()
    )
    if document is None:
        return Verification(is_genuine=False)
    return Verification(
        is_genuine=True,
        kind=document.kind,
        kind_label=document.get_kind_display(),
        state=document.state_on(on),
        valid_from=document.valid_from,
        last_day=last_valid_day(document.valid_until),
        holder_initials=document.holder_initials,
        holder_birth_year=document.holder_birth_year,
    )


# At most VERIFY_LIMIT lookups per client address in each window of VERIFY_WINDOW_SECONDS: with
# 80-bit codes this makes enumeration hopeless, and still lets a pharmacist check a few papers.
VERIFY_LIMIT = 10
VERIFY_WINDOW_SECONDS = 10 * 60


def allow_verification(client_ip: str, *, now_timestamp: float) -> bool:
    """Count one lookup for `client_ip`; False once it is over the limit of the current window.

    The counter lives in Django's cache (a database table here), under a digest of the address
    so the cache holds no IP. Fixed windows: a burst across a window's edge may reach twice
    the limit, which does not help guessing 80-bit codes.
    """
    window = int(now_timestamp // VERIFY_WINDOW_SECONDS)
    address = hashlib.sha256(client_ip.encode()).hexdigest()[:32]
    key = f"affiliation:verify:{address}:{window}"
    cache.add(key, 0, timeout=2 * VERIFY_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * VERIFY_WINDOW_SECONDS)
        count = 1
    return count <= VERIFY_LIMIT


def build_demo_documents(holder: InsuredPerson, *, on: date, now: datetime) -> dict[str, str]:
    """Demo data of this area for `make run` (development only): documents in every state.

    `holder` is a file holder with open rights and, ideally, a dependant on the file. Returns
    {label: printed code} so the demo can show codes to try on /verifier/.
    """
    if settings.IS_PRODUCTION:
        raise RuntimeError("demo documents are for development only")
    codes = {}
    with transaction.atomic():
        valid = issue_attestation(holder, language="fr", on=on, now=now)
        codes["attestation valable (fr)"] = valid.printed_code
        english = issue_attestation(holder, language="en", on=on, now=now)
        codes["attestation valable (en)"] = english.printed_code
        revoked = issue_attestation(holder, language="fr", on=on, now=now)
        revoke_document(revoked, reason="démonstration", now=now)
        codes["attestation révoquée"] = revoked.printed_code
        long_ago = add_months(on, -14)
        expired = issue_attestation(holder, language="fr", on=long_ago, now=now)
        codes["attestation expirée"] = expired.printed_code
        entries = file_entries_for_choice(holder)
        vitale_person = entries[-1].person
        if not vitale_person.is_temporary_number:
            sent = CardOrder.objects.create(
                person=vitale_person,
                ordered_by=holder,
                kind=CardOrder.Kind.CARTE_VITALE,
                reason=CardOrder.Reason.FIRST,
                ordered_at=now,
            )
            advance_card_order(sent, CardOrder.Status.PRODUCED, now=now)
            advance_card_order(sent, CardOrder.Status.SENT, now=now)
            order_card(
                ordered_by=holder,
                person_id=vitale_person.pk,
                kind=CardKind.CARTE_VITALE,
                reason=CardOrder.Reason.LOST,
                on=on,
                now=now,
            )
        _order, certificate = order_card(
            ordered_by=holder,
            person_id=holder.pk,
            kind=CardKind.CEAM,
            reason=CardOrder.Reason.FIRST,
            on=on,
            now=now,
            language="en",
        )
        if certificate is None:  # order_card issues one with every CEAM order
            raise RuntimeError("the CEAM order came without its provisional certificate")
        codes["certificat provisoire CEAM (en)"] = certificate.printed_code
    return codes
