"""What every app shares in the database: access traces, the mail outbox, dated rule parameters."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cpam_portal.parameters import ParameterTable, ParameterValue, overlapping


def in_force_on(on) -> models.Q:
    """The rows whose [valid_from, valid_until) covers `on`: the database's form of
    `cpam_portal.periods.is_in_force`, for every model with those two fields."""
    return models.Q(valid_from__lte=on) & (
        models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=on)
    )


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
    # Text attachments ({"filename", "content", "mimetype"}), e.g. an ICS invitation.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
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


class RuleParameterQuerySet(models.QuerySet):
    def table(self, prefix: str = ""):
        """The pure `ParameterTable` of every parameter whose key starts with `prefix`."""
        rows = self.filter(key__startswith=prefix).values_list(*PARAMETER_FIELDS)
        return ParameterTable(ParameterValue(*row) for row in rows)


class RuleParameter(models.Model):
    """One dated value of a rule parameter (a rate, a cap, a flat fee, a rounding mode).

    Keys are namespaced by domain ("reimbursement.pf.amount", "allowance.sickness.rate"). A new
    value is a new row starting on its effective date, with the previous row closed the day
    before: history is kept, and a past computation can always be replayed with the values of
    its date. Values are text so that a mode ("ROUND_HALF_UP") fits beside amounts and rates.
    """

    key = models.CharField(_("clé"), max_length=80, db_index=True)
    value = models.CharField(_("valeur"), max_length=80)
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(
        _("en vigueur jusqu'au (exclu)"),
        null=True,
        blank=True,
        help_text=_("Premier jour où la valeur ne s'applique plus ; vide si toujours en vigueur."),
    )
    source = models.CharField(_("source"), max_length=400)
    note = models.TextField(_("remarque"), blank=True)
    history = HistoricalRecords()

    objects = RuleParameterQuerySet.as_manager()

    class Meta:
        verbose_name = _("paramètre de règle")
        verbose_name_plural = _("paramètres de règles")
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "valid_from"], name="rule_parameter_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="rule_parameter_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.valid_from:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        others = RuleParameter.objects.filter(key=self.key).exclude(pk=self.pk)
        values = [ParameterValue(*row) for row in others.values_list(*PARAMETER_FIELDS)]
        mine = ParameterValue(*(getattr(self, field) for field in PARAMETER_FIELDS))
        if self.valid_from and any(mine in pair for pair in overlapping([*values, mine])):
            raise ValidationError(
                _("Cette période chevauche une autre valeur de %(key)s : fermez d'abord celle-ci.")
                % {"key": self.key}
            )


PARAMETER_FIELDS = ("key", "value", "valid_from", "valid_until", "source", "note")


def load_parameter_rows(model, values) -> int:
    """Insert shipped parameter rows that are not there yet (used by data migrations).

    `model` is the historical model a migration gets from `apps`; rows already present (same key
    and start) are left as staff may have corrected them.
    """
    existing = set(model.objects.values_list("key", "valid_from"))
    new = [
        model(**{field: getattr(value, field) for field in PARAMETER_FIELDS})
        for value in values
        if (value.key, value.valid_from) not in existing
    ]
    model.objects.bulk_create(new)
    return len(new)
