"""Push delivery of statements to a mutuelle's webhook (Standard Webhooks 1.0)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(models.Model):
    """Where a mutuelle wants its statements pushed, and the secret the deliveries are signed with.

    The secret is kept readable (the sender must compute the HMAC); staff see it once, when it
    is created or rotated, and hand it to the mutuelle.
    """

    mutuelle = models.OneToOneField(
        "mutuelles.Mutuelle",
        on_delete=models.CASCADE,
        related_name="webhook",
        verbose_name=_("mutuelle"),
    )
    url = models.URLField(_("adresse de réception"), max_length=300)
    # "whsec_" + base64 of 32 random bytes: the format the Standard Webhooks libraries read.
    secret = models.CharField(_("secret de signature"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret renouvelé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("adresse de réception (webhook)")
        verbose_name_plural = _("adresses de réception (webhooks)")

    def __str__(self) -> str:
        return f"{self.mutuelle} — {self.url}"


class WebhookMessage(models.Model):
    """One signed delivery of a batch of statements, retried under the same `webhook_id`.

    The body is frozen when the batch is built: every attempt sends the same bytes with the same
    id, so the receiver deduplicates on `webhook-id` (and on each statement's transmission id).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENDING = "sending", _("envoi en cours")
        DELIVERED = "delivered", _("reçu")
        DEAD = "dead", _("abandonné après échecs")

    webhook_id = models.CharField(
        _("identifiant (webhook-id)"), max_length=40, unique=True, default=new_webhook_id
    )
    mutuelle = models.ForeignKey(
        "mutuelles.Mutuelle",
        on_delete=models.PROTECT,
        related_name="webhook_messages",
        verbose_name=_("mutuelle"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("adresse de réception"),
    )
    event_type = models.CharField(_("type d'événement"), max_length=60)
    body = models.TextField(_("contenu envoyé"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("envoi à une mutuelle")
        verbose_name_plural = _("envois aux mutuelles")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="mutuelles_message_due",
            ),
        ]

    def __str__(self) -> str:
        return self.webhook_id


class WebhookMessageItem(models.Model):
    """A transmission carried by a message: each transmission goes in one message only."""

    message = models.ForeignKey(
        WebhookMessage, on_delete=models.CASCADE, related_name="items", verbose_name=_("envoi")
    )
    transmission = models.OneToOneField(
        "mutuelles.Transmission",
        on_delete=models.PROTECT,
        related_name="webhook_item",
        verbose_name=_("transmission"),
    )

    class Meta:
        verbose_name = _("décompte envoyé")
        verbose_name_plural = _("décomptes envoyés")

    def __str__(self) -> str:
        return f"{self.message_id} — {self.transmission_id}"


class DeliveryAttempt(models.Model):
    """One HTTP attempt of a message: the delivery log staff read."""

    message = models.ForeignKey(
        WebhookMessage, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("envoi")
    )
    number = models.PositiveSmallIntegerField(_("tentative n°"))
    started_at = models.DateTimeField(_("début"))
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("statut HTTP"), null=True, blank=True)
    succeeded = models.BooleanField(_("réussie"), default=False)
    error = models.CharField(_("erreur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tentative d'envoi")
        verbose_name_plural = _("tentatives d'envoi")
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="mutuelles_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number}"
