"""Receivers of other apps' signals (connected in MutuellesConfig.ready)."""

from cpam_portal.background import enqueue
from mutuelles.tasks import transmit_statements


def route_issued_statements(sender, count: int, **kwargs) -> None:
    """A batch committed new statements: route and push them now rather than at the next
    sweep (reimbursements.signals.statements_issued; a lost wake-up only delays them)."""
    enqueue(transmit_statements)
