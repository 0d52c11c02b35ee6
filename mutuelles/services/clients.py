"""Creating API clients and webhook endpoints, and rotating their secrets.

A client secret is shown once: django-oauth-toolkit stores only its hash, so the plain secret
exists only in the value these functions return (the admin shows it on the next page, once).
"""

import base64
import secrets
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from mutuelles.models import Mutuelle, MutuelleClient, WebhookEndpoint
from mutuelles.scopes import SCOPES


def _checked_scopes(scopes: Collection[str]) -> str:
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"unknown or no scopes: {unknown}")
    return " ".join(dict.fromkeys(scopes))


@transaction.atomic
def create_client(
    mutuelle: Mutuelle, name: str, scopes: Collection[str]
) -> tuple[MutuelleClient, str]:
    """A confidential client-credentials application for `mutuelle`; returns the plain secret."""
    application_model = get_application_model()
    secret = generate_client_secret()
    application = application_model.objects.create(
        name=f"{mutuelle.amc_number} — {name}"[:255],
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = MutuelleClient.objects.create(
        application=application, mutuelle=mutuelle, name=name, scopes=_checked_scopes(scopes)
    )
    return client, secret


@transaction.atomic
def rotate_client_secret(client: MutuelleClient) -> str:
    """A new secret; the old one stops working at once, and so do the tokens it obtained."""
    application = client.application
    secret = generate_client_secret()
    application.client_secret = secret
    application.hash_client_secret = True
    application.save(update_fields=["client_secret", "hash_client_secret", "updated"])
    application.accesstoken_set.all().delete()
    client.secret_rotated_at = timezone.now()
    client.save(update_fields=["secret_rotated_at"])
    return secret


def new_webhook_secret() -> str:
    """The Standard Webhooks secret format: "whsec_" + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def set_webhook(mutuelle: Mutuelle, url: str) -> tuple[WebhookEndpoint, str | None]:
    """Register (or move) the mutuelle's webhook; a new endpoint gets a new secret, returned."""
    endpoint = WebhookEndpoint.objects.filter(mutuelle=mutuelle).first()
    if endpoint is not None:
        endpoint.url = url
        endpoint.is_active = True
        endpoint.save(update_fields=["url", "is_active"])
        return endpoint, None
    secret = new_webhook_secret()
    endpoint = WebhookEndpoint.objects.create(mutuelle=mutuelle, url=url, secret=secret)
    return endpoint, secret


@transaction.atomic
def rotate_webhook_secret(endpoint: WebhookEndpoint) -> str:
    endpoint.secret = new_webhook_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint.secret
