"""Changing bank details: validated IBAN/BIC, second factor, old contact told, staff review."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from accounts.groups import COUNTER_STAFF
from affiliation.models import BankAccount
from cpam_portal.models import AccessLog
from tests.accounts.factories import StaffFactory, another_code, current_totp_code
from tests.affiliation.factories_account import (
    IBAN_DE,
    IBAN_FR,
    BankAccountFactory,
    LinkedPersonFactory,
)

pytestmark = pytest.mark.django_db

BANK_URL = reverse("affiliation:bank_details")


@pytest.fixture
def me(client):
    person = LinkedPersonFactory(email="contact-connu@exemple.fr")
    client.force_login(person.user)
    return person


@pytest.fixture
def secret(me):
    secret = generate_totp_secret()
    TOTP.activate(me.user, secret)
    return secret


def bank_form(secret, **changes) -> dict:
    data = {
        "iban": "DE89 3704 0044 0532 0130 00",
        "bic": "",
        "holder_name": "Camille Martin",
        "totp_code": current_totp_code(secret),
    }
    return {**data, **changes}


def test_without_an_authenticator_the_page_explains_and_links_to_set_one_up(client, me):
    response = client.get(BANK_URL)
    page = response.content.decode()
    assert response.context["form"] is None
    assert reverse("mfa_activate_totp") in page
    client.post(BANK_URL, {"iban": IBAN_DE, "holder_name": "X", "totp_code": "123456"})
    assert not BankAccount.objects.exists()


def test_new_bank_details_replace_the_old_ones_and_await_review(
    client, me, secret, django_capture_on_commit_callbacks
):
    old = BankAccountFactory(person=me)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BANK_URL, bank_form(secret))
    assert response["Location"] == reverse("affiliation:my_space")
    new = BankAccount.objects.get(person=me, status=BankAccount.Status.ACTIVE)
    assert (new.iban, new.bic, new.needs_review, new.created_by) == (
        IBAN_DE,
        "COBADEFFXXX",  # derived from the IBAN when left empty
        True,
        me.user,
    )
    old.refresh_from_db()
    assert old.status == BankAccount.Status.REPLACED
    # The contacts known before the change are told, without the IBAN.
    (message,) = mail.outbox
    assert set(message.to) == {"contact-connu@exemple.fr", me.user.email}
    for secret_text in [IBAN_DE, "3704", IBAN_FR, "0130 00"]:
        assert secret_text not in message.body


def test_a_wrong_second_factor_code_changes_nothing(client, me, secret):
    old = BankAccountFactory(person=me)
    response = client.post(
        BANK_URL, bank_form(secret, totp_code=another_code(current_totp_code(secret)))
    )
    assert response.status_code == 200
    assert "n'est pas le bon" in " ".join(response.context["form"].errors["totp_code"])
    assert list(BankAccount.objects.filter(person=me)) == [old]
    assert BankAccount.objects.get().status == BankAccount.Status.ACTIVE
    assert not mail.outbox


def test_a_second_factor_code_serves_once(client, me, secret):
    code = current_totp_code(secret)
    client.post(BANK_URL, bank_form(secret, totp_code=code))
    response = client.post(BANK_URL, bank_form(secret, iban=IBAN_FR, totp_code=code))
    assert response.status_code == 200
    assert BankAccount.objects.get(status=BankAccount.Status.ACTIVE).iban == IBAN_DE


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("FR7630006000011234567890188", "clé (3e et 4e caractères)"),
        ("FR76300060000112345678901", "bon nombre de caractères"),
        ("ZZ7630006000011234567890189", "ne désignent aucun pays"),
        ("FR76 3000 6000 0112 3456 7890 1!9", "forme attendue"),
        ("TN5910006035183598478831", "zone SEPA"),
    ],
    ids=["checksum", "length", "country", "characters", "outside SEPA"],
)
def test_an_invalid_iban_is_refused_with_a_clear_message(client, me, secret, iban, message):
    response = client.post(BANK_URL, bank_form(secret, iban=iban))
    assert message in " ".join(response.context["form"].errors["iban"])
    assert not BankAccount.objects.exists()


def test_a_bic_from_another_country_than_the_iban_is_refused(client, me, secret):
    response = client.post(BANK_URL, bank_form(secret, bic="AGRIFRPP"))
    assert "autre pays" in " ".join(response.context["form"].errors["bic"])
    assert not BankAccount.objects.exists()


def test_a_malformed_bic_is_refused(client, me, secret):
    response = client.post(BANK_URL, bank_form(secret, bic="ABC"))
    assert "forme attendue" in " ".join(response.context["form"].errors["bic"])


def test_a_bic_that_cannot_be_derived_must_be_given(client, me, secret):
    swiss = "CH9300762011623852957"  # schwifty knows no BIC for this bank code
    response = client.post(BANK_URL, bank_form(secret, iban=swiss))
    assert "indiquez-le" in " ".join(response.context["form"].errors["bic"])
    client.post(BANK_URL, bank_form(secret, iban=swiss, bic="POFICHBEXXX"))
    assert BankAccount.objects.get().bic == "POFICHBEXXX"


def test_the_iban_is_shown_masked_to_the_person(client, me, secret):
    BankAccountFactory(person=me)
    page = client.get(BANK_URL).content.decode()
    assert "FR76 •••• •••• 0189" in page
    assert IBAN_FR not in page


# --- Staff review ---------------------------------------------------------------------------


@pytest.fixture
def counter_agent(client):
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=COUNTER_STAFF))
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    return staff


def test_staff_filter_the_changes_to_review_and_mark_them_reviewed(client, counter_agent):
    to_review = BankAccountFactory(needs_review=True, holder_name="A vérifier")
    BankAccountFactory(needs_review=False, holder_name="Déjà vu")
    changelist = reverse("admin:affiliation_bankaccount_changelist")
    listing = client.get(changelist, {"needs_review__exact": "1"})
    assert list(listing.context["cl"].result_list) == [to_review]
    assert IBAN_FR not in listing.content.decode()  # masked in the list
    client.post(changelist, {"action": "mark_reviewed", "_selected_action": [to_review.pk]})
    to_review.refresh_from_db()
    assert (to_review.needs_review, to_review.reviewed_by) == (False, counter_agent)


def test_staff_reading_full_bank_details_is_traced(client, counter_agent):
    account = BankAccountFactory()
    response = client.get(reverse("admin:affiliation_bankaccount_change", args=[account.pk]))
    assert IBAN_FR in response.content.decode()
    trace = AccessLog.objects.get()
    assert (trace.user, trace.insured_person_id, trace.object_id) == (
        counter_agent,
        account.person_id,
        str(account.pk),
    )


def test_staff_without_the_review_permission_cannot_mark_reviewed(client):
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_bankaccount"))
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    account = BankAccountFactory(needs_review=True)
    client.post(
        reverse("admin:affiliation_bankaccount_changelist"),
        {"action": "mark_reviewed", "_selected_action": [account.pk]},
    )
    account.refresh_from_db()
    assert account.needs_review is True
