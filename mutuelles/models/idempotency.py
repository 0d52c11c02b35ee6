"""Idempotency keys of the mutuelle API's POSTs (IETF draft-ietf-httpapi-idempotency-key-header)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an `Idempotency-Key`, replayed to its retries.

    Inserted in the same transaction as the work the POST does: the unique constraint is the
    claim, so two concurrent requests with one key do the work once (the second waits for the
    first to commit, then replays its answer). `fingerprint` is a hash of the method, path and
    body: the same key with another body is a client error (409), never a silent replay.
    """

    client = models.ForeignKey(
        "mutuelles.MutuelleClient",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("client"),
    )
    key = models.CharField(_("clé"), max_length=255)
    fingerprint = models.CharField(_("empreinte de la requête"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("statut de la réponse"), default=0)
    response_body = models.JSONField(_("réponse"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("clé d'idempotence")
        verbose_name_plural = _("clés d'idempotence")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="mutuelles_idempotency_once"),
        ]

    def __str__(self) -> str:
        return self.key
