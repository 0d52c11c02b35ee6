"""Linking an online account to an insured file: NIR + birth date + activation code."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.groups import COUNTER_STAFF
from affiliation.models import ActivationCode, InsuredPerson, LinkingLockout
from affiliation.services import account as services
from affiliation.views.account import LINKING_REFUSED
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory

pytestmark = pytest.mark.django_db

LINK_URL = reverse("affiliation:link_account")


def issue(person, **kwargs) -> str:
    return services.issue_activation_code(person, issued_by=None, now=timezone.now(), **kwargs)


def link_form(person, activation_code, **changes) -> dict:
    data = {
        "nir": person.nir,
        "birth_date": person.birth_date.isoformat(),
        "code": activation_code,
    }
    return {**data, **changes}


@pytest.fixture
def person():
    return InsuredPersonFactory()


@pytest.fixture
def account(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_person_links_their_account_with_nir_birth_date_and_code(client, person, account):
    code = issue(person)
    response = client.post(LINK_URL, link_form(person, code.lower().replace("-", " ")))
    assert response.status_code == 302
    assert response["Location"] == reverse("affiliation:my_space")
    person.refresh_from_db()
    assert person.user == account
    assert ActivationCode.objects.get(person=person).used_at is not None
    # The change is in the file's history, with the account that made it.
    assert person.history.latest().history_user == account


@pytest.mark.parametrize(
    "changes",
    [
        {"code": "AAAA-BBBB-CCCC"},
        {"birth_date": "1985-01-16"},
        {"nir": "WRONG"},  # replaced below by a valid NIR of nobody
    ],
    ids=["wrong code", "wrong birth date", "unknown NIR"],
)
def test_any_wrong_element_gets_the_same_message(client, person, account, changes):
    code = issue(person)
    if changes.get("nir") == "WRONG":
        changes = {"nir": InsuredPersonFactory.build().nir}
    response = client.post(LINK_URL, link_form(person, code, **changes))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(LINKING_REFUSED)]
    person.refresh_from_db()
    assert person.user is None
    assert LinkingLockout.objects.get(user=account).failures == 1


def test_a_malformed_nir_is_explained_and_not_counted(client, person, account):
    response = client.post(LINK_URL, link_form(person, issue(person), nir="123"))
    assert "15 caractères" in str(response.context["form"].errors["nir"])
    assert not LinkingLockout.objects.filter(user=account, failures__gt=0).exists()


def test_five_failures_lock_linking_for_an_hour_even_after_a_cache_flush(client, person, account):
    code = issue(person)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            client.post(LINK_URL, link_form(person, "AAAA-BBBB-CCCC"))
        fifth = client.post(LINK_URL, link_form(person, "AAAA-BBBB-CCCC"))
        assert fifth.status_code == 429
        assert "bloqué" in fifth.content.decode()
        cache.clear()
        # Locked: even the right code is refused, and the person is not linked.
        right = client.post(LINK_URL, link_form(person, code))
        assert right.status_code == 429
    person.refresh_from_db()
    assert person.user is None
    lockout = LinkingLockout.objects.get(user=account)
    assert lockout.locked_until == start + datetime.timedelta(hours=1)

    with time_machine.travel(start + datetime.timedelta(hours=1, seconds=1), tick=False):
        client.force_login(account)  # the session itself has expired meanwhile
        response = client.post(LINK_URL, link_form(person, code))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == account
    assert not LinkingLockout.objects.filter(user=account).exists()


def test_the_lockout_is_per_account(client, person, account):
    LinkingLockout.objects.create(
        user=UserFactory(), locked_until=timezone.now() + datetime.timedelta(hours=1)
    )
    response = client.post(LINK_URL, link_form(person, issue(person)))
    assert response.status_code == 302


def test_a_second_account_cannot_link_to_an_already_linked_file(client, person, account):
    code = issue(person)
    first = UserFactory()
    services.link_account(
        first, nir=person.nir, birth_date=person.birth_date, code=code, now=timezone.now()
    )
    response = client.post(LINK_URL, link_form(person, code))
    assert response.status_code == 200
    assert "déjà relié à un autre compte" in str(response.context["form"].non_field_errors())
    person.refresh_from_db()
    assert person.user == first


def test_staff_cannot_issue_a_code_for_a_linked_file(person):
    person.user = UserFactory()
    person.save()
    with pytest.raises(services.FileAlreadyLinked):
        issue(person)


def test_an_account_links_to_one_file_only(client, person, account):
    InsuredPersonFactory(user=account)
    response = client.post(LINK_URL, link_form(person, issue(person)))
    assert response["Location"] == reverse("affiliation:my_space")
    person.refresh_from_db()
    assert person.user is None


def test_the_database_refuses_one_account_on_two_files(person, account):
    from django.db import IntegrityError

    InsuredPersonFactory(user=account)
    person.user = account
    with pytest.raises(IntegrityError):
        person.save()


def test_an_expired_code_is_refused_with_its_own_message(client, person, account):
    code = issue(person)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, seconds=1)):
        client.force_login(account)
        response = client.post(LINK_URL, link_form(person, code))
    assert "a expiré" in str(response.context["form"].non_field_errors())
    person.refresh_from_db()
    assert person.user is None


def test_a_new_code_replaces_the_previous_one(client, person, account):
    old = issue(person)
    new = issue(person)
    assert ActivationCode.objects.filter(person=person).count() == 1
    response = client.post(LINK_URL, link_form(person, old))
    assert response.context["form"].non_field_errors() == [str(LINKING_REFUSED)]
    assert client.post(LINK_URL, link_form(person, new)).status_code == 302


def test_only_a_keyed_hash_of_the_code_is_stored(person):
    code = issue(person)
    stored = ActivationCode.objects.get(person=person)
    assert code.replace("-", "") not in stored.code_hash
    assert stored.code_hash == services.hash_activation_code(code)
    assert len(stored.code_hash) == 64


def test_the_code_is_sent_to_the_contact_email(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = issue(person)
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert code in message.body
    assert person.nir not in message.body


def test_an_account_with_an_unverified_email_is_asked_to_confirm_it(client, person):
    user = UserFactory(verified_email=False)
    client.force_login(user)
    response = client.get(LINK_URL)
    assert response["Location"] == reverse("account_email")
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LINK_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Back office ----------------------------------------------------------------------------


@pytest.fixture
def counter_agent(client):
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=COUNTER_STAFF))
    # Reaching the insured persons' list belongs to the back-office area's permissions.
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_insuredperson", "change_insuredperson"])
    )
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    return staff


def test_staff_issue_a_code_that_is_shown_once_and_emailed(
    client, person, counter_agent, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:affiliation_insuredperson_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "issue_activation_code", "_selected_action": [person.pk]}
        )
    assert response.status_code == 200
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", response.content.decode()).group()
    assert code in mail.outbox[0].body
    activation = ActivationCode.objects.get(person=person)
    assert activation.issued_by == counter_agent
    assert activation.code_hash == services.hash_activation_code(code)
    # Nowhere to be seen again: neither in the list of codes nor in the session's messages.
    listing = client.get(reverse("admin:affiliation_activationcode_changelist"))
    assert code not in listing.content.decode()
    detail = client.get(reverse("admin:affiliation_activationcode_change", args=[activation.pk]))
    assert code not in detail.content.decode()
    assert activation.code_hash not in detail.content.decode()


def test_staff_without_the_permission_cannot_issue_codes(client, person):
    staff = StaffFactory()
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_insuredperson", "change_insuredperson"])
    )
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    client.post(
        reverse("admin:affiliation_insuredperson_changelist"),
        {"action": "issue_activation_code", "_selected_action": [person.pk]},
    )
    assert not ActivationCode.objects.exists()


def test_staff_unlock_a_locked_account(client, counter_agent):
    user = UserFactory()
    lockout = LinkingLockout.objects.create(
        user=user, failures=0, locked_until=timezone.now() + datetime.timedelta(hours=1)
    )
    changelist = reverse("admin:affiliation_linkinglockout_changelist")
    assert user.email in client.get(changelist).content.decode()
    client.post(changelist, {"action": "unlock", "_selected_action": [lockout.pk]})
    lockout.refresh_from_db()
    assert lockout.locked_until is None


def test_linking_does_not_touch_other_files(client, person, account):
    other = InsuredPersonFactory()
    client.post(LINK_URL, link_form(person, issue(person)))
    assert InsuredPerson.objects.get(pk=other.pk).user is None


def test_the_linking_page_labels_its_fields(client, account):
    response = client.get(LINK_URL)
    page = response.content.decode()
    assert response.status_code == 200
    for field in ["nir", "birth_date", "code"]:
        assert f'for="id_{field}"' in page


@pytest.mark.parametrize(
    "model",
    [
        "affiliation_activationcode",
        "affiliation_linkinglockout",
        "affiliation_bankaccount",
        "affiliation_addresschange",
        "mutuelles_mutuellecontract",
    ],
)
def test_counter_staff_open_the_lists_of_the_space(client, counter_agent, model):
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
