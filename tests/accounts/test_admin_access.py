"""The back office: reached through allauth's login, with a second factor, by staff only."""

from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.groups import STAFF_GROUPS
from tests.accounts.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_allauth_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    final_url, _status = response.redirect_chain[-1]
    assert urlsplit(final_url).path == reverse("account_login")
    assert "next=" in final_url
    assert response.status_code == 200
    assert "account/login.html" in [t.name for t in response.templates]


def test_the_admin_login_page_redirects_to_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_a_second_factor_reach_the_back_office(client):
    staff = StaffFactory()
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_people_who_are_not_staff_are_refused(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_the_staff_groups_exist_after_migrations():
    assert set(Group.objects.filter(name__in=STAFF_GROUPS).values_list("name", flat=True)) == {
        "Agents d'accueil",
        "Agents remboursements",
        "Agents indemnités journalières",
        "Éditeurs de l'annuaire",
    }
