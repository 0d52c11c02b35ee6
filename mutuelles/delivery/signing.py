"""Standard Webhooks 1.0 signing: the three headers of one attempt.

`webhook-id` is the message's id (the same on every retry: the receiver's dedupe key),
`webhook-timestamp` is the time of this attempt (a receiver refuses one more than five minutes
old, so each retry is signed afresh), `webhook-signature` is "v1," + base64 HMAC-SHA256 of
"id.timestamp.body" under the endpoint's secret.
"""

from datetime import UTC, datetime
from math import floor

from standardwebhooks import Webhook


def signed_headers(secret: str, webhook_id: str, body: str, *, at: datetime | None = None) -> dict:
    at = (at or datetime.now(UTC)).astimezone(UTC)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
        "Content-Type": "application/json",
    }
