import time

import pytest
from django.urls import reverse

from cpam_portal.middleware import SESSION_STARTED_KEY

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_script_of_a_page_carries_the_nonce(client):
    response = client.get(reverse("home"))
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count("<script") == html.count(f'nonce="{nonce}"') > 0
    assert 'style="' not in html


def test_pages_of_a_logged_in_person_are_not_cached(client, django_user_model):
    user = django_user_model.objects.create_user("camille@example.fr", "un-long-mot-de-passe")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "no-store" in response.headers["Cache-Control"]


def test_a_session_ends_after_the_absolute_timeout_however_active(
    client, settings, django_user_model
):
    user = django_user_model.objects.create_user("camille@example.fr", "un-long-mot-de-passe")
    client.force_login(user)
    assert client.get(reverse("home")).wsgi_request.user.is_authenticated
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_sessions_cache_and_rate_limits_do_not_depend_on_redis(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert len(settings.CACHES) == 1
