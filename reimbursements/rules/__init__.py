"""The reimbursement engine: pure functions of a care sheet and the rules held on its date.

Entry point: `compute_sheet(sheet, rules)`; `RuleSnapshot` holds the nomenclature and the
dated parameters (built from the database by `reimbursements.nomenclature`, or from the
shipped CSV files in tests and benchmarks).
"""

from reimbursements.rules.engine import compute_sheet
from reimbursements.rules.snapshot import RuleSnapshot

__all__ = ["RuleSnapshot", "compute_sheet"]
