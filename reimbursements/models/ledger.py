"""The year-to-date withholdings ledger: what the caps of the participation forfaitaire and the
franchises count (ameli.fr participation forfaitaire and franchise pages; docs/sources.md §5).

Two tables. `WithholdingYear` holds a person's totals for a calendar year (participation
forfaitaire and franchises, 50 € caps each). `WithholdingDay` holds a day's counters per
professional (participation count, capped at 4 per day per professional) and the day's
franchises on paramedical acts and transport (4 € and 8 € daily caps): a person's franchise
day total is the sum over their rows of that day.

Concurrency: every change to a person's rows of a year happens with that person's
`WithholdingYear` row locked (`SELECT … FOR UPDATE`, persons in id order), so two batches
holding sheets of the same person are serialised on that row and the counters stay exact.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 10, "decimal_places": 2, "default": 0}


class WithholdingYear(models.Model):
    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="withholding_years",
        verbose_name=_("bénéficiaire"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    participation_forfaitaire = models.DecimalField(_("participations forfaitaires"), **MONEY)
    franchises = models.DecimalField(_("franchises médicales"), **MONEY)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("retenues de l'année")
        verbose_name_plural = _("retenues par année")
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="reimb_withholding_year"),
            models.CheckConstraint(
                condition=Q(participation_forfaitaire__gte=0) & Q(franchises__gte=0),
                name="reimb_withholding_year_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"


class WithholdingDay(models.Model):
    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="withholding_days",
        verbose_name=_("bénéficiaire"),
    )
    day = models.DateField(_("jour des soins"))
    professional_number = models.CharField(_("numéro du professionnel"), max_length=11)
    participation_count = models.PositiveSmallIntegerField(
        _("participations forfaitaires (nombre)"), default=0
    )
    participation_amount = models.DecimalField(_("participations forfaitaires"), **MONEY)
    franchise_paramedical = models.DecimalField(_("franchises sur actes paramédicaux"), **MONEY)
    franchise_transport = models.DecimalField(_("franchises sur transports"), **MONEY)
    franchise_medicine = models.DecimalField(_("franchises sur médicaments"), **MONEY)

    class Meta:
        verbose_name = _("retenues du jour")
        verbose_name_plural = _("retenues par jour")
        ordering = ["person", "-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "day", "professional_number"], name="reimb_withholding_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.professional_number}"
