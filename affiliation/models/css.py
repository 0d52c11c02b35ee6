"""Applications for the complémentaire santé solidaire (CSS), decided by staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from affiliation.models.insured import InsuredPerson
from affiliation.rules.css import Outcome


class CSSApplicationQuerySet(models.QuerySet):
    def for_holder(self, person: InsuredPerson) -> "CSSApplicationQuerySet":
        return self.filter(holder=person)

    def open(self) -> "CSSApplicationQuerySet":
        return self.filter(status=CSSApplication.Status.SUBMITTED)


class CSSApplication(models.Model):
    """A household's application: the persons of one file, their resources, the decision.

    The outcome and participation are computed by affiliation.rules.css when the person
    submits; staff grant or refuse. A grant puts a CSS exemption on each covered person's
    record for 12 months.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("déposée")
        GRANTED = "granted", _("accordée")
        REFUSED = "refused", _("refusée")

    holder = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="css_applications",
        verbose_name=_("assuré (titulaire du dossier)"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposée par"),
    )
    submitted_on = models.DateField(_("déposée le"))
    # The language the person used, for the e-mail that tells them of the decision.
    language = models.CharField(_("langue"), max_length=8, default="fr")
    annual_resources = models.DecimalField(
        _("ressources annuelles du foyer (€)"), max_digits=12, decimal_places=2
    )
    household_size = models.PositiveSmallIntegerField(_("personnes au foyer"))
    outcome = models.CharField(
        _("résultat du calcul"),
        max_length=20,
        choices=[
            (Outcome.FREE.value, _("sans participation")),
            (Outcome.WITH_PARTICIPATION.value, _("avec participation")),
            (Outcome.ABOVE_CEILING.value, _("au-dessus des plafonds")),
        ],
    )
    monthly_participation = models.DecimalField(
        _("participation mensuelle totale (€)"), max_digits=12, decimal_places=2
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    valid_from = models.DateField(_("accordée du"), null=True, blank=True)
    valid_until = models.DateField(_("jusqu'au (exclu)"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    history = HistoricalRecords()
    objects = CSSApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de complémentaire santé solidaire")
        verbose_name_plural = _("demandes de complémentaire santé solidaire")
        ordering = ["-submitted_on", "-pk"]
        permissions = [("decide_cssapplication", _("Peut accorder ou refuser une demande de CSS"))]
        constraints = [
            models.UniqueConstraint(
                fields=["holder"],
                condition=Q(status="submitted"),
                name="affiliation_css_one_open_application_per_file",
            ),
            models.CheckConstraint(
                condition=Q(annual_resources__gte=0) & Q(monthly_participation__gte=0),
                name="affiliation_css_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="affiliation_css_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="granted")
                | (Q(valid_from__isnull=False) & Q(valid_until__isnull=False)),
                name="affiliation_css_grant_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"CSS {self.holder} {self.submitted_on}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SUBMITTED


class CSSApplicationMember(models.Model):
    """One person of the household, from the holder's file, with their participation."""

    application = models.ForeignKey(
        CSSApplication,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("demande"),
    )
    person = models.ForeignKey(
        InsuredPerson,
        on_delete=models.PROTECT,
        related_name="css_memberships",
        verbose_name=_("personne"),
    )
    rank = models.PositiveSmallIntegerField(_("rang"))
    age_on_first_january = models.PositiveSmallIntegerField(_("âge au 1er janvier"))
    monthly_participation = models.DecimalField(
        _("participation mensuelle (€)"), max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("personne du foyer")
        verbose_name_plural = _("personnes du foyer")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="affiliation_css_member_once"
            ),
            models.CheckConstraint(
                condition=Q(monthly_participation__gte=0),
                name="affiliation_css_member_participation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank:02d} {self.person}"
