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


class OutgoingMail(models.Model):
    """An e-mail written in the same transaction as the change it tells about (an outbox).

    A worker sends it after commit; a failed or lost send stays pending and the beat sweep
    offers it again, up to MAX_ATTEMPTS. A worker dying between the send and the mark may send
    it twice: a duplicate notice is better than a lost one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("abandonné")

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    recipients = models.JSONField(_("destinataires"))
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("texte"))
    status = models.CharField(
        _("état"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"
