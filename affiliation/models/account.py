"""Linking an online account to an insured file, and the life events declared from it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from affiliation.rules.account import masked_iban

# Granted to the group COUNTER_STAFF ("Agents d'accueil") by a data migration. Issuing a code
# also needs change_insuredperson (the action sits on the insured persons' list).
COUNTER_STAFF_PERMISSIONS = (
    "view_activationcode",
    "add_activationcode",
    "view_linkinglockout",
    "change_linkinglockout",
    "view_bankaccount",
    "review_bankaccount",
    "view_addresschange",
)


class ActivationCode(models.Model):
    """The code staff issue so that a person can link their account to their file.

    Only a keyed hash is stored: the code is shown once to the agent and sent to the person
    (by post in real life, by e-mail here). A new code replaces the previous one.
    """

    person = models.OneToOneField(
        "affiliation.InsuredPerson",
        on_delete=models.CASCADE,
        related_name="activation_code",
        verbose_name=_("assuré"),
    )
    code_hash = models.CharField(_("empreinte du code"), max_length=64)
    issued_at = models.DateTimeField(_("émis le"))
    expires_at = models.DateTimeField(_("expire le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("émis par"),
    )
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code d'activation")
        verbose_name_plural = _("codes d'activation")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return str(_("Code d'activation de %(person)s") % {"person": self.person})


class LinkingLockout(models.Model):
    """Failed linking attempts of one account, in the database so that a cache flush or a
    restart does not reset them (docs/reliability.md#linking-lockout)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="linking_lockout",
        verbose_name=_("compte"),
    )
    failures = models.PositiveSmallIntegerField(_("échecs consécutifs"), default=0)
    locked_until = models.DateTimeField(_("bloqué jusqu'au"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("dernier échec le"), null=True, blank=True)

    class Meta:
        verbose_name = _("blocage de rattachement")
        verbose_name_plural = _("blocages de rattachement")
        ordering = ["-last_failure_at"]

    def __str__(self) -> str:
        return str(self.user)


class BankAccountQuerySet(models.QuerySet):
    def current(self) -> "BankAccountQuerySet":
        return self.filter(status=BankAccount.Status.ACTIVE)


class BankAccount(models.Model):
    """The account reimbursements are paid to. A change adds a row and retires the former one."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("en vigueur")
        REPLACED = "replaced", _("remplacé")

    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.CASCADE,
        related_name="bank_accounts",
        verbose_name=_("assuré"),
    )
    iban = models.CharField(_("IBAN"), max_length=34)  # compact, upper case
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    holder_name = models.CharField(_("titulaire du compte"), max_length=140)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    # Changing bank details is the classic account-takeover fraud: staff look at each change.
    needs_review = models.BooleanField(_("à vérifier"), default=True)
    reviewed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié par"),
    )

    history = HistoricalRecords()
    objects = BankAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordonnées bancaires")
        verbose_name_plural = _("coordonnées bancaires")
        ordering = ["person", "-created_at"]
        permissions = [("review_bankaccount", _("Peut marquer des coordonnées comme vérifiées"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="affiliation_one_active_bank_account",
            ),
        ]

    def __str__(self) -> str:
        return self.masked_iban

    @property
    def masked_iban(self) -> str:
        return masked_iban(self.iban)


class AddressChange(models.Model):
    """A declared move, with the fund that managed the file before and after it."""

    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.CASCADE,
        related_name="address_changes",
        verbose_name=_("assuré"),
    )
    moved_on = models.DateField(_("date du déménagement"))
    old_postcode = models.CharField(_("ancien code postal"), max_length=5, blank=True)
    new_postcode = models.CharField(_("nouveau code postal"), max_length=5)
    old_fund = models.ForeignKey(
        "directory.Fund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ancienne caisse"),
    )
    new_fund = models.ForeignKey(
        "directory.Fund",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nouvelle caisse"),
    )
    declared_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement d'adresse")
        verbose_name_plural = _("changements d'adresse")
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"{self.person} {self.moved_on}"

    @property
    def changed_fund(self) -> bool:
        return self.old_fund_id != self.new_fund_id
