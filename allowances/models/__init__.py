"""Models of the app, one module per area (imported here so Django finds them)."""

from allowances.models.payments import AllowancePayment
from allowances.models.salaries import SalaryAttestation, SalaryMonth
from allowances.models.stoppages import StoppageKind, StoppageNotice, WorkStoppage

__all__ = [
    "AllowancePayment",
    "SalaryAttestation",
    "SalaryMonth",
    "StoppageKind",
    "StoppageNotice",
    "WorkStoppage",
]
