"""allauth's rate limits are on: five failed logins lock an account for five minutes."""

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "Pas-le-bon-2026"}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code in {200, 429}
    if response.status_code == 200:
        assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_failures_on_one_account_do_not_lock_another(client):
    locked, other = UserFactory(), UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": locked.email, "password": "Pas-le-bon"})

    response = client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
