from mutuelles.models.clients import ClientAccessLog, MutuelleClient
from mutuelles.models.contracts import Mutuelle, MutuelleContract
from mutuelles.models.idempotency import IdempotencyRecord
from mutuelles.models.transmissions import Transmission
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
    "Mutuelle",
    "MutuelleClient",
    "MutuelleContract",
    "Transmission",
    "WebhookEndpoint",
    "WebhookMessage",
    "WebhookMessageItem",
]
