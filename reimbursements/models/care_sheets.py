"""Care sheets (feuilles de soins) as they arrive, and their act lines.

A sheet is a row before it is anything else: the pipeline claims RECEIVED rows in batches, and
the database (status, claim token, unique constraints) is what keeps a sheet from being paid
twice, never the broker (docs/reliability.md#the-row-is-the-record).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reimbursements.rejections import RejectionCode


class Profession(models.TextChoices):
    """Who billed the care: the engine's `professional` values (the family of an act)."""

    GENERAL_PRACTITIONER = "general_practitioner", _("médecin généraliste")
    SPECIALIST = "specialist", _("médecin spécialiste")
    DENTIST = "dentist", _("chirurgien-dentiste")
    MIDWIFE = "midwife", _("sage-femme")
    NURSE = "nurse", _("infirmier ou infirmière")
    PHYSIOTHERAPIST = "physiotherapist", _("masseur-kinésithérapeute")
    PHARMACY = "pharmacy", _("pharmacie")
    LABORATORY = "laboratory", _("laboratoire de biologie")
    RADIOLOGY = "radiology", _("radiologie, imagerie")
    TRANSPORT = "transport", _("transport sanitaire")
    HOSPITAL = "hospital", _("établissement de santé")


class Sector(models.TextChoices):
    SECTOR_1 = "1", _("secteur 1")
    SECTOR_2_OPTAM = "2_optam", _("secteur 2 avec OPTAM")
    SECTOR_2 = "2", _("secteur 2 sans OPTAM")
    SECTOR_3 = "3", _("non conventionné (secteur 3)")


class Pathway(models.TextChoices):
    """Parcours de soins coordonnés (service-public.fr F10870 and F17042; docs/sources.md §5)."""

    DECLARED_GP = "declared_gp", _("médecin traitant déclaré")
    REFERRED_BY_GP = "referred_by_gp", _("orienté par le médecin traitant")
    DIRECT_ACCESS = "direct_access", _("accès direct autorisé")
    EMERGENCY = "emergency", _("urgence")
    AWAY_FROM_HOME = "away_from_home", _("hors de la résidence habituelle")
    OUTSIDE_PATHWAY = "outside_pathway", _("hors parcours de soins")


class CareSheetQuerySet(models.QuerySet):
    def for_holder(self, holder) -> "CareSheetQuerySet":
        """Sheets filed on `holder`'s file: theirs and their dependants' (payments go to them)."""
        return self.filter(holder=holder)

    def for_user(self, user) -> "CareSheetQuerySet":
        """The sheets an insured account may see: those of the file it is linked to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(holder__user=user)

    def in_review(self) -> "CareSheetQuerySet":
        return self.filter(status=CareSheet.Status.IN_REVIEW)


class CareSheet(models.Model):
    """One feuille de soins: one professional, one date of care, one beneficiary, act lines.

    `holder` is the insured person whose file the beneficiary is on: statements and payments
    go to that file. `fingerprint` identifies "the same sheet" (beneficiary, professional, date,
    lines): only one sheet with a given fingerprint may be alive (not rejected), which is what
    keeps a resubmission from ever being paid twice.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("saisie en ligne par l'assuré")
        STAFF = "staff", _("saisie par un agent")
        ELECTRONIC = "electronic", _("feuille de soins électronique")

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("à vérifier par un agent")
        RECEIVED = "received", _("reçue")
        PROCESSING = "processing", _("en cours de traitement")
        PAID = "paid", _("traitée")
        REJECTED = "rejected", _("rejetée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    holder = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="filed_care_sheets",
        verbose_name=_("assuré (titulaire du dossier)"),
        db_index=False,  # reimb_sheet_holder_date starts with it: one index less to update
    )
    beneficiary = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="care_sheets",
        verbose_name=_("bénéficiaire des soins"),
    )
    channel = models.CharField(_("origine"), max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    professional_name = models.CharField(_("nom du professionnel"), max_length=120)
    # RPPS (11 digits, Luhn key) or ADELI (9 digits), checked by the submission service.
    professional_number = models.CharField(_("numéro RPPS ou ADELI"), max_length=11)
    profession = models.CharField(_("profession"), max_length=24, choices=Profession.choices)
    sector = models.CharField(_("secteur"), max_length=8, choices=Sector.choices)
    pathway = models.CharField(
        _("parcours de soins"),
        max_length=16,
        choices=Pathway.choices,
        default=Pathway.DECLARED_GP,
    )
    care_date = models.DateField(_("date des soins"))
    has_tiers_payant = models.BooleanField(_("tiers payant"), default=False)

    # The scan in the private storage under a generated name (never anything the user typed).
    scan_name = models.CharField(_("feuille numérisée"), max_length=200, blank=True)
    scan_content_type = models.CharField(_("type du fichier"), max_length=40, blank=True)
    scan_sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)

    idempotency_key = models.CharField(_("clé d'idempotence"), max_length=64, blank=True)
    fingerprint = models.CharField(_("empreinte de la feuille"), max_length=64)

    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    rejection_code = models.CharField(
        _("motif de rejet"), max_length=3, choices=RejectionCode.choices, blank=True
    )
    rejection_detail = models.CharField(_("précision du rejet"), max_length=200, blank=True)

    # The claim of a pipeline worker: set in its own short transaction, so that a worker killed
    # in the middle leaves the row PROCESSING with an expired lease, which the sweep gives back.
    claim_token = models.UUIDField(_("jeton de prise en charge"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives de traitement"), default=0)

    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    processed_at = models.DateTimeField(_("traitée le"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["claim_token", "claimed_at", "attempts"])
    objects = CareSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("feuille de soins")
        verbose_name_plural = _("feuilles de soins")
        ordering = ["-care_date", "-pk"]
        permissions = [("review_caresheet", _("Peut vérifier et libérer une feuille de soins"))]
        indexes = [
            models.Index(fields=["holder", "-care_date"], name="reimb_sheet_holder_date"),
            # The pipeline's queue: RECEIVED rows oldest first, and stale claims for the sweep.
            models.Index(
                fields=["id"],
                condition=Q(status="received"),
                name="reimb_sheet_received",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="processing"),
                name="reimb_sheet_processing",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="reimb_sheet_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(status="rejected"),
                name="reimb_sheet_one_alive_per_fingerprint",
            ),
            models.CheckConstraint(
                condition=Q(status="rejected") | Q(rejection_code=""),
                name="reimb_sheet_code_only_when_rejected",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_code=""),
                name="reimb_sheet_rejected_has_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional_name} — {self.care_date:%d/%m/%Y}"

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID


class CareSheetLine(models.Model):
    """One act line of a sheet as submitted (the engine's input, before any computation)."""

    care_sheet = models.ForeignKey(
        CareSheet, on_delete=models.CASCADE, related_name="lines", verbose_name=_("feuille")
    )
    position = models.PositiveSmallIntegerField(_("ligne"))
    act_code = models.CharField(_("code de l'acte"), max_length=12)
    # Acts or boxes, or the coefficient of a key letter (AMI 1.5, B 70): hence a decimal.
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2, default=1)
    amount_charged = models.DecimalField(_("montant payé"), max_digits=10, decimal_places=2)
    # Optional: an electronic sheet carries it; otherwise the nomenclature's tariff applies.
    base = models.DecimalField(
        _("base de remboursement"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    is_ald_related = models.BooleanField(_("en rapport avec une ALD"), default=False)
    is_at_mp_related = models.BooleanField(_("en rapport avec un AT/MP"), default=False)
    admission = models.DateTimeField(_("entrée"), null=True, blank=True)
    discharge = models.DateTimeField(_("sortie"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne d'acte")
        verbose_name_plural = _("lignes d'actes")
        ordering = ["care_sheet", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_sheet", "position"], name="reimb_sheet_line_position"
            ),
            models.CheckConstraint(
                condition=Q(amount_charged__gte=0), name="reimb_sheet_line_charged_positive"
            ),
            models.CheckConstraint(
                condition=Q(base__isnull=True) | Q(base__gte=0),
                name="reimb_sheet_line_base_positive",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="reimb_sheet_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(admission__isnull=True)
                | Q(discharge__isnull=True)
                | Q(discharge__gte=F("admission")),
                name="reimb_sheet_line_stay_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_code} × {self.quantity}"
