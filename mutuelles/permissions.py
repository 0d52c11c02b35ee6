"""What the staff groups may do with the mutuelles.

Counter staff ("Agents d'accueil") maintain the mutuelles, correct the contracts of a file and
read what was routed to each mutuelle: those permissions came with the models when they moved
here from `affiliation` and `reimbursements` (migration 0003 moved their content types, so the
grants made by those apps' data migrations still hold). Teletransmission is the reimbursement
staff's work ("Agents remboursements"): the data migration 0002 grants a literal copy of
`REIMBURSEMENT_STAFF_PERMISSIONS` (migrations do not import app code); tests check both lists
against the groups. Nothing here is deleted by hand: a mutuelle that stops is made inactive.
"""

COUNTER_STAFF_PERMISSIONS = (
    "mutuelles.view_mutuelle",
    "mutuelles.add_mutuelle",
    "mutuelles.change_mutuelle",
    "mutuelles.view_mutuellecontract",
    "mutuelles.change_mutuellecontract",
    "mutuelles.view_transmission",
)

# Manage the mutuelles' API access: create clients (the secret shown once), rotate secrets,
# deactivate; read what each client read and the tokens issued (not their values: checksums).
CLIENT_MANAGER_PERMISSIONS = (
    "mutuelles.view_mutuelleclient",
    "mutuelles.add_mutuelleclient",
    "mutuelles.change_mutuelleclient",
    "mutuelles.view_clientaccesslog",
    "oauth2_provider.view_accesstoken",
)
# Follow the deliveries: register a webhook and rotate its secret, read the delivery log,
# resend a dead message (change_webhookmessage: the only change there is the resend).
WEBHOOK_STAFF_PERMISSIONS = (
    "view_webhookendpoint",
    "add_webhookendpoint",
    "change_webhookendpoint",
    "view_webhookmessage",
    "change_webhookmessage",
    "view_deliveryattempt",
)
# Reading what was routed to each mutuelle came from reimbursements' grants (its migration
# 0003 gave `view_transmission` to both groups).
REIMBURSEMENT_STAFF_PERMISSIONS = (
    CLIENT_MANAGER_PERMISSIONS
    + tuple(f"mutuelles.{codename}" for codename in WEBHOOK_STAFF_PERMISSIONS)
    + ("mutuelles.view_transmission",)
)
