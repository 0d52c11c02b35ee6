"""What the counter staff group ("Agents d'accueil") may do in reimbursements.

The lead's data migration grants a literal copy of this list to accounts.groups.COUNTER_STAFF
(migrations do not import app code); a test checks that each codename exists. Counter staff
read sheets, statements, payments and the caps ledger, key a sheet from a scan
(add), and work the review queue (review: release or reject). Nothing is changed or deleted by
hand: the pipeline writes the money.
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
