"""An insured person logs in, links the account with the code staff issued, sees their space,
declares a mutuelle contract for a child and resolves the conflict it creates.

Headless Chromium against a live server; the `page` fixture fails on any console error (CSP).
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from affiliation.services.account import issue_activation_code
from tests.accounts.factories import PASSWORD, UserFactory
from tests.affiliation.factories import InsuredPersonFactory, paris_fund
from tests.affiliation.factories_account import add_family
from tests.mutuelles.factories_contracts import MutuelleContractFactory, MutuelleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_link_my_account_then_resolve_a_mutuelle_conflict(page):
    paris_fund()
    person = InsuredPersonFactory(first_names="Camille", last_name="Martin")
    _spouse, child = add_family(person)
    MutuelleContractFactory(
        person=child.person,
        mutuelle=MutuelleFactory(name="Mutuelle des Lilas"),
        valid_from=datetime.date(2024, 1, 1),
    )
    MutuelleFactory(name="Mutuelle étudiante")
    code = issue_activation_code(person, issued_by=None, now=timezone.now())
    user = UserFactory()

    page.goto("/mon-espace/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    expect(page.locator("h1")).to_have_text("Relier mon dossier d'assuré")
    page.get_by_label("Numéro de sécurité sociale").fill(person.nir)
    page.get_by_label("Date de naissance").fill(person.birth_date.isoformat())
    page.get_by_label("Code d'activation").fill(code)
    page.get_by_role("button", name="Relier mon dossier").click()

    expect(page.locator("h1")).to_have_text("Mon espace")
    expect(page.get_by_text("Votre compte est relié à votre dossier d'assuré.")).to_be_visible()
    expect(page.get_by_text("rang 03")).to_be_visible()

    page.get_by_role("link", name="Gérer les contrats de complémentaire santé").click()
    page.get_by_role("link", name="Déclarer un contrat").click()
    page.get_by_label("Personne couverte").select_option(
        label=f"03 — {child.person.first_names} {child.person.last_name}"
    )
    page.get_by_label("Mutuelle").select_option(label="Mutuelle étudiante")
    page.get_by_label("Numéro d'adhérent").fill("ETU-1")
    page.get_by_label("Début du contrat").fill("2026-09-01")
    page.get_by_role("button", name="Déclarer ce contrat").click()

    expect(page.get_by_text("choisissez celui qui reste")).to_be_visible()
    page.locator("label", has_text="Mutuelle étudiante — adhérent ETU-1").click()  # DSFR radio
    page.get_by_role("button", name="Garder ce contrat").click()
    expect(
        page.get_by_text("Le contrat de Mutuelle des Lilas prend fin le 31 août 2026.")
    ).to_be_visible()
