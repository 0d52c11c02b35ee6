"""Work stoppages (arrêts de travail): the initial notice, its extensions, the employer.

A WorkStoppage is one continuous time off work of one insured person, of one kind. It is made
of notices (avis d'arrêt de travail): the initial one (sequence 0) and the extensions
(prolongations, sequence 1, 2…), each starting the day after the previous one ends; so an
extension always has its stoppage's kind. Dates are the days printed on a notice: `start_date`
and `end_date` are both included (the last day off work).

`end_date` covers every notice not refused, so that the database can refuse two stoppages of one
person that share a day (an exclusion constraint on PostgreSQL, see
allowances.models.constraints); `accepted_end_date` is the last day staff accepted, the limit
of payments.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Rules are held from this date (allowances/data/allowance_parameters.csv starts with what a
# stoppage of 2017 needs, its 2016 reference period included): an earlier stoppage cannot be
# computed and is refused at entry.
EARLIEST_START = date(2017, 1, 1)


class StoppageKind(models.TextChoices):
    SICKNESS = "sickness", _("maladie")
    WORK_ACCIDENT = "work_accident", _("accident du travail ou maladie professionnelle")
    MATERNITY = "maternity", _("maternité")


class WorkStoppageQuerySet(models.QuerySet):
    def for_user(self, user) -> "WorkStoppageQuerySet":
        """The stoppages of the person whose account this is (none for anonymous users)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(person__user=user)

    def payable(self) -> "WorkStoppageQuerySet":
        """Accepted stoppages with a computation: the payment task looks at these only."""
        return self.filter(
            status=WorkStoppage.Status.ACCEPTED,
            computed_at__isnull=False,
            accepted_end_date__isnull=False,
        )


class WorkStoppage(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("reçu")
        IN_REVIEW = "in_review", _("en cours d'examen")
        ACCEPTED = "accepted", _("accepté")
        REFUSED = "refused", _("refusé")
        CLOSED = "closed", _("clos")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="work_stoppages",
        verbose_name=_("assuré"),
    )
    kind = models.CharField(_("nature de l'arrêt"), max_length=16, choices=StoppageKind.choices)
    start_date = models.DateField(_("premier jour d'arrêt"))
    end_date = models.DateField(_("dernier jour d'arrêt (avis et prolongations)"))
    accepted_end_date = models.DateField(
        _("dernier jour accepté par la caisse"), null=True, blank=True
    )
    is_ald = models.BooleanField(
        _("en rapport avec une affection de longue durée (ALD)"), default=False
    )
    # The employer is data of the stoppage, not an account: the insured person names it when
    # declaring the stoppage (allowances.forms.stoppages).
    employer_name = models.CharField(_("employeur"), max_length=120)
    employer_siret = models.CharField(_("SIRET de l'employeur"), max_length=14)

    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déclaré par"),
    )
    declared_at = models.DateTimeField(_("déclaré le"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent instructeur"),
    )
    info_request_message = models.TextField(_("informations demandées"), blank=True)
    info_requested_at = models.DateTimeField(_("informations demandées le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision prise par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    # The engine's last result for this stoppage (allowances.services.computation).
    computation_number = models.PositiveIntegerField(_("numéro du calcul"), default=0)
    computed_at = models.DateTimeField(_("calculé le"), null=True, blank=True)
    daily_base = models.DecimalField(
        _("salaire journalier de base"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    daily_amount = models.DecimalField(
        _("indemnité journalière"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    daily_amount_from_day_29 = models.DecimalField(
        _("indemnité journalière à partir du 29e jour"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    waiting_days = models.PositiveSmallIntegerField(_("jours de carence"), null=True, blank=True)
    days_payable = models.PositiveIntegerField(_("jours indemnisables"), null=True, blank=True)
    # The engine's result as JSON: figures as strings, the explanation step by step, and the
    # day-by-day schedule the payments follow.
    computation = models.JSONField(_("détail du calcul"), default=dict, blank=True)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = WorkStoppageQuerySet.as_manager()

    class Meta:
        verbose_name = _("arrêt de travail")
        verbose_name_plural = _("arrêts de travail")
        ordering = ["-start_date", "-pk"]
        permissions = [("review_workstoppage", _("Peut instruire les arrêts de travail"))]
        indexes = [models.Index(fields=["person", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="allowances_stoppage_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=EARLIEST_START),
                name="allowances_stoppage_start_from_2017",
            ),
            models.CheckConstraint(
                condition=Q(accepted_end_date__isnull=True)
                | (
                    Q(accepted_end_date__gte=F("start_date"))
                    & Q(accepted_end_date__lte=F("end_date"))
                ),
                name="allowances_stoppage_accepted_end_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d/%m/%Y} → {self.end_date:%d/%m/%Y}"


class StoppageNotice(models.Model):
    """One avis d'arrêt de travail: the initial notice (sequence 0) or an extension."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à examiner")
        ACCEPTED = "accepted", _("accepté")
        REFUSED = "refused", _("refusé")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stoppage = models.ForeignKey(
        WorkStoppage,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("arrêt de travail"),
    )
    sequence = models.PositiveSmallIntegerField(_("rang (0 : avis initial)"))
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au (inclus)"))
    prescribed_on = models.DateField(_("prescrit le"))
    prescriber_name = models.CharField(_("prescripteur"), max_length=120)
    prescriber_rpps = models.CharField(_("RPPS du prescripteur"), max_length=11)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    # The scan of the notice, in the private storage under a generated name (none when staff
    # key in a paper notice they keep).
    stored_name = models.CharField(_("fichier"), max_length=200, blank=True, editable=False)
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=120, blank=True)
    content_type = models.CharField(_("type de contenu"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), null=True, blank=True)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déclaré par"),
    )
    received_at = models.DateTimeField(_("reçu le"))

    history = HistoricalRecords(excluded_fields=["stored_name", "sha256"])

    class Meta:
        verbose_name = _("avis d'arrêt de travail")
        verbose_name_plural = _("avis d'arrêt de travail")
        ordering = ["stoppage", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["stoppage", "sequence"], name="allowances_notice_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="allowances_notice_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        label = _("avis initial") if self.sequence == 0 else _("prolongation")
        return f"{label} {self.start_date:%d/%m/%Y} → {self.end_date:%d/%m/%Y}"

    @property
    def is_extension(self) -> bool:
        return self.sequence > 0

    @property
    def has_scan(self) -> bool:
        return bool(self.stored_name)
