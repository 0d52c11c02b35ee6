"""Models of the app, one module per area (imported here so Django finds them)."""

from reimbursements.models.care_sheets import (
    CareSheet,
    CareSheetLine,
    Pathway,
    Profession,
    Sector,
)
from reimbursements.models.ledger import WithholdingDay, WithholdingYear
from reimbursements.models.nomenclature import ActCode, ActTariff
from reimbursements.models.outbox import StatementOutbox
from reimbursements.models.statements import (
    Payment,
    Statement,
    StatementLine,
    payment_reference,
)

__all__ = [
    "ActCode",
    "ActTariff",
    "CareSheet",
    "CareSheetLine",
    "Pathway",
    "Payment",
    "Profession",
    "Sector",
    "Statement",
    "StatementLine",
    "StatementOutbox",
    "WithholdingDay",
    "WithholdingYear",
    "payment_reference",
]
