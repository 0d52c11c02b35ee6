"""What the pipeline writes for a processed sheet: the statement (décompte), its lines with
the engine's explanation, and the payment."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2, "default": 0}

# Amount columns of a statement line and of a statement's totals (the engine's output names).
LINE_AMOUNTS = (
    "base",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "flat_fee",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
)
TOTAL_AMOUNTS = (
    "amount_charged",
    *LINE_AMOUNTS,
    "hospital_daily_charge",
    "css_part",
    "local_scheme_part",
    "patient_remainder",
)


class StatementQuerySet(models.QuerySet):
    def for_holder(self, holder) -> "StatementQuerySet":
        return self.filter(holder=holder)

    def for_user(self, user) -> "StatementQuerySet":
        """The statements an insured account may see: those of the file it is linked to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(holder__user=user)


class Statement(models.Model):
    """The décompte of one processed care sheet: totals, what was paid, to whom.

    One per sheet (unique), so a sheet processed twice cannot get a second statement.
    `holder`, `beneficiary`, `care_date` and `profession` are copied from the sheet so that the
    insured person's lists filter and sort without joins.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    care_sheet = models.OneToOneField(
        "reimbursements.CareSheet",
        on_delete=models.PROTECT,
        related_name="statement",
        verbose_name=_("feuille de soins"),
    )
    holder = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="reimbursement_statements",
        verbose_name=_("assuré"),
        db_index=False,  # the (holder, ...) indexes below start with it
    )
    beneficiary = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bénéficiaire"),
    )
    care_date = models.DateField(_("date des soins"))
    profession = models.CharField(_("profession"), max_length=24)
    issued_on = models.DateField(_("émis le"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    amount_charged = models.DecimalField(_("montant payé au professionnel"), **MONEY)
    base = models.DecimalField(_("base de remboursement"), **MONEY)
    amo_gross = models.DecimalField(_("part assurance maladie avant déductions"), **MONEY)
    participation_forfaitaire = models.DecimalField(_("participation forfaitaire"), **MONEY)
    franchise = models.DecimalField(_("franchise médicale"), **MONEY)
    flat_fee = models.DecimalField(_("participation forfaitaire actes lourds"), **MONEY)
    hospital_daily_charge = models.DecimalField(_("forfait journalier hospitalier"), **MONEY)
    amo_paid = models.DecimalField(_("montant remboursé"), **MONEY)
    ticket_moderateur = models.DecimalField(_("ticket modérateur"), **MONEY)
    depassement = models.DecimalField(_("dépassement d'honoraires"), **MONEY)
    css_part = models.DecimalField(_("part complémentaire santé solidaire"), **MONEY)
    local_scheme_part = models.DecimalField(_("part régime local Alsace-Moselle"), **MONEY)
    patient_remainder = models.DecimalField(_("reste à charge"), **MONEY)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("décompte")
        verbose_name_plural = _("décomptes")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["holder", "-issued_on", "-id"], name="reimb_statement_holder"),
            models.Index(fields=["holder", "-care_date"], name="reimb_statement_holder_care"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amo_paid__gte=0), name="reimb_statement_paid_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Décompte')} {self.care_date:%d/%m/%Y} — {self.amo_paid} €"


class StatementLine(models.Model):
    """One line of a statement: every amount the engine returned and why (`explanation`).

    `explanation` is the engine's list of rules applied, each with its value and the date it
    took effect: what the insured person reads under "pourquoi ce montant ?".
    """

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("décompte")
    )
    care_sheet_line = models.OneToOneField(
        "reimbursements.CareSheetLine",
        on_delete=models.PROTECT,
        related_name="statement_line",
        verbose_name=_("ligne de la feuille"),
    )
    position = models.PositiveSmallIntegerField(_("ligne"))
    act_code = models.CharField(_("code de l'acte"), max_length=12)
    # The act family the rates follow ("consultation", "pharmacy_65", ...): "kind of care".
    family = models.CharField(_("famille d'actes"), max_length=24, blank=True)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2, default=1)
    amount_charged = models.DecimalField(_("montant payé"), **MONEY)
    rate = models.DecimalField(_("taux"), max_digits=4, decimal_places=2)
    base = models.DecimalField(_("base de remboursement"), **MONEY)
    amo_gross = models.DecimalField(_("part assurance maladie avant déductions"), **MONEY)
    participation_forfaitaire = models.DecimalField(_("participation forfaitaire"), **MONEY)
    franchise = models.DecimalField(_("franchise médicale"), **MONEY)
    # "medicine", "paramedical" or "transport" when a franchise applies to the line.
    franchise_kind = models.CharField(_("nature de la franchise"), max_length=12, blank=True)
    flat_fee = models.DecimalField(_("participation forfaitaire actes lourds"), **MONEY)
    amo_paid = models.DecimalField(_("montant remboursé"), **MONEY)
    ticket_moderateur = models.DecimalField(_("ticket modérateur"), **MONEY)
    depassement = models.DecimalField(_("dépassement d'honoraires"), **MONEY)
    hospital_daily_charge = models.DecimalField(_("forfait journalier hospitalier"), **MONEY)
    hospital_days = models.PositiveSmallIntegerField(_("jours d'hospitalisation"), default=0)
    css_part = models.DecimalField(_("part complémentaire santé solidaire"), **MONEY)
    local_scheme_part = models.DecimalField(_("part régime local Alsace-Moselle"), **MONEY)
    patient_remainder = models.DecimalField(_("reste à charge"), **MONEY)
    explanation = models.JSONField(_("explication"), default=list)

    class Meta:
        verbose_name = _("ligne de décompte")
        verbose_name_plural = _("lignes de décompte")
        ordering = ["statement", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amo_paid__gte=0) & Q(amo_paid__lte=models.F("base")),
                name="reimb_statement_line_paid_within_base",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_code}: {self.amo_paid} €"


class PaymentQuerySet(models.QuerySet):
    def for_user(self, user) -> "PaymentQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(statement__holder__user=user)


class Payment(models.Model):
    """The transfer of one statement's amount paid.

    One payment per statement (not per batch): a batch is an accident of the worker's load,
    while a statement is what the person reads, so the reference stays the same whichever batch
    the sheet fell into, and the unique statement makes a second payment impossible. Under
    tiers payant the professional was paid: the payee is the professional, not the insured.
    """

    class Payee(models.TextChoices):
        INSURED = "insured", _("l'assuré")
        PROFESSIONAL = "professional", _("le professionnel de santé (tiers payant)")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("virement programmé")
        AWAITING_BANK_DETAILS = "no_bank", _("en attente de coordonnées bancaires")

    statement = models.OneToOneField(
        Statement, on_delete=models.PROTECT, related_name="payment", verbose_name=_("décompte")
    )
    holder = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.PROTECT,
        related_name="reimbursement_payments",
        verbose_name=_("assuré"),
        db_index=False,  # the (holder, ...) indexes below start with it
    )
    payee = models.CharField(_("bénéficiaire du virement"), max_length=12, choices=Payee.choices)
    bank_account = models.ForeignKey(
        "affiliation.BankAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compte crédité"),
    )
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    # "RB" + statement number: what the bank statement shows; unique whatever happens.
    reference = models.CharField(_("référence du virement"), max_length=24, unique=True)
    paid_on = models.DateField(_("date du virement"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["holder", "-paid_on", "-id"], name="reimb_payment_holder")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reimb_payment_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


def payment_reference(statement_id: int) -> str:
    return f"RB{statement_id:012d}"
