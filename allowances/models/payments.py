"""Payments of daily allowances, made by the beat task every 14 days and at the stoppage's end.

Exactly once per period: the database refuses a second regular payment with the same
(stoppage, period_start), and the task claims a stoppage with SELECT … FOR UPDATE SKIP LOCKED
before paying it (allowances.services.payments). Rows are only inserted: a correction after
payment adds a regularisation line, it never edits a payment.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AllowancePaymentQuerySet(models.QuerySet):
    def for_user(self, user) -> "AllowancePaymentQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(stoppage__person__user=user)


class AllowancePayment(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("paiement")
        REGULARISATION = "regularisation", _("régularisation")

    stoppage = models.ForeignKey(
        "allowances.WorkStoppage",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("arrêt de travail"),
    )
    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au (inclus)"))
    days = models.PositiveSmallIntegerField(_("jours"))
    # The daily amount of the period; for a regularisation, the difference per day.
    daily_amount = models.DecimalField(_("montant journalier"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    computation_number = models.PositiveIntegerField(_("numéro du calcul appliqué"))
    paid_on = models.DateField(_("payé le"))
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = AllowancePaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("paiement d'indemnités journalières")
        verbose_name_plural = _("paiements d'indemnités journalières")
        ordering = ["stoppage", "period_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stoppage", "period_start"],
                condition=Q(kind="regular"),
                name="allowances_one_payment_per_period",
            ),
            models.UniqueConstraint(
                fields=["stoppage", "period_start", "computation_number"],
                condition=Q(kind="regularisation"),
                name="allowances_one_regularisation_per_period_and_computation",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="allowances_payment_period_ordered",
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="allowances_payment_days"),
            models.CheckConstraint(
                condition=Q(kind="regularisation") | Q(amount__gte=0, daily_amount__gte=0),
                name="allowances_payment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y} → {self.period_end:%d/%m/%Y} {self.amount} €"
