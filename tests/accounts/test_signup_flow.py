"""Sign-up, e-mail verification, TOTP, recovery codes and password reset on allauth's pages."""

import base64
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory, another_code, current_totp_code

pytestmark = pytest.mark.django_db

EMAIL = "camille.martin@exemple.fr"


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def log_in(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def log_out(client):
    client.post(reverse("account_logout"))
    assert not is_logged_in(client)


def reauthenticate(client, password=PASSWORD):
    """allauth asks for the password again before any change to the second factor."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def test_sign_up_verify_the_address_then_log_in_with_a_second_factor(client):
    response = client.post(
        reverse("account_signup"),
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_logged_in(client)
    [message] = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"https?://testserver(/compte/confirm-email/[^\s/]+/)", message.body)
    assert link, message.body

    # Until the address is verified, the password alone does not open the account.
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_logged_in(client)

    # The link shows a page with a button (no confirmation on GET), the POST confirms.
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.context["confirmation"].email_address.email == EMAIL
    assert not EmailAddress.objects.get(email=EMAIL).verified
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified

    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email=EMAIL)
    assert client.session["_auth_user_id"] == str(user.pk)

    # TOTP: changing the second factor asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    # The secret shown on the page is the one kept in the session until activation.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    assert client.session[SECRET_SESSION_KEY] == secret
    assert secret in response.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = recovery.wrap().get_unused_codes()
    assert len(codes) == 10
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(code in page for code in codes)

    # From now on the password is only the first step.
    log_out(client)
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)

    right = current_totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": another_code(right)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not is_logged_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # A recovery code opens the account once, never twice.
    log_out(client)
    log_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert is_logged_in(client)
    log_out(client)
    log_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert not is_logged_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert response.status_code == 302
    assert is_logged_in(client)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    known = UserFactory()

    known_response = client.post(reverse("account_reset_password"), {"email": known.email})
    unknown_response = client.post(
        reverse("account_reset_password"), {"email": "personne.inconnue@exemple.fr"}
    )

    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"]
    assert known_response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == [known.email]
    assert "/compte/password/reset/key/" in message.body


def test_the_reset_link_sets_a_new_password(client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mail.outbox
    link = re.search(r"https?://testserver(/compte/password/reset/key/[^\s]+/)", message.body)

    # allauth moves the key into the session and redirects to a key-less URL.
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    new_password = "Quatre-chiens-roux-2027"
    response = client.post(
        response.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(new_password)


# --- Pages render in the DSFR shell and respect the CSP -----------------------------------------

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def assert_dsfr_and_csp_clean(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert "fr-btn" in html
    assert 'style="' not in html
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    for tag in SCRIPT_TAG.findall(html):
        assert f'nonce="{nonce}"' in tag, tag
    return html


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_are_dsfr_forms_in_a_centred_column(client, url_name):
    html = assert_dsfr_and_csp_clean(client.get(reverse(url_name)))
    assert 'class="fr-input' in html
    assert 'class="fr-label"' in html
    assert "fr-grid-row--center" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_email_verification_sent"),
        reverse("account_reset_password_done"),
        reverse("account_confirm_email", kwargs={"key": "lien-perime"}),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "perime"}),
    ],
)
def test_entrance_messages_sit_in_the_centred_column(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'style="' not in html
    assert "fr-grid-row--center" in html
    assert html.count("<h1") == 1


def test_form_errors_are_tied_to_their_fields(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "pas-une-adresse", "password1": PASSWORD, "password2": "autre chose"},
    )
    html = assert_dsfr_and_csp_clean(response)
    assert "fr-input-group--error" in html
    assert 'aria-describedby="id_email-desc-error"' in html
    assert 'id="id_email-desc-error"' in html
    assert "fr-error-text" in html


def test_a_failed_login_is_a_dsfr_error_alert(client):
    UserFactory(email=EMAIL)
    html = assert_dsfr_and_csp_clean(log_in(client, password="Pas-le-bon-2026"))
    assert "fr-alert--error" in html
    assert not is_logged_in(client)


def test_reauthentication_page_is_an_entrance_page(client):
    client.force_login(UserFactory())
    html = assert_dsfr_and_csp_clean(client.get(reverse("account_reauthenticate")))
    assert "fr-grid-row--center" in html
    assert 'type="password"' in html


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "mfa_index", "usersessions_list"],
)
def test_account_pages_have_the_side_menu_and_respect_the_csp(client, url_name):
    client.force_login(UserFactory())
    html = assert_dsfr_and_csp_clean(client.get(reverse(url_name)))
    assert "fr-sidemenu" in html
    assert html.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    "url_name",
    ["mfa_index", "mfa_deactivate_totp", "mfa_generate_recovery_codes", "mfa_view_recovery_codes"],
)
def test_second_factor_pages_have_the_side_menu_and_respect_the_csp(client, url_name):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    client.force_login(user)
    reauthenticate(client)
    html = assert_dsfr_and_csp_clean(client.get(reverse(url_name)))
    assert "fr-sidemenu" in html
    assert "fr-sidemenu__item--active" in html


def test_second_factor_reauthentication_page_is_an_entrance_page(client):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    html = assert_dsfr_and_csp_clean(client.get(reverse("mfa_reauthenticate")))
    assert "fr-grid-row--center" in html
    assert 'autocomplete="one-time-code"' in html


def test_logout_page_has_the_side_menu(client):
    client.force_login(UserFactory())
    html = assert_dsfr_and_csp_clean(client.get(reverse("account_logout")))
    assert "fr-sidemenu" in html


def test_recovery_codes_page_scripts_carry_the_nonce(client):
    user = UserFactory(email=EMAIL)
    client.force_login(user)
    reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert_dsfr_and_csp_clean(response)
    assert "data:image/svg+xml;base64," in response.content.decode()
    secret = response.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    html = assert_dsfr_and_csp_clean(client.get(reverse("mfa_view_recovery_codes")))
    assert "recovery_codes.js" in html
    assert "fr-sidemenu" in html
    assert Authenticator.objects.filter(user=user).count() == 2


def test_the_totp_qr_code_has_a_white_background(client):
    """Transparent, it would vanish on the DSFR dark theme's near-black page."""
    client.force_login(UserFactory())
    reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    data_uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', response.content.decode())
    svg = base64.b64decode(data_uri.group(1)).decode()
    assert '<rect fill="white"' in svg
