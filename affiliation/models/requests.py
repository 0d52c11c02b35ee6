"""Affiliation requests filed online by people not yet insured (the S1106 path)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from affiliation.countries import FRANCE, needs_residence_permit
from affiliation.models.insured import Beneficiary, Sex
from affiliation.rules import requests as rules

# Granted to the COUNTER_STAFF group ("Agents d'accueil") by a data migration: they read the
# queue, the documents and the history, and work the requests (review_affiliationrequest). No
# add/change/delete: staff act only through the workflow actions.
COUNTER_STAFF_PERMISSIONS = (
    "view_affiliationrequest",
    "review_affiliationrequest",
    "view_requestdocument",
    "view_requestevent",
)
REVIEW_PERMISSION = "affiliation.review_affiliationrequest"

# Crockford's base32 without look-alikes (no I, L, O, U): easy to read out on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """'AFF-2026-7K3QH9WD': the year, then 40 random bits (not a counter: nothing to guess)."""
    random_part = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"AFF-{timezone.localdate().year}-{random_part}"


class AffiliationRequestQuerySet(models.QuerySet):
    def for_applicant(self, user) -> "AffiliationRequestQuerySet":
        """The requests filed by this account, and nobody else's (none for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(applicant=user)

    def open(self) -> "AffiliationRequestQuerySet":
        return self.filter(status__in=sorted(s.value for s in rules.OPEN_STATUSES))


class AffiliationRequest(models.Model):
    """One person's request to be affiliated, with their identity and the documents it needs."""

    class Status(models.TextChoices):
        DRAFT = rules.Status.DRAFT.value, _("brouillon")
        SUBMITTED = rules.Status.SUBMITTED.value, _("envoyée")
        IN_REVIEW = rules.Status.IN_REVIEW.value, _("en cours d'examen")
        INFO_REQUESTED = rules.Status.INFO_REQUESTED.value, _("informations demandées")
        COMPLETED = rules.Status.COMPLETED.value, _("complétée")
        ACCEPTED = rules.Status.ACCEPTED.value, _("acceptée")
        REFUSED = rules.Status.REFUSED.value, _("refusée")

    class Situation(models.TextChoices):
        EMPLOYEE = rules.Situation.EMPLOYEE.value, _("salarié(e)")
        STUDENT = rules.Situation.STUDENT.value, _("étudiant(e)")
        TALENT = rules.Situation.TALENT.value, _("passeport talent ou chercheur(se)")
        UNEMPLOYED = rules.Situation.UNEMPLOYED.value, _("demandeur(se) d'emploi")
        DEPENDANT = rules.Situation.DEPENDANT.value, _("ayant droit d'un(e) assuré(e)")
        RETIREE = rules.Situation.RETIREE.value, _("retraité(e)")

    class Relationship(models.TextChoices):
        SPOUSE = Beneficiary.Relationship.SPOUSE.value, _("conjoint(e), partenaire de PACS")
        CHILD = Beneficiary.Relationship.CHILD.value, _("enfant")
        OTHER = Beneficiary.Relationship.OTHER.value, _("autre personne à charge")

    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="affiliation_requests",
        verbose_name=_("compte du demandeur"),
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    situation = models.CharField(_("situation"), max_length=12, choices=Situation.choices)
    # The language the applicant used: their e-mails are written in it.
    language = models.CharField(_("langue"), max_length=8, default="fr")

    # Identity (S1106 part 1).
    last_name = models.CharField(_("nom d'usage"), max_length=80, blank=True)
    birth_name = models.CharField(_("nom de naissance"), max_length=80, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=120, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_country = models.CharField(_("pays de naissance (code INSEE)"), max_length=5, blank=True)
    birth_place = models.CharField(_("commune ou ville de naissance"), max_length=80, blank=True)
    nationality = models.CharField(_("nationalité (code INSEE)"), max_length=5, blank=True)
    nir = models.CharField(_("numéro de sécurité sociale déjà attribué"), max_length=15, blank=True)
    # A dependant names the insured person they depend on.
    holder_nir = models.CharField(_("NIR de l'assuré(e)"), max_length=15, blank=True)
    relationship = models.CharField(
        _("lien avec l'assuré(e)"), max_length=10, choices=Relationship.choices, blank=True
    )

    # Address and contact.
    address_line_1 = models.CharField(_("adresse"), max_length=120, blank=True)
    address_line_2 = models.CharField(_("complément d'adresse"), max_length=120, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=80, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    estimated_decision_on = models.DateField(_("décision attendue le"), null=True, blank=True)

    # Staff side.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent instructeur"),
    )
    info_request_message = models.TextField(_("informations demandées"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision prise par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    insured = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliation_requests",
        verbose_name=_("assuré créé"),
    )

    objects = AffiliationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'affiliation")
        verbose_name_plural = _("demandes d'affiliation")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_affiliationrequest", _("Instruire les demandes d'affiliation"))]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            # A double click, a second tab or a resubmission cannot open a second request.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=sorted(s.value for s in rules.OPEN_STATUSES)),
                name="affiliation_one_open_request_per_account",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.Status.REFUSED.value) | ~Q(refusal_reason=""),
                name="affiliation_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=rules.Status.ACCEPTED.value) | Q(insured__isnull=False),
                name="affiliation_accepted_has_insured",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_born_abroad(self) -> bool:
        return bool(self.birth_country) and self.birth_country != FRANCE

    @property
    def needs_residence_permit(self) -> bool:
        return (
            bool(self.nationality)
            and self.nationality != FRANCE
            and (needs_residence_permit(self.nationality))
        )

    @property
    def has_identity(self) -> bool:
        """Every field the form requires has been filled (the form was saved once)."""
        required = [
            self.last_name,
            self.first_names,
            self.sex,
            self.birth_date,
            self.birth_country,
            self.birth_place,
            self.nationality,
            self.address_line_1,
            self.postcode,
            self.city,
            self.email,
        ]
        if self.situation == rules.Situation.DEPENDANT:
            required += [self.holder_nir, self.relationship]
        return all(required)

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status in rules.APPLICANT_EDITABLE

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES

    def checklist(self) -> tuple[rules.ChecklistItem, ...]:
        """The documents this applicant needs (all conditional ones until identity is known)."""
        if not self.birth_country or not self.nationality:
            return rules.checklist(rules.Situation(self.situation))
        return rules.applicable_checklist(
            rules.Situation(self.situation),
            is_born_abroad=self.is_born_abroad,
            needs_residence_permit=self.needs_residence_permit,
        )


class RequestDocument(models.Model):
    """A supporting document, stored in the private storage under a generated name."""

    class Kind(models.TextChoices):
        IDENTITY = rules.DocumentKind.IDENTITY.value, _("pièce d'identité (passeport, CNI)")
        RESIDENCE_PERMIT = rules.DocumentKind.RESIDENCE_PERMIT.value, _("titre de séjour")
        BIRTH_CERTIFICATE = (
            rules.DocumentKind.BIRTH_CERTIFICATE.value,
            _("acte de naissance (copie intégrale ou extrait avec filiation)"),
        )
        PROOF_OF_ADDRESS = (
            rules.DocumentKind.PROOF_OF_ADDRESS.value,
            _("justificatif de domicile de moins de 3 mois"),
        )
        BANK_DETAILS = rules.DocumentKind.BANK_DETAILS.value, _("relevé d'identité bancaire (RIB)")
        ENROLMENT_CERTIFICATE = (
            rules.DocumentKind.ENROLMENT_CERTIFICATE.value,
            _("certificat de scolarité de l'année en cours"),
        )
        EMPLOYMENT_PROOF = (
            rules.DocumentKind.EMPLOYMENT_PROOF.value,
            _("contrat de travail ou bulletin de salaire récent"),
        )
        HOSTING_AGREEMENT = (
            rules.DocumentKind.HOSTING_AGREEMENT.value,
            _("convention d'accueil ou décision « passeport talent »"),
        )
        UNEMPLOYMENT_PROOF = (
            rules.DocumentKind.UNEMPLOYMENT_PROOF.value,
            _("attestation de France Travail"),
        )
        PENSION_PROOF = (
            rules.DocumentKind.PENSION_PROOF.value,
            _("notification ou titre de pension de retraite"),
        )
        FAMILY_LINK = (
            rules.DocumentKind.FAMILY_LINK.value,
            _("justificatif du lien avec l'assuré(e) (livret de famille, acte de mariage, PACS)"),
        )
        OTHER = rules.DocumentKind.OTHER.value, _("autre document")

    request = models.ForeignKey(
        AffiliationRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("demande"),
    )
    # In URLs instead of the sequential pk.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("nature"), max_length=24, choices=Kind.choices)
    # The name in the private storage, generated: never anything the user typed.
    stored_name = models.CharField(_("fichier"), max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=120)
    content_type = models.CharField(_("type de contenu"), max_length=40)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["request", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"


class RequestEvent(models.Model):
    """One step of a request, shown to the applicant as its history (insert-only)."""

    request = models.ForeignKey(
        AffiliationRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("demande"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    is_staff_action = models.BooleanField(_("action de la caisse"), default=False)
    from_status = models.CharField(
        _("de"), max_length=16, choices=AffiliationRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("vers"), max_length=16, choices=AffiliationRequest.Status.choices, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("étape de la demande")
        verbose_name_plural = _("historique des demandes")
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.from_status} → {self.to_status}"
