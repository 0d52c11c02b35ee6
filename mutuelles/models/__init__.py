from mutuelles.models.clients import ClientAccessLog, MutuelleClient
from mutuelles.models.idempotency import IdempotencyRecord
from mutuelles.models.webhooks import (
    DeliveryAttempt,
    WebhookEndpoint,
    WebhookMessage,
    WebhookMessageItem,
)

__all__ = [
    "ClientAccessLog",
    "DeliveryAttempt",
    "IdempotencyRecord",
    "MutuelleClient",
    "WebhookEndpoint",
    "WebhookMessage",
    "WebhookMessageItem",
]
