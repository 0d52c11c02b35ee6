"""Affiliation requests: filing, documents, the workflow, and acceptance into an insured file.

Each use case is one transaction that locks the request row, checks the transition with the
pure rules, writes the new status and its event, and e-mails the applicant after commit.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from affiliation.countries import FRANCE, countries
from affiliation.models import (
    AffiliationRequest,
    Beneficiary,
    CoveragePeriod,
    InsuredPerson,
    RequestDocument,
    RequestEvent,
)
from affiliation.models.requests import new_reference
from affiliation.rules import requests as rules
from affiliation.rules.nir import NumberKind, parse_nir, temporary_number
from affiliation.services.account import issue_activation_code
from affiliation.services.records import (
    Address,
    Identity,
    NoFundForPostcode,
    attach_dependant,
    create_insured_file,
)
from affiliation.validators import check_nir_matches_identity, clean_nir
from cpam_portal.locks import hold_until_commit
from cpam_portal.mail import send_templated_mail
from cpam_portal.uploads import CheckedUpload, atomic_with_uploads

MAX_DOCUMENTS_PER_REQUEST = 30
Status = rules.Status

# Coverage basis of the insured file created on acceptance (Code de la sécurité sociale
# art. L160-1: since 2016 (PUMa) residence is the ground, the situation says under which
# heading the fund records it).
COVERAGE_BASIS = {
    rules.Situation.EMPLOYEE: CoveragePeriod.Basis.EMPLOYMENT,
    rules.Situation.TALENT: CoveragePeriod.Basis.EMPLOYMENT,
    rules.Situation.STUDENT: CoveragePeriod.Basis.STUDY,
    rules.Situation.UNEMPLOYED: CoveragePeriod.Basis.UNEMPLOYMENT,
    rules.Situation.RETIREE: CoveragePeriod.Basis.RETIREMENT,
    rules.Situation.DEPENDANT: CoveragePeriod.Basis.DEPENDANT,
}

TRANSITION_MESSAGES = {
    rules.TransitionError.NOT_ALLOWED: _(
        "Cette action n'est pas possible pour une demande au statut « %(status)s »."
    ),
    rules.TransitionError.WRONG_ACTOR: _(
        "Cette action n'est pas possible pour une demande au statut « %(status)s »."
    ),
    rules.TransitionError.MESSAGE_REQUIRED: _("Un message est obligatoire pour cette action."),
}


class RequestActionError(Exception):
    """A use case that cannot be done: `message` says why, translated."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class AlreadyOpen(RequestActionError):
    def __init__(self, existing: AffiliationRequest) -> None:
        super().__init__(_("Vous avez déjà une demande en cours : la voici."))
        self.existing = existing


# --- Applicant ----------------------------------------------------------------------------------


def start_request(applicant: User, situation: str, *, language: str) -> AffiliationRequest:
    """A new draft; AlreadyOpen (with it) if the account already has an open request.

    The partial unique constraint decides: two starts at once (double click, two tabs) make
    one request.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return AffiliationRequest.objects.create(
                    reference=new_reference(),
                    applicant=applicant,
                    situation=rules.Situation(situation).value,
                    language=language[:8],
                    email=applicant.email,
                )
        except IntegrityError:
            existing = AffiliationRequest.objects.for_applicant(applicant).open().first()
            if existing is not None:
                raise AlreadyOpen(existing) from None
            # Otherwise the random reference collided (1 in 2**40): draw another.
    raise RequestActionError(_("La demande n'a pas pu être créée : réessayez."))


def _locked(request_id: int) -> AffiliationRequest:
    return AffiliationRequest.objects.select_for_update(of=("self",)).get(pk=request_id)


def _check(
    request: AffiliationRequest, target: Status, actor: rules.Actor, message: str = ""
) -> None:
    try:
        rules.check_transition(Status(request.status), target, actor, message=message)
    except rules.TransitionRefused as error:
        raise RequestActionError(
            TRANSITION_MESSAGES[error.reason] % {"status": request.get_status_display()}
        ) from error


def _move(
    request: AffiliationRequest, target: Status, user: User, *, is_staff: bool, message: str = ""
) -> None:
    previous = request.status
    request.status = target.value
    request.save()
    RequestEvent.objects.create(
        request=request,
        actor=user,
        is_staff_action=is_staff,
        from_status=previous,
        to_status=target.value,
        message=message,
    )
    transaction.on_commit(lambda: notify_applicant(request.pk, target))


def add_document(
    request: AffiliationRequest, kind: str, checked: CheckedUpload, *, by: User
) -> RequestDocument:
    """Store a checked document under a generated name and record it; the file is removed
    again if the row cannot be written."""
    with atomic_with_uploads() as store_upload:
        locked = _locked(request.pk)
        if locked.status not in rules.APPLICANT_EDITABLE:
            raise RequestActionError(
                _("Des documents ne peuvent plus être ajoutés à cette demande pour l'instant.")
            )
        if locked.documents.count() >= MAX_DOCUMENTS_PER_REQUEST:
            raise RequestActionError(
                _("Cette demande a déjà %(max)s documents : c'est le maximum.")
                % {"max": MAX_DOCUMENTS_PER_REQUEST}
            )
        document = RequestDocument.objects.create(
            request=locked,
            kind=rules.DocumentKind(kind).value,
            stored_name=store_upload(f"affiliation/requests/{locked.pk}", checked),
            original_name=checked.display_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
        )
    return document


def remove_document(document: RequestDocument) -> None:
    """A draft's document the applicant takes back (after submission, documents stay)."""
    with transaction.atomic():
        locked = _locked(document.request_id)
        if locked.status != Status.DRAFT:
            raise RequestActionError(_("Un document envoyé à la caisse ne peut plus être retiré."))
        stored_name = document.stored_name
        document.delete()
        transaction.on_commit(lambda: storages["private"].delete(stored_name))


def missing_for_submission(request: AffiliationRequest) -> list[str | Promise]:
    """What the applicant still has to give before sending: translated, for the page."""
    missing: list[str | Promise] = []
    if not request.has_identity:
        missing.append(_("votre identité, votre adresse et vos coordonnées"))
    kinds = request.documents.values_list("kind", flat=True)
    labels = dict(RequestDocument.Kind.choices)
    missing += [labels[kind] for kind in rules.missing_documents(request.checklist(), kinds)]
    return missing


def submit_request(request_id: int, applicant: User, *, on: date) -> AffiliationRequest:
    """Send a complete draft to the fund. A second click finds it sent and changes nothing."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.applicant_id != applicant.pk:
            raise AffiliationRequest.DoesNotExist
        if request.status != Status.DRAFT:
            raise RequestActionError(_("Cette demande a déjà été envoyée."))
        _check(request, Status.SUBMITTED, rules.Actor.APPLICANT)
        missing = missing_for_submission(request)
        if missing:
            raise RequestActionError(
                _("Il manque encore : %(missing)s.") % {"missing": " ; ".join(map(str, missing))}
            )
        request.submitted_at = timezone.now()
        request.estimated_decision_on = rules.estimated_decision_on(on)
        _move(request, Status.SUBMITTED, applicant, is_staff=False)
    return request


def mark_completed(request_id: int, applicant: User, *, on: date, message: str = "") -> None:
    """The applicant has answered: the file goes back to the fund, the estimate restarts."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.applicant_id != applicant.pk:
            raise AffiliationRequest.DoesNotExist
        _check(request, Status.COMPLETED, rules.Actor.APPLICANT)
        request.estimated_decision_on = rules.estimated_decision_on(on)
        _move(request, Status.COMPLETED, applicant, is_staff=False, message=message.strip())


# --- Staff --------------------------------------------------------------------------------------


def take_in_review(request_id: int, staff: User) -> None:
    with transaction.atomic():
        request = _locked(request_id)
        _check(request, Status.IN_REVIEW, rules.Actor.STAFF)
        request.reviewer = staff
        _move(request, Status.IN_REVIEW, staff, is_staff=True)


def request_information(request_id: int, staff: User, *, message: str) -> None:
    with transaction.atomic():
        request = _locked(request_id)
        _check(request, Status.INFO_REQUESTED, rules.Actor.STAFF, message)
        request.info_request_message = message.strip()
        _move(request, Status.INFO_REQUESTED, staff, is_staff=True, message=message.strip())


def refuse_request(request_id: int, staff: User, *, reason: str) -> None:
    with transaction.atomic():
        request = _locked(request_id)
        _check(request, Status.REFUSED, rules.Actor.STAFF, reason)
        request.refusal_reason = reason.strip()
        request.decided_by = staff
        request.decided_at = timezone.now()
        _move(request, Status.REFUSED, staff, is_staff=True, message=reason.strip())


def accept_request(request_id: int, staff: User, *, on: date, nir: str = "") -> InsuredPerson:
    """Create the insured record (or put a dependant on the named insured's file), all or
    nothing: any refusal leaves the request and the records as they were.

    The number is `nir` typed by staff, else the one the applicant gave, else for a person born
    abroad a NIA (temporary number) with the smallest free order for its prefix.
    """
    try:
        with transaction.atomic():
            request = _locked(request_id)
            _check(request, Status.ACCEPTED, rules.Actor.STAFF)
            identity = _complete_identity(request)
            number, kind = _number_for(request, identity, nir or request.nir)
            if InsuredPerson.objects.filter(nir=number).exists():
                raise RequestActionError(
                    _(
                        "Le numéro %(nir)s appartient déjà à un assuré : vérifiez l'identité "
                        "du demandeur ou rattachez-le à ce dossier."
                    )
                    % {"nir": number}
                )
            try:
                person = _create_person(request, identity, number, kind, on=on)
            except NoFundForPostcode as error:
                raise RequestActionError(
                    _("Aucune caisse ne gère le code postal %(postcode)s du demandeur.")
                    % {"postcode": request.postcode}
                ) from error
            request.insured = person
            request.decided_by = staff
            request.decided_at = timezone.now()
            _move(request, Status.ACCEPTED, staff, is_staff=True)
            if request.situation != rules.Situation.DEPENDANT:
                # The new insured person links their account with this code (sent by post in
                # real life, by e-mail here), their number and their birth date.
                issue_activation_code(
                    person, issued_by=staff, now=request.decided_at, language=request.language
                )
    except IntegrityError as error:
        # Another acceptance took the same number between the check and the insert.
        raise RequestActionError(
            _("Le numéro vient d'être attribué à un autre assuré : recommencez.")
        ) from error
    return person


def _complete_identity(request: AffiliationRequest) -> Identity:
    """The applicant's identity, once every field the form requires is filled in."""
    # has_identity includes the birth date; the second test tells the type checker so.
    if not request.has_identity or request.birth_date is None:
        raise RequestActionError(_("L'identité du demandeur est incomplète."))
    return Identity(
        last_name=request.last_name,
        first_names=request.first_names,
        sex=request.sex,
        birth_date=request.birth_date,
        birth_name=request.birth_name,
    )


def _number_for(
    request: AffiliationRequest, identity: Identity, nir: str
) -> tuple[str, NumberKind]:
    if nir:
        try:
            number = clean_nir(nir)
            check_nir_matches_identity(number, sex=identity.sex, birth_date=identity.birth_date)
        except ValidationError as error:
            raise RequestActionError(" ".join(error.messages)) from error
        return number, NumberKind.NIR
    if request.birth_country == FRANCE:
        raise RequestActionError(
            _("Une personne née en France a déjà un NIR : saisissez-le pour accepter la demande.")
        )
    country = countries().get(request.birth_country)
    if country is None:
        raise RequestActionError(
            _("Le pays de naissance n'a pas de code INSEE connu : saisissez le numéro.")
        )
    return _next_nia(identity, country.nir_code), NumberKind.NIA


def _next_nia(identity: Identity, country_code: str) -> str:
    """The NIA with the smallest order not yet used for this sex, birth month and country."""
    prefix = temporary_number(
        sex=identity.sex, birth_date=identity.birth_date, country_code=country_code, order=1
    )[:10]
    # Two acceptances for the same prefix at once would pick the same order: serialise them
    # until commit (the unique NIR is the backstop elsewhere).
    hold_until_commit(f"affiliation.nia:{prefix}")
    used = [
        int(nir[10:13])
        for nir in InsuredPerson.objects.filter(nir__startswith=prefix).values_list(
            "nir", flat=True
        )
        if nir[10:13].isdigit()
    ]
    try:
        order = rules.smallest_free_order(used)
    except rules.NoFreeOrder as error:
        raise RequestActionError(
            _("Plus aucun numéro d'attente n'est libre pour cette identité.")
        ) from error
    number = temporary_number(
        sex=identity.sex, birth_date=identity.birth_date, country_code=country_code, order=order
    )
    parse_nir(number)  # a NIA is a valid NIR by construction: fail loudly if not
    return number


def _create_person(
    request: AffiliationRequest, identity: Identity, number: str, kind: NumberKind, *, on: date
) -> InsuredPerson:
    if request.situation != rules.Situation.DEPENDANT:
        return create_insured_file(
            number=number,
            number_kind=kind,
            identity=identity,
            address=Address(
                line_1=request.address_line_1,
                line_2=request.address_line_2,
                postcode=request.postcode,
                city=request.city,
            ),
            coverage_basis=COVERAGE_BASIS[rules.Situation(request.situation)],
            rights_from=on,
            email=request.email,
            phone=request.phone,
        )
    holder = (
        InsuredPerson.objects.filter(
            nir=request.holder_nir,
            file_entries__rank=1,
            file_entries__relationship=Beneficiary.Relationship.HOLDER,
        )
        .distinct()
        .first()
    )
    if holder is None:
        raise RequestActionError(
            _("Aucun dossier d'assuré ne porte le NIR %(nir)s indiqué par le demandeur.")
            % {"nir": request.holder_nir}
        )
    # A dependant lives on the holder's file: no fund or address of their own (records.py).
    person = InsuredPerson.objects.create(
        nir=number,
        number_kind=kind.value,
        last_name=identity.last_name,
        birth_name=identity.birth_name,
        first_names=identity.first_names,
        sex=identity.sex,
        birth_date=identity.birth_date,
        email=request.email,
        phone=request.phone,
    )
    attach_dependant(holder, person, request.relationship, rights_from=on)
    return person


# --- E-mails ------------------------------------------------------------------------------------

MAIL_TEMPLATES = {
    Status.SUBMITTED: "affiliation/requests/email/submitted",
    Status.IN_REVIEW: "affiliation/requests/email/in_review",
    Status.INFO_REQUESTED: "affiliation/requests/email/info_requested",
    Status.ACCEPTED: "affiliation/requests/email/accepted",
    Status.REFUSED: "affiliation/requests/email/refused",
}


def notify_applicant(request_id: int, status: Status) -> None:
    """Tell the applicant that their request moved, in the language they filed it in."""
    template = MAIL_TEMPLATES.get(status)
    if template is None:
        return  # the applicant's own step (completed): they know
    request = AffiliationRequest.objects.select_related("applicant").get(pk=request_id)
    recipient = request.applicant.email or request.email
    url = settings.SITE_URL.rstrip("/") + reverse(
        "affiliation:request_detail", args=[request.reference]
    )
    send_templated_mail(
        template,
        {"reference": request.reference, "url": url, "request": request},
        [recipient],
        language=request.language,
    )
