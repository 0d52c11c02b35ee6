"""Back office of the API clients: created and rotated with the secret shown once, deactivated;
the access log read-only for everyone; the OAuth internals out of reach."""

import base64

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.urls import reverse
from oauth2_provider.models import AccessToken, Application

from mutuelles.admin.clients import CLIENT_MANAGER_PERMISSIONS
from mutuelles.audit import log_client_read
from mutuelles.models import ClientAccessLog, MutuelleClient
from mutuelles.scopes import ELIGIBILITY_READ, MEMBERS_WRITE
from tests.accounts.factories import StaffFactory
from tests.mutuelles.factories import bearer_token, mutuelle_client
from tests.mutuelles.factories_contracts import MutuelleFactory

pytestmark = pytest.mark.django_db

CLIENTS = reverse("admin:mutuelles_mutuelleclient_changelist")
ADD = reverse("admin:mutuelles_mutuelleclient_add")
LOGS = reverse("admin:mutuelles_clientaccesslog_changelist")


@pytest.fixture
def manager(client):
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    for dotted in CLIENT_MANAGER_PERMISSIONS:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    return client


@pytest.fixture
def superuser(client):
    user = StaffFactory(is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def token_for(client, client_id, secret):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        reverse("api-v1:oauth-token"),
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def test_staff_create_a_client_and_see_its_secret_once(manager, client):
    mutuelle = MutuelleFactory()
    response = manager.post(
        ADD,
        {
            "mutuelle": mutuelle.pk,
            "name": "Tiers payant",
            "scopes": [MEMBERS_WRITE, ELIGIBILITY_READ],
        },
    )
    assert response.status_code == 200
    api_client = MutuelleClient.objects.get()
    assert (api_client.mutuelle, api_client.name) == (mutuelle, "Tiers payant")
    assert api_client.scope_list == [MEMBERS_WRITE, ELIGIBILITY_READ]
    secret = response.context["secret"]
    assert response.context["client_id"] == api_client.application.client_id
    assert secret in response.content.decode()
    # The secret works, and it is nowhere to be seen again.
    assert token_for(client, api_client.application.client_id, secret).status_code == 200
    page = manager.get(reverse("admin:mutuelles_mutuelleclient_change", args=[api_client.pk]))
    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert api_client.application.client_id in page.content.decode()
    assert secret not in manager.get(CLIENTS).content.decode()
    assert api_client.history.count() == 1


def test_no_scope_is_refused(manager):
    response = manager.post(ADD, {"mutuelle": MutuelleFactory().pk, "name": "X", "scopes": []})
    assert response.status_code == 200
    assert "scopes" in response.context["adminform"].form.errors
    assert not MutuelleClient.objects.exists()


def test_staff_change_the_scopes_with_checkboxes(manager):
    api_client, _secret = mutuelle_client(scopes=[MEMBERS_WRITE])
    url = reverse("admin:mutuelles_mutuelleclient_change", args=[api_client.pk])
    form = manager.get(url).context["adminform"].form
    assert form.initial["scopes"] == [MEMBERS_WRITE]
    manager.post(url, {"name": "Renommé", "scopes": [ELIGIBILITY_READ], "is_active": "on"})
    api_client.refresh_from_db()
    assert (api_client.name, api_client.scopes) == ("Renommé", ELIGIBILITY_READ)


def test_rotating_the_secret_shows_the_new_one_once_and_kills_the_old(manager, client):
    api_client, old_secret = mutuelle_client()
    bearer_token(api_client)
    response = manager.post(
        CLIENTS, {"action": "rotate_secret", "_selected_action": [api_client.pk]}
    )
    assert response.status_code == 200
    new_secret = response.context["secret"]
    assert new_secret != old_secret and new_secret in response.content.decode()
    client_id = api_client.application.client_id
    assert token_for(client, client_id, old_secret).status_code == 401
    assert token_for(client, client_id, new_secret).status_code == 200
    assert AccessToken.objects.count() == 1  # the old token is gone, the new one is there
    api_client.refresh_from_db()
    assert api_client.secret_rotated_at is not None


def test_rotating_two_clients_at_once_is_refused(manager):
    first, _ = mutuelle_client()
    second, _ = mutuelle_client()
    response = manager.post(
        CLIENTS,
        {"action": "rotate_secret", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "un seul client" in response.content.decode()
    first.refresh_from_db()
    assert first.secret_rotated_at is None


def test_deactivating_a_client_refuses_its_tokens(manager, client):
    api_client, secret = mutuelle_client()
    other, _ = mutuelle_client()
    token = bearer_token(api_client)
    manager.post(CLIENTS, {"action": "deactivate", "_selected_action": [api_client.pk]})
    api_client.refresh_from_db()
    other.refresh_from_db()
    assert api_client.is_active is False and other.is_active is True
    assert api_client.history.count() == 2
    response = client.get(reverse("api-v1:mutuelle-members"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    # A token asked now gets no scope at all.
    answer = token_for(client, api_client.application.client_id, secret)
    assert answer.status_code != 200 or answer.json()["scope"] == ""


def test_the_access_log_is_read_only_even_for_a_superuser(superuser):
    admin_client = superuser
    api_client, _ = mutuelle_client()
    entry = log_client_read(api_client, "eligibility", records=1, insured_person_id=7)
    assert admin_client.get(LOGS).status_code == 200
    change = reverse("admin:mutuelles_clientaccesslog_change", args=[entry.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"action": "x"}).status_code == 403
    assert admin_client.get(reverse("admin:mutuelles_clientaccesslog_add")).status_code == 403
    delete = reverse("admin:mutuelles_clientaccesslog_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ClientAccessLog.objects.get() == entry


def test_clients_are_never_deleted_and_oauth_internals_are_unregistered(superuser):
    admin_client = superuser
    api_client, _ = mutuelle_client()
    delete = reverse("admin:mutuelles_mutuelleclient_delete", args=[api_client.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert MutuelleClient.objects.exists()
    index = admin_client.get(reverse("admin:index")).content.decode()
    for name in ("application", "grant", "idtoken", "refreshtoken"):
        assert f"/oauth2_provider/{name}/" not in index
    bearer_token(api_client)
    tokens = reverse("admin:oauth2_provider_accesstoken_changelist")
    assert admin_client.get(tokens).status_code == 200
    token = AccessToken.objects.get()
    change = reverse("admin:oauth2_provider_accesstoken_change", args=[token.pk])
    assert admin_client.post(change, {"scope": "x"}).status_code == 403
    assert Application.objects.count() == 1


def test_staff_without_the_permissions_see_nothing(client):
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get(CLIENTS).status_code == 403
    assert client.get(LOGS).status_code == 403
