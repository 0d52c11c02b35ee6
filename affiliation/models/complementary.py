"""Complementary insurers (mutuelles) that staff maintain, and the contracts persons declare."""

from django.db import models
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
