"""Documents the fund issues to an insured person, and the cards they order.

An IssuedDocument is the record of one PDF handed out (attestation de droits, CEAM provisional
certificate, allowance payment attestation: see Kind): who it is about, its validity, the digest of
its verification code, and the few facts the public verification page may show. The PDF itself
is kept in private storage, because it prints the code, which we only keep as a digest.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from affiliation.models.insured import InsuredPerson
from affiliation.rules.documents import (
    OPEN_CARD_STATUSES,
    CardKind,
    CardReason,
    CardStatus,
    DocumentState,
    document_state,
)
from cpam_portal.periods import Period, last_valid_day

# Granted to the group COUNTER_STAFF ("Agents d'accueil") by a data migration: they follow
# card orders and may revoke a document; they never create or delete either from the admin.
COUNTER_STAFF_PERMISSIONS = (
    "view_issueddocument",
    "change_issueddocument",
    "view_cardorder",
    "change_cardorder",
)


class IssuedDocumentQuerySet(models.QuerySet):
    def for_user(self, user) -> "IssuedDocumentQuerySet":
        """Documents the file holder behind this account asked for (none for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by__user=user)


class IssuedDocument(models.Model):
    class Kind(models.TextChoices):
        ATTESTATION_DROITS = "attestation_droits", _("attestation de droits")
        CEAM_PROVISIONAL_CERTIFICATE = (
            "ceam_provisional_certificate",
            _("certificat provisoire de remplacement de la carte européenne d'assurance maladie"),
        )
        # Issued by allowances.services.attestations (PDF template in templates/allowances/pdf/).
        ALLOWANCE_PAYMENT_ATTESTATION = (
            "allowance_payment_attestation",
            _("attestation de paiement des indemnités journalières"),
        )

    class Language(models.TextChoices):
        # Each language in its own name, so a person who reads only one of them finds it.
        FRENCH = "fr", "Français"
        ENGLISH = "en", "English"

    kind = models.CharField(_("type de document"), max_length=40, choices=Kind.choices)
    holder = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("personne concernée"),
    )
    # The file holder whose account asked for it: only they can download it again.
    requested_by = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="requested_documents",
        verbose_name=_("demandé par"),
    )
    card_order = models.ForeignKey(
        "affiliation.CardOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("commande de carte"),
    )
    issued_at = models.DateTimeField(_("délivré le"), default=timezone.now)
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au (exclu)"))
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices)
    # SHA-256 (hex) of the normalised code; the code itself is printed on the PDF only.
    code_digest = models.CharField(_("empreinte du code de vérification"), max_length=64)
    # What the public verification page shows of the holder, frozen at issue.
    holder_initials = models.CharField(_("initiales du titulaire"), max_length=8)
    holder_birth_year = models.PositiveSmallIntegerField(_("année de naissance du titulaire"))
    # Name of the PDF in the private storage (storages["private"]), which has no URL.
    pdf_name = models.CharField(_("fichier PDF"), max_length=200, editable=False)
    is_revoked = models.BooleanField(_("révoqué"), default=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.CharField(_("motif de révocation"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["code_digest", "pdf_name"])
    objects = IssuedDocumentQuerySet.as_manager()
    # Not a field: the code in clear, set only on the instance the issuing service returns (the
    # PDF prints it, the database keeps its digest), so that demo data can show it.
    printed_code: str

    class Meta:
        verbose_name = _("document délivré")
        verbose_name_plural = _("documents délivrés")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_digest"], name="affiliation_document_code_digest_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="affiliation_document_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.holder} ({self.issued_at:%Y-%m-%d})"

    @property
    def validity(self) -> Period:
        return Period(self.valid_from, self.valid_until)

    @property
    def last_day(self):
        """The last valid day, as documents and pages print it."""
        return last_valid_day(self.valid_until)

    def state_on(self, on) -> DocumentState:
        return document_state(self.validity, is_revoked=self.is_revoked, on=on)

    @property
    def file_name(self) -> str:
        stem = {
            self.Kind.ATTESTATION_DROITS: "attestation-de-droits",
            self.Kind.CEAM_PROVISIONAL_CERTIFICATE: "certificat-provisoire-ceam",
            self.Kind.ALLOWANCE_PAYMENT_ATTESTATION: "attestation-paiement-ij",
        }.get(self.kind, self.kind)
        return f"{stem}-{self.issued_at:%Y-%m-%d}.pdf"


class CardOrderQuerySet(models.QuerySet):
    def for_user(self, user) -> "CardOrderQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(ordered_by__user=user)


class CardOrder(models.Model):
    """One card ordered for one person: its life is ordered -> produced -> sent (or cancelled).

    Once sent, the order stands for the card in circulation until a declaration of loss or
    theft invalidates it (`invalidated_at`, `replaced_by`).
    """

    class Kind(models.TextChoices):
        CARTE_VITALE = CardKind.CARTE_VITALE.value, _("carte Vitale")
        CEAM = CardKind.CEAM.value, _("carte européenne d'assurance maladie (CEAM)")

    class Reason(models.TextChoices):
        FIRST = CardReason.FIRST.value, _("Première carte")
        RENEWAL = CardReason.RENEWAL.value, _("Renouvellement")
        LOST = CardReason.LOST.value, _("Carte perdue")
        STOLEN = CardReason.STOLEN.value, _("Carte volée")
        DAMAGED = CardReason.DAMAGED.value, _("Carte abîmée")

    class Status(models.TextChoices):
        ORDERED = CardStatus.ORDERED.value, _("commandée")
        PRODUCED = CardStatus.PRODUCED.value, _("fabriquée")
        SENT = CardStatus.SENT.value, _("envoyée")
        CANCELLED = CardStatus.CANCELLED.value, _("annulée")

    person = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="card_orders",
        verbose_name=_("titulaire de la carte"),
    )
    ordered_by = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="card_orders_placed",
        verbose_name=_("commandée par"),
    )
    kind = models.CharField(_("carte"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.ORDERED
    )
    ordered_at = models.DateTimeField(_("commandée le"), default=timezone.now)
    produced_at = models.DateTimeField(_("fabriquée le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # A CEAM is valid two years from its production (sources in affiliation/rules/documents.py);
    # a carte Vitale has no end.
    valid_from = models.DateField(_("valable du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au (exclu)"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidée le"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("remplacée par"),
    )

    history = HistoricalRecords()
    objects = CardOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("commande de carte")
        verbose_name_plural = _("commandes de cartes")
        ordering = ["-ordered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=sorted(status.value for status in OPEN_CARD_STATUSES)),
                name="affiliation_one_open_card_order_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="affiliation_card_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person} ({self.get_status_display()})"

    @property
    def last_day(self):
        return last_valid_day(self.valid_until) if self.valid_until else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CARD_STATUSES
