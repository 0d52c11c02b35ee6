"""A mutuelle's answer to a statement of its feed: acknowledged (booked) or rejected (and why).

The answer is final: acknowledging twice, or rejecting twice for the same reason, changes nothing
and answers the same (a client that lost our answer retries); the other answer after one is
refused (409), because the insured person was already told and the mutuelle may have paid.
Any released transmission of the mutuelle can be answered, whether it came by webhook or was
read from the feed (still pending, sent, or dead after failed pushes). The row is locked while
it changes, so a delivery worker marking it sent meanwhile waits for us, and we for it.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mutuelles.models import Mutuelle, Transmission
from mutuelles.services.feed import as_public_id, released_to

Status = Transmission.Status

# The reasons a mutuelle gives when it rejects a statement (documented in the API).
UNKNOWN_MEMBER = "unknown_member"
CONTRACT_ENDED = "contract_ended"
NOT_COVERED = "not_covered"
DUPLICATE = "duplicate"
INVALID_AMOUNTS = "invalid_amounts"
OTHER = "other"
REJECTION_REASONS = {
    UNKNOWN_MEMBER: _("Bénéficiaire inconnu de la mutuelle"),
    CONTRACT_ENDED: _("Contrat terminé à la date des soins"),
    NOT_COVERED: _("Soins non couverts par le contrat"),
    DUPLICATE: _("Décompte déjà reçu"),
    INVALID_AMOUNTS: _("Montants incohérents"),
    OTHER: _("Autre motif (précision obligatoire)"),
}
REASONS_NEEDING_DETAIL = frozenset({OTHER})
MAX_DETAIL_LENGTH = 200  # Transmission.rejection_detail


class AnswerConflict(Exception):
    """The transmission already has the other answer (or another rejection reason)."""

    def __init__(self, transmission: Transmission):
        super().__init__(transmission.status)
        self.transmission = transmission


def _locked(mutuelle: Mutuelle, public_id: str) -> Transmission | None:
    """The released transmission, locked; None when unknown to `mutuelle` or not a UUID."""
    public_uuid = as_public_id(public_id)
    if public_uuid is None:
        return None
    return released_to(mutuelle).select_for_update().filter(public_id=public_uuid).first()


def acknowledge(
    mutuelle: Mutuelle, public_id: str, *, now: datetime.datetime
) -> Transmission | None:
    """Mark the statement acknowledged (None: not in `mutuelle`'s feed)."""
    with transaction.atomic():
        row = _locked(mutuelle, public_id)
        if row is None:
            return None
        if row.status == Status.ACKNOWLEDGED:
            return row
        if row.status == Status.REJECTED:
            raise AnswerConflict(row)
        row.status = Status.ACKNOWLEDGED
        row.acknowledged_at = now
        row.save(update_fields=["status", "acknowledged_at"])
        return row


def reject(
    mutuelle: Mutuelle, public_id: str, *, code: str, detail: str, now: datetime.datetime
) -> Transmission | None:
    """Mark the statement rejected with `code` (None: not in `mutuelle`'s feed)."""
    with transaction.atomic():
        row = _locked(mutuelle, public_id)
        if row is None:
            return None
        if row.status == Status.REJECTED:
            if (row.rejection_code, row.rejection_detail) == (code, detail):
                return row
            raise AnswerConflict(row)
        if row.status == Status.ACKNOWLEDGED:
            raise AnswerConflict(row)
        row.status = Status.REJECTED
        row.rejected_at = now
        row.rejection_code = code
        row.rejection_detail = detail
        row.save(update_fields=["status", "rejected_at", "rejection_code", "rejection_detail"])
        return row


def answer_of(row: Transmission) -> dict:
    """What the acknowledge and reject endpoints answer: where the statement stands."""
    rejection = None
    if row.status == Status.REJECTED:
        rejection = {"code": row.rejection_code, "detail": row.rejection_detail}
    return {
        "id": str(row.public_id),
        "status": row.status,
        "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None,
        "rejected_at": row.rejected_at.isoformat() if row.rejected_at else None,
        "rejection": rejection,
    }
