"""Webhooks in the back office: endpoint and secret shown once, the delivery log, resend."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from mutuelles.admin.webhooks import WEBHOOK_STAFF_PERMISSIONS
from mutuelles.delivery import backoff, batching, sending
from mutuelles.models import Transmission, WebhookEndpoint, WebhookMessage
from tests.accounts.factories import StaffFactory
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_delivery import (
    mutuelle_with_webhook,
    public_ids,
    released_transmissions,
    simulator_for,
)
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

ENDPOINTS_URL = reverse("admin:mutuelles_webhookendpoint_changelist")
ADD_ENDPOINT_URL = reverse("admin:mutuelles_webhookendpoint_add")
MESSAGES_URL = reverse("admin:mutuelles_webhookmessage_changelist")


@pytest.fixture
def staff(client):
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="mutuelles", codename__in=WEBHOOK_STAFF_PERMISSIONS
        )
    )
    client.force_login(user)
    return user


def dead_message(mutuelle, endpoint, count=2, monkeypatch=None):
    """A message that failed its last attempt (one attempt allowed)."""
    released_transmissions(mutuelle, count)
    [message_id] = batching.build_messages()
    monkeypatch.setattr(backoff, "MAX_ATTEMPTS", 1)
    with simulator_for(endpoint, mode="fail"):
        assert sending.deliver(message_id) == WebhookMessage.Status.DEAD
    monkeypatch.setattr(backoff, "MAX_ATTEMPTS", 10)
    return WebhookMessage.objects.get(pk=message_id)


def test_every_webhook_staff_codename_exists():
    found = set(
        Permission.objects.filter(
            content_type__app_label="mutuelles", codename__in=WEBHOOK_STAFF_PERMISSIONS
        ).values_list("codename", flat=True)
    )
    assert found == set(WEBHOOK_STAFF_PERMISSIONS)


def test_adding_an_endpoint_shows_its_secret_once_and_never_again(staff, client):
    mutuelle = MutuelleFactory()
    response = client.post(
        ADD_ENDPOINT_URL, {"mutuelle": mutuelle.pk, "url": "https://amc.example/hooks"}
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(mutuelle=mutuelle)
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()

    change = client.get(reverse("admin:mutuelles_webhookendpoint_change", args=[endpoint.pk]))
    assert change.status_code == 200
    assert endpoint.secret not in change.content.decode()
    assert endpoint.secret not in client.get(ENDPOINTS_URL).content.decode()
    assert LogEntry.objects.filter(object_id=str(endpoint.pk)).exists()


def test_rotating_the_secret_shows_the_new_one_once(staff, client):
    _mutuelle, endpoint = mutuelle_with_webhook()
    old = endpoint.secret
    response = client.post(
        ENDPOINTS_URL, {"action": "rotate_secret", "_selected_action": [endpoint.pk]}
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret_rotated_at is not None
    assert endpoint.secret in response.content.decode()
    assert LogEntry.objects.filter(object_id=str(endpoint.pk)).exists()


def test_the_delivery_log_lists_messages_with_their_attempts(
    staff, client, monkeypatch, django_assert_num_queries
):
    mutuelle, endpoint = mutuelle_with_webhook()
    message = dead_message(mutuelle, endpoint, monkeypatch=monkeypatch)
    other, other_endpoint = mutuelle_with_webhook()
    dead_message(other, other_endpoint, count=1, monkeypatch=monkeypatch)

    # Flat in the number of messages: session and second factor (9), mutuelle filter, two
    # counts, the page with its statement counts, the date hierarchy (2), session save (3).
    with django_assert_num_queries(20):
        listing = client.get(MESSAGES_URL, {"status": "dead"})
    assert listing.status_code == 200
    assert message.webhook_id in listing.content.decode()

    page = client.get(reverse("admin:mutuelles_webhookmessage_change", args=[message.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "HTTP 500" in content
    assert message.body not in content  # the statements are not shown, nor editable
    assert 'name="_save"' not in content


def test_staff_resend_a_dead_message_and_it_is_delivered_under_the_same_id(
    staff, client, monkeypatch, django_capture_on_commit_callbacks
):
    mutuelle, endpoint = mutuelle_with_webhook()
    message = dead_message(mutuelle, endpoint, monkeypatch=monkeypatch)
    transmissions = Transmission.objects.filter(mutuelle=mutuelle)
    assert set(transmissions.values_list("status", flat=True)) == {"dead"}
    with simulator_for(endpoint) as receiver:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                MESSAGES_URL,
                {"action": "resend", "_selected_action": [message.pk]},
                follow=True,
            )
        assert response.status_code == 200
        assert set(receiver.received()["statements"]) == public_ids(transmissions)
    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.DELIVERED
    assert message.attempts == 1  # reset by the resend
    assert [a.succeeded for a in message.deliveries.all()] == [False, True]
    assert set(transmissions.values_list("status", flat=True)) == {"sent"}
    assert LogEntry.objects.filter(object_id=str(message.pk), user=staff).exists()


def test_a_message_that_is_not_dead_is_not_resent(staff, client):
    mutuelle, endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 1)
    [message_id] = batching.build_messages()
    response = client.post(
        MESSAGES_URL, {"action": "resend", "_selected_action": [message_id]}, follow=True
    )
    assert "laissé tel quel" in response.content.decode()
    message = WebhookMessage.objects.get(pk=message_id)
    assert message.status == WebhookMessage.Status.PENDING
    assert not LogEntry.objects.filter(object_id=str(message_id)).exists()


def test_staff_without_the_permission_cannot_resend(client, monkeypatch):
    mutuelle, endpoint = mutuelle_with_webhook()
    message = dead_message(mutuelle, endpoint, monkeypatch=monkeypatch)
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    user.user_permissions.add(Permission.objects.get(codename="view_webhookmessage"))
    client.force_login(user)
    client.post(MESSAGES_URL, {"action": "resend", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.DEAD
