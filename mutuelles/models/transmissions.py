"""The statements routed to a mutuelle: one row per statement and mutuelle (the outbox of
the mutuelle API's feed and of its push delivery)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Transmission(models.Model):
    """A statement for the beneficiary's mutuelle: what the mutuelle API reads and pushes.

    Written by the routing step (`mutuelles.services.release`) when it takes the statement
    from the pipeline's outbox and a contract covered the date of care; `public_id` is the id
    the mutuelle acknowledges and deduplicates on. It is *released* (given a `feed_position`)
    once the contract is confirmed by both the insured person and the mutuelle: only released
    transmissions are in the feed or pushed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à transmettre")
        SENT = "sent", _("transmis")
        ACKNOWLEDGED = "acknowledged", _("reçu par la mutuelle")
        REJECTED = "rejected", _("rejeté par la mutuelle")
        DEAD = "dead", _("en échec, à reprendre par un agent")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    statement = models.ForeignKey(
        "reimbursements.Statement",
        on_delete=models.PROTECT,
        related_name="transmissions",
        verbose_name=_("décompte"),
    )
    mutuelle = models.ForeignKey(
        "mutuelles.Mutuelle",
        on_delete=models.PROTECT,
        related_name="transmissions",
        verbose_name=_("mutuelle"),
    )
    contract = models.ForeignKey(
        "mutuelles.MutuelleContract",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contrat"),
    )
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    sent_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("accusé de réception le"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    # The feed's order: given under a lock, in commit order, when the transmission is released
    # (a reader that has seen position N never later finds a new row below N).
    # 1, 2, 3… in each mutuelle's feed: no gaps (a gap tells the mutuelle a statement is
    # missing) and nothing about the volume sent to other mutuelles.
    feed_position = models.BigIntegerField(_("position dans le flux"), null=True)
    released_at = models.DateTimeField(_("mis à disposition le"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejeté le"), null=True, blank=True)
    rejection_code = models.CharField(_("motif de rejet"), max_length=40, blank=True)
    rejection_detail = models.CharField(_("précision du rejet"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("transmission à la mutuelle")
        verbose_name_plural = _("transmissions aux mutuelles")
        ordering = ["-created_at", "-pk"]
        # Index and constraint names were given when the table belonged to `reimbursements`;
        # they are only identifiers, and renaming a constraint would rebuild its index.
        indexes = [
            models.Index(
                fields=["id"], condition=Q(status="pending"), name="reimb_transmission_pending"
            ),
            # What the release step walks (mutuelles/services/release.py), oldest first.
            models.Index(
                fields=["id"],
                condition=Q(status="pending", feed_position__isnull=True),
                name="reimb_transmission_unreleased",
            ),
            # The mutuelle API's daily totals (release day).
            models.Index(fields=["mutuelle", "released_at"], name="reimb_transmission_released"),
        ]
        constraints = [
            # Also the index of the feed (position order, per mutuelle).
            models.UniqueConstraint(
                fields=["mutuelle", "feed_position"],
                condition=Q(feed_position__isnull=False),
                name="reimb_transmission_feed_position",
            ),
            models.UniqueConstraint(
                fields=["statement", "mutuelle"], name="reimb_transmission_once_per_mutuelle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mutuelle} — {self.statement_id}"
