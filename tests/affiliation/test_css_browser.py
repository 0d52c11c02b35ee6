"""The CSS simulator in a real browser: no console error (CSP), result and errors shown."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_household_estimates_its_css(page):
    page.goto("/complementaire-sante-solidaire/simulateur/")
    expect(page.locator("h1")).to_have_text("Simulateur de complémentaire santé solidaire")
    page.get_by_label("Ressources annuelles du foyer, en euros").fill("1 000 000 000")
    page.get_by_role("button", name="Estimer").click()
    expect(page.locator("#error-summary")).to_contain_text("Ce montant est trop élevé")
    expect(page.locator("#error-summary")).to_contain_text("Indiquez au moins votre date")

    page.get_by_label("Ressources annuelles du foyer, en euros").fill("12 000")
    page.get_by_label("Votre date de naissance").fill("1990-06-01")
    page.get_by_role("button", name="Estimer").click()
    expect(page.locator("#result h2")).to_have_text(
        "Complémentaire santé solidaire avec participation financière"
    )
    expect(page.locator("#result")).to_contain_text("par mois pour le foyer")
