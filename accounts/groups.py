"""The staff groups of the back office. Each app grants its own permissions to them."""

COUNTER_STAFF = "Agents d'accueil"
REIMBURSEMENT_STAFF = "Agents remboursements"
ALLOWANCES_STAFF = "Agents indemnités journalières"
DIRECTORY_EDITORS = "Éditeurs de l'annuaire"

STAFF_GROUPS = (COUNTER_STAFF, REIMBURSEMENT_STAFF, ALLOWANCES_STAFF, DIRECTORY_EDITORS)
