"""What the page tests share: a fixed "now", a linked person, an open office, a logged-in staff."""

from datetime import time

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from accounts.groups import COUNTER_STAFF
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.appointments.factories import open_service, utc

# Monday 23 November 2026, 10:00 in Paris. With 24 h notice the first slot is Tuesday 10:00
# (09:00 UTC); Friday 25 December 2026 is a public holiday.
NOW = utc(2026, 11, 23, 9, 0)
TUESDAY_10H = utc(2026, 11, 24, 9, 0)
TUESDAY_10H30 = utc(2026, 11, 24, 9, 30)
WEDNESDAY_10H = utc(2026, 11, 25, 9, 0)
THURSDAY_10H = utc(2026, 11, 26, 9, 0)
SATURDAY_10H = utc(2026, 11, 28, 9, 0)
CHRISTMAS_10H = utc(2026, 12, 25, 9, 0)
MORNING = ((time(9), time(12)),)


def linked_person(**fields):
    """An insured person whose account is linked to the file, with a mobile number on file."""
    fields.setdefault("phone", "06 12 34 56 78")
    return InsuredPersonFactory(user=UserFactory(), **fields)


def morning_service(department_code: str = "75", **fields):
    """Open Monday to Friday 09:00-12:00, 30-minute slots, one counsellor."""
    return open_service(department_code, ranges=MORNING, **fields)


def agenda_staff(**kwargs):
    """A member of "Agents d'accueil" (who hold manage_agenda) with a second factor."""
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=COUNTER_STAFF))
    TOTP.activate(user, generate_totp_secret())
    return user


def staff_without_agenda(**kwargs):
    user = StaffFactory(**kwargs)
    TOTP.activate(user, generate_totp_secret())
    return user


def queries_of(client, url: str, params: dict | None = None) -> int:
    """Queries of a GET after a first one (the first visit writes the session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url, params or {}).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)
