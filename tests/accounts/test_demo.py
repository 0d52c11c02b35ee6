import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.core.management import call_command

from accounts.demo import load_demo_people
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_people_can_log_in_and_staff_have_a_second_factor(client):
    logins = load_demo_people()
    load_demo_people()  # idempotent
    assert User.objects.count() == 3
    for login in logins:
        user = User.objects.get(email=login.email)
        assert user.check_password(login.password)
        assert is_mfa_enabled(user) == user.is_staff
        assert bool(login.totp_secret) == user.is_staff
    agent = User.objects.get(email="agent@demo.cpam.local")
    assert set(agent.groups.values_list("name", flat=True)) == {
        "Agents d'accueil",
        "Agents remboursements",
        "Agents indemnités journalières",
        "Éditeurs de l'annuaire",
    }


def test_demo_command_prints_the_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "assure@demo.cpam.local" in out
    assert "Demo-admin-2026" in out
