"""API clients of the mutuelles, and the trace of what each one read."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MutuelleClient(models.Model):
    """One machine client of one mutuelle: an OAuth 2.0 application (client credentials).

    django-oauth-toolkit keeps the application (client id, hashed secret); this row says which
    mutuelle the client speaks for and which scopes staff granted it. Every query of the API is
    scoped by `mutuelle`: a client never sees another mutuelle's members or statements.
    """

    application = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.CASCADE,
        related_name="mutuelle_client",
        verbose_name=_("application OAuth"),
    )
    mutuelle = models.ForeignKey(
        "mutuelles.Mutuelle",
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("mutuelle"),
    )
    name = models.CharField(_("nom du client"), max_length=120)
    # Space-separated, as OAuth writes scopes ("statements:read statements:ack").
    scopes = models.CharField(_("droits (scopes)"), max_length=200)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret renouvelé le"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client API de mutuelle")
        verbose_name_plural = _("clients API de mutuelles")
        ordering = ["mutuelle", "name"]

    def __str__(self) -> str:
        return f"{self.mutuelle} — {self.name}"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class ClientAccessLog(models.Model):
    """One read of insured persons' data by a mutuelle client (CNIL: who read what, when).

    Insert-only, like the staff trace (`cpam_portal.AccessLog`): one row per API request that
    returns personal data, with how many records it returned.
    """

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    client = models.ForeignKey(
        MutuelleClient, on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    action = models.CharField(_("action"), max_length=40)
    # The person concerned when the request is about one person (eligibility, subscription).
    insured_person_id = models.BigIntegerField(_("assuré concerné"), null=True, db_index=True)
    records = models.PositiveIntegerField(_("enregistrements transmis"), default=0)
    detail = models.CharField(_("précision"), max_length=200, blank=True)
    request_id = models.CharField(_("identifiant de requête"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("consultation par une mutuelle")
        verbose_name_plural = _("consultations par les mutuelles")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} — {self.action} — {self.at:%Y-%m-%d %H:%M}"
