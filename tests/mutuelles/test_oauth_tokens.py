"""The token endpoint: client credentials, the client's own scopes, a secret that rotates."""

import base64

import pytest
from django.urls import reverse

from mutuelles.scopes import ELIGIBILITY_READ, STATEMENTS_ACK, STATEMENTS_READ
from mutuelles.services.clients import rotate_client_secret
from tests.mutuelles.factories import mutuelle_client

pytestmark = pytest.mark.django_db


def ask_token(client, application, secret, **extra):
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    return client.post(
        reverse("api-v1:oauth-token"),
        {"grant_type": "client_credentials", **extra},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def test_a_client_gets_a_short_lived_token_with_the_scopes_staff_granted(client):
    api_client, secret = mutuelle_client(scopes=[STATEMENTS_READ, STATEMENTS_ACK])
    response = ask_token(client, api_client.application, secret)
    assert response.status_code == 200
    body = response.json()
    assert set(body["scope"].split()) == {STATEMENTS_READ, STATEMENTS_ACK}
    assert body["expires_in"] == 600
    assert "refresh_token" not in body


def test_a_scope_the_client_was_not_granted_is_refused(client):
    api_client, secret = mutuelle_client(scopes=[STATEMENTS_READ])
    response = ask_token(client, api_client.application, secret, scope=ELIGIBILITY_READ)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_the_plain_secret_is_not_stored_and_a_rotated_one_replaces_it(client):
    api_client, secret = mutuelle_client()
    api_client.application.refresh_from_db()
    assert secret not in api_client.application.client_secret
    new_secret = rotate_client_secret(api_client)
    assert ask_token(client, api_client.application, secret).status_code == 401
    assert ask_token(client, api_client.application, new_secret).status_code == 200


def test_a_disabled_client_gets_no_scope(client):
    api_client, secret = mutuelle_client(scopes=[STATEMENTS_READ])
    api_client.is_active = False
    api_client.save()
    response = ask_token(client, api_client.application, secret, scope=STATEMENTS_READ)
    assert response.status_code == 400


def test_tokens_are_stored_as_checksums_only(client):
    from oauth2_provider.models import AccessToken

    api_client, secret = mutuelle_client()
    access_token = ask_token(client, api_client.application, secret).json()["access_token"]
    stored = AccessToken.objects.get(application=api_client.application)
    assert stored.token == "" and access_token not in stored.token_checksum
