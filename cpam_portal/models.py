"""What every app shares in the database: the trace of staff reads of personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One staff read (or download) of a person's health or identity data: who, what, when.

    Rows are only ever inserted (CNIL délibération 2021-122 on access traces): the admin shows
    them read-only and nothing in the code updates or deletes them.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("consultation")
        DOWNLOAD = "download", _("téléchargement")
        SEARCH = "search", _("recherche")
        EXPORT = "export", _("export")

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # The object read, named without a foreign key so that the trace outlives it.
    object_type = models.CharField(_("type d'objet"), max_length=60)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=40)
    # The insured person concerned, when there is one: "whose file was read" is the question
    # a person exercising their right of access asks.
    insured_person_id = models.BigIntegerField(_("assuré concerné"), null=True, db_index=True)
    detail = models.CharField(_("précision"), max_length=200, blank=True)
    request_id = models.CharField(_("identifiant de requête"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("trace d'accès")
        verbose_name_plural = _("traces d'accès")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"
