"""Salary attestations: the gross pay and hours of the months before a stoppage.

The insured person uploads the employer's attestation and types its figures; staff check them
against the document and accept (or correct, then accept) or refuse. Staff may also key an
attestation received on paper: it is accepted at once. The engine uses the months of the
latest accepted attestation of the stoppage.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SalaryAttestationQuerySet(models.QuerySet):
    def for_user(self, user) -> "SalaryAttestationQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(stoppage__person__user=user)


class SalaryAttestation(models.Model):
    class Source(models.TextChoices):
        INSURED = "insured", _("déposée par l'assuré")
        STAFF = "staff", _("saisie par la caisse")

    class Status(models.TextChoices):
        RECEIVED = "received", _("reçue")
        ACCEPTED = "accepted", _("acceptée")
        REFUSED = "refused", _("refusée")

    stoppage = models.ForeignKey(
        "allowances.WorkStoppage",
        on_delete=models.CASCADE,
        related_name="salary_attestations",
        verbose_name=_("arrêt de travail"),
    )
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    # The employer's document, in the private storage under a generated name.
    stored_name = models.CharField(_("fichier"), max_length=200, blank=True, editable=False)
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=120, blank=True)
    content_type = models.CharField(_("type de contenu"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposée par"),
    )
    submitted_at = models.DateTimeField(_("déposée le"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifiée par"),
    )
    reviewed_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["stored_name", "sha256"])
    objects = SalaryAttestationQuerySet.as_manager()

    class Meta:
        verbose_name = _("attestation de salaire")
        verbose_name_plural = _("attestations de salaire")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("review_salaryattestation", _("Peut vérifier les attestations de salaire"))]

    def __str__(self) -> str:
        return f"{_('attestation de salaire')} {self.submitted_at:%d/%m/%Y}"

    @property
    def has_document(self) -> bool:
        return bool(self.stored_name)


class SalaryMonth(models.Model):
    """One month of an attestation: the gross pay and the hours worked that month."""

    attestation = models.ForeignKey(
        SalaryAttestation,
        on_delete=models.CASCADE,
        related_name="months",
        verbose_name=_("attestation"),
    )
    month = models.DateField(_("mois (premier jour)"))
    gross_amount = models.DecimalField(_("salaire brut (€)"), max_digits=12, decimal_places=2)
    hours_worked = models.DecimalField(_("heures travaillées"), max_digits=6, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mois de salaire")
        verbose_name_plural = _("mois de salaire")
        ordering = ["attestation", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["attestation", "month"],
                name="allowances_salary_month_unique",
                violation_error_message=_("Ce mois figure déjà sur l'attestation."),
            ),
            models.CheckConstraint(
                condition=Q(gross_amount__gte=0),
                name="allowances_salary_not_negative",
                violation_error_message=_("Un salaire brut ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=Q(hours_worked__gte=0),
                name="allowances_hours_not_negative",
                violation_error_message=_("Un nombre d'heures ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="allowances_month_first_day",
                violation_error_message=_("Indiquez le mois par son premier jour."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.gross_amount} €"
