"""What the reimbursement staff group ("Agents remboursements") may do with the mutuelles.

Teletransmission is part of their work. The data migration 0002 grants a literal copy of
`REIMBURSEMENT_STAFF_PERMISSIONS` (migrations do not import app code); a test checks they agree.
Nothing here is deleted by hand.
"""

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
REIMBURSEMENT_STAFF_PERMISSIONS = CLIENT_MANAGER_PERMISSIONS + tuple(
    f"mutuelles.{codename}" for codename in WEBHOOK_STAFF_PERMISSIONS
)
