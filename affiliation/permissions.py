"""What the counter staff group ("Agents d'accueil") may do in affiliation, area by area.

Migration 0002 grants a literal copy of this list (migrations do not import app code); a test
checks that the group holds exactly these permissions.
"""

from affiliation.admin.css import CSS_COUNTER_STAFF_PERMISSIONS
from affiliation.admin.insured import COUNTER_STAFF_PERMISSIONS as FILE_PERMISSIONS
from affiliation.models.account import COUNTER_STAFF_PERMISSIONS as ACCOUNT_PERMISSIONS
from affiliation.models.documents import COUNTER_STAFF_PERMISSIONS as DOCUMENT_PERMISSIONS
from affiliation.models.requests import COUNTER_STAFF_PERMISSIONS as REQUEST_PERMISSIONS

COUNTER_STAFF_PERMISSIONS = (
    FILE_PERMISSIONS
    + CSS_COUNTER_STAFF_PERMISSIONS
    + REQUEST_PERMISSIONS
    + ACCOUNT_PERMISSIONS
    + DOCUMENT_PERMISSIONS
)
