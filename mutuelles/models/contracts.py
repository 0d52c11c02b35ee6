"""Complementary insurers (mutuelles) that staff maintain, and the contracts that link a
beneficiary to one of them: declared by the insured person, subscribed by the mutuelle."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Mutuelle(models.Model):
    """A complementary insurer (organisme complémentaire), known by its AMC number."""

    name = models.CharField(_("nom"), max_length=120)
    # Numéro d'organisme complémentaire (as printed on a carte de tiers payant): 8 or 9 digits.
    amc_number = models.CharField(
        _("numéro d'organisme complémentaire"), max_length=10, unique=True
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mutuelle")
        verbose_name_plural = _("mutuelles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MutuelleContractQuerySet(models.QuerySet):
    def for_holder(self, holder) -> "MutuelleContractQuerySet":
        """Contracts of the persons on `holder`'s file (the holder included)."""
        return self.filter(person__beneficiary_of__holder=holder)

    def in_force(self) -> "MutuelleContractQuerySet":
        """Declared or confirmed: the contracts whose periods may conflict."""
        return self.exclude(status=MutuelleContract.Status.WITHDRAWN)


class MutuelleContract(models.Model):
    """A complementary contract covering one beneficiary, as declared by the insured person.

    Only one mutuelle receives a beneficiary's reimbursements for a given day (the routing of
    the "liaison NOEMIE"), so two contracts covering common days are a conflict the insured
    person resolves. The link has two halves: the person's declaration and the mutuelle's
    subscription through its API; statements flow once both agree (CONFIRMED).
    """

    class Status(models.TextChoices):
        DECLARED = "declared", _("déclaré")
        # Declared by the mutuelle (API subscription), awaiting the insured person's agreement.
        SUBSCRIBED = "subscribed", _("déclaré par la mutuelle")
        CONFIRMED = "confirmed", _("confirmé par la mutuelle")
        WITHDRAWN = "withdrawn", _("retiré")

    person = models.ForeignKey(
        "affiliation.InsuredPerson",
        on_delete=models.CASCADE,
        related_name="mutuelle_contracts",
        verbose_name=_("bénéficiaire"),
    )
    mutuelle = models.ForeignKey(
        Mutuelle,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("mutuelle"),
    )
    member_number = models.CharField(_("numéro d'adhérent"), max_length=30)
    valid_from = models.DateField(_("début du contrat"))
    valid_until = models.DateField(_("fin du contrat (exclue)"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DECLARED
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déclaré par"),
    )
    # The id the mutuelle API shows (never the sequential pk: it would tell how many exist).
    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True)
    # The mutuelle's half of the link (its subscription through the API).
    mutuelle_reference = models.CharField(
        _("référence du contrat à la mutuelle"), max_length=40, blank=True
    )
    subscribed_at = models.DateTimeField(_("déclaré par la mutuelle le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("lien actif depuis le"), null=True, blank=True)
    created_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords()
    objects = MutuelleContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contrat de complémentaire santé")
        verbose_name_plural = _("contrats de complémentaire santé")
        ordering = ["person", "-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                # Named when the table belonged to `affiliation`; a name is only an identifier.
                name="affiliation_mutuelle_contract_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mutuelle} — {self.person}"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day covered, as people say it ("jusqu'au 31 décembre")."""
        return self.valid_until - datetime.timedelta(days=1) if self.valid_until else None
