"""The statements issued and not yet taken by the apps that follow them (an outbox).

The pipeline writes one row per statement in the batch's own transaction, so a statement and
its row exist together or not at all. A reader (the routing of statements to complementary
insurers, in `mutuelles`) takes rows in its own transaction and deletes them as it goes: a
reader that crashes gives them back by rolling back, and rows committed out of id order by
concurrent batches are never skipped, as a "last id seen" watermark would skip them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementOutbox(models.Model):
    statement = models.OneToOneField(
        "reimbursements.Statement",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("décompte"),
    )

    class Meta:
        verbose_name = _("décompte à transmettre")
        verbose_name_plural = _("décomptes à transmettre")

    def __str__(self) -> str:
        return str(self.statement_id)
