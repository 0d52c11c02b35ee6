"""Who works daily allowances in the back office, and what each staff group may do.

Migration 0003 grants literal copies of these lists (migrations do not import app code); a test
checks that the groups hold exactly these permissions.

- ALLOWANCES_STAFF ("Agents indemnités journalières") review stoppages and salary
  attestations: accept, refuse, ask for information, correct the figures and run the engine
  again. They never add or delete a stoppage or a payment from the admin.
- COUNTER_STAFF ("Agents d'accueil") answer the insured person at the counter or on the phone:
  they read stoppages, attestations and payments (each read is traced), nothing more.
"""

from accounts.groups import ALLOWANCES_STAFF, COUNTER_STAFF

REVIEW_STOPPAGE_PERMISSION = "allowances.review_workstoppage"
REVIEW_SALARY_PERMISSION = "allowances.review_salaryattestation"

READ_PERMISSIONS = (
    "view_workstoppage",
    "view_stoppagenotice",
    "view_salaryattestation",
    "view_salarymonth",
    "view_allowancepayment",
)
ALLOWANCES_STAFF_PERMISSIONS = READ_PERMISSIONS + (
    "review_workstoppage",
    "review_salaryattestation",
    "add_salarymonth",
    "change_salarymonth",
    "delete_salarymonth",
)
COUNTER_STAFF_PERMISSIONS = READ_PERMISSIONS

GROUP_PERMISSIONS = {
    ALLOWANCES_STAFF: ALLOWANCES_STAFF_PERMISSIONS,
    COUNTER_STAFF: COUNTER_STAFF_PERMISSIONS,
}
