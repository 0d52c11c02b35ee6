"""Demo people of `make run`: an insured person, a counter agent and an administrator.

Development only: the passwords are printed on the console and in the README, so this module
refuses to run under production settings.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.groups import ALLOWANCES_STAFF, COUNTER_STAFF, DIRECTORY_EDITORS, REIMBURSEMENT_STAFF
from accounts.models import User


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    totp_secret: str | None
    recovery_codes: tuple[str, ...]


DEMO_PEOPLE = (
    # role, e-mail, password, first name, last name, is_staff, is_superuser, groups
    ("assuré", "assure@demo.cpam.local", "Demo-assure-2026", "Camille", "Martin", False, False, ()),
    (
        "agent",
        "agent@demo.cpam.local",
        "Demo-agent-2026",
        "Sacha",
        "Durand",
        True,
        False,
        (COUNTER_STAFF, REIMBURSEMENT_STAFF, ALLOWANCES_STAFF, DIRECTORY_EDITORS),
    ),
    ("administrateur", "admin@demo.cpam.local", "Demo-admin-2026", "Alex", "Petit", True, True, ()),
)


def _ensure_second_factor(user: User) -> tuple[str, tuple[str, ...]]:
    """Staff need a second factor for the back office: demo staff get TOTP and recovery codes."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, generate_totp_secret()).instance
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return decrypt(totp.data["secret"]), tuple(codes[:3])


@transaction.atomic
def load_demo_people() -> list[DemoLogin]:
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo people are never created under production settings.")
    logins = []
    for role, email, password, first, last, is_staff, is_superuser, groups in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
        secret, codes = _ensure_second_factor(user) if is_staff else (None, ())
        logins.append(DemoLogin(role, email, password, secret, codes))
    return logins
