"""The outbox of issued statements: written by the pipeline, taken by the apps that follow
statements (see reimbursements/models/outbox.py for why a queue of rows and not a watermark).

Taking happens inside the reader's own transaction: the rows it took are deleted when it
commits, and given back if it rolls back.
"""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from reimbursements.models import Statement, StatementOutbox


class IssuedStatement(NamedTuple):
    statement_id: int
    beneficiary_id: int
    care_date: date


def take_issued(*, limit: int) -> list[IssuedStatement]:
    """Up to `limit` issued statements, oldest first, removed from the outbox by the caller's
    transaction (to be called inside one). Rows another reader holds are skipped, not waited
    for."""
    ids = list(
        StatementOutbox.objects.order_by("statement_id")
        .select_for_update(skip_locked=True)
        .values_list("statement_id", flat=True)[:limit]
    )
    if not ids:
        return []
    issued = [
        IssuedStatement(*row)
        for row in Statement.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "beneficiary_id", "care_date")
    ]
    StatementOutbox.objects.filter(statement_id__in=ids).delete()
    return issued


def awaiting_readers(statement_ids: Iterable[int]) -> set[int]:
    """Of these statements, those still in the outbox: issued and not yet taken."""
    return set(
        StatementOutbox.objects.filter(statement_id__in=list(statement_ids)).values_list(
            "statement_id", flat=True
        )
    )
