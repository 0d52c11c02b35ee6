"""What the counter staff group ("Agents d'accueil") may do in reimbursements.

Migration 0003_staff_permissions grants a literal copy of this list to the counter staff and
reimbursement staff groups (migrations do not import app code); tests check that the copy
agrees and that each codename exists. Counter staff read sheets, statements, payments and the
caps ledger, key a sheet from a scan (add), and work the review queue (review: release or
reject). Nothing is changed or deleted by hand: the pipeline writes the money.
"""

COUNTER_STAFF_PERMISSIONS = (
    "view_caresheet",
    "add_caresheet",
    "review_caresheet",
    "view_caresheetline",
    "view_statement",
    "view_statementline",
    "view_payment",
    "view_withholdingyear",
)
