import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from accounts.models import User

PASSWORD = "Trois-chats-gris-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can log in: password PASSWORD, e-mail already verified unless told otherwise."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            verified = True if extracted is None else extracted
            EmailAddress.objects.create(
                user=user, email=user.email, primary=True, verified=verified
            )


class StaffFactory(UserFactory):
    is_staff = True


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret. Near the end of a period the
    code would change before the request checks it (a flaky failure): wait for the next one."""
    remaining = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if remaining < 2:
        time.sleep(remaining + 0.05)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def another_code(code: str) -> str:
    """A well-formed code that is certainly not `code`."""
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}}"
