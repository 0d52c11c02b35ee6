"""Receivers of other apps' signals (connected in MutuellesConfig.ready)."""

from typing import Any

from cpam_portal.background import enqueue
from mutuelles.tasks import transmit_statements


def route_issued_statements(sender: type, count: int, **kwargs: Any) -> None:
    """A batch committed new statements: route and push them now rather than at the next
    sweep (reimbursements.signals.statements_issued; a lost wake-up only delays them)."""
    enqueue(transmit_statements)
