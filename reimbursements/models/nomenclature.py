"""The nomenclature: act codes and the tariffs they had over time.

A tariff change is a new `ActTariff` row starting on its effective date, the previous one
closed the day before (valid_until is exclusive): staff add it in the back office, and a past
sheet is always recomputed with the tariff of its date.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpam_portal.models import RuleParameter
from cpam_portal.periods import overlap
from reimbursements.nomenclature import clear_rule_snapshot
from reimbursements.rules.types import ActKind, Family, Specialty, Unit


class ActCode(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    family = models.CharField(
        _("famille"), max_length=12, choices=[(value, value) for value in Family]
    )
    unit = models.CharField(
        _("unité"),
        max_length=12,
        choices=[(value, value) for value in Unit],
        help_text=_(
            "act : nombre d'actes ; coefficient : lettre clé ; box : boîtes ; stay : séjour."
        ),
    )
    kind = models.CharField(
        _("nature"),
        max_length=12,
        choices=[(value, value) for value in ActKind],
        default=ActKind.ACT,
    )
    rate = models.DecimalField(
        _("taux propre au code"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Seulement pour les codes qui portent leur taux (PH1, PH7, PH4, PH2)."),
    )
    specialty = models.CharField(
        _("spécialité en accès direct"),
        max_length=16,
        blank=True,
        choices=[(value, value) for value in Specialty],
    )

    class Meta:
        verbose_name = _("code acte")
        verbose_name_plural = _("codes actes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__isnull=True) | models.Q(rate__gte=0, rate__lte=1),
                name="act_code_rate_between_0_and_1",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class ActTariff(models.Model):
    act = models.ForeignKey(
        ActCode, on_delete=models.PROTECT, related_name="tariffs", verbose_name=_("code acte")
    )
    tariff = models.DecimalField(
        _("tarif unitaire (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : la ligne de la feuille doit porter sa base (séjours, médicaments)."),
    )
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(
        _("en vigueur jusqu'au (exclu)"),
        null=True,
        blank=True,
        help_text=_("Premier jour où le tarif ne s'applique plus ; vide si toujours en vigueur."),
    )
    source = models.CharField(_("source"), max_length=400)
    note = models.TextField(_("remarque"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tarif d'un acte")
        verbose_name_plural = _("tarifs des actes")
        ordering = ["act__code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["act", "valid_from"], name="act_tariff_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="act_tariff_period_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(tariff__isnull=True) | models.Q(tariff__gte=0),
                name="act_tariff_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_id and self.act.code} {self.tariff} ({self.valid_from:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if not self.valid_from or not self.act_id:
            return
        others = ActTariff.objects.filter(act_id=self.act_id).exclude(pk=self.pk)
        for other in others:
            if overlap(other.valid_from, other.valid_until, self.valid_from, self.valid_until):
                raise ValidationError(
                    _("Cette période chevauche le tarif du %(day)s : fermez d'abord celui-ci.")
                    % {"day": other.valid_from.strftime("%d/%m/%Y")}
                )


# A saved tariff or parameter must reach the next computation in this process at once.
for _model in (ActCode, ActTariff, RuleParameter):
    post_save.connect(clear_rule_snapshot, sender=_model, dispatch_uid=f"rb-{_model.__name__}-save")
    post_delete.connect(
        clear_rule_snapshot, sender=_model, dispatch_uid=f"rb-{_model.__name__}-delete"
    )
