"""In a browser: the holder downloads an attestation and a CEAM certificate, then a pharmacist
checks the attestation's code on the public page. Headless Debian Chromium, live server; the
`page` fixture fails on any console error (a CSP violation included)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.affiliation.factories_documents import family_file, pdf_text
from tests.browser import choose, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3}")


def downloaded_text(page, link, tmp_path: Path) -> str:
    with page.expect_download() as download_info:
        link.click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    return pdf_text(target.read_bytes())


def test_attestation_then_public_verification(page, tmp_path):
    family = family_file()
    log_in(page, family.user.email)

    page.goto("/mon-espace/attestations/")
    expect(page.locator("h1")).to_have_text("Mes attestations")
    choose(page, "English")
    page.get_by_role("button", name="Créer mon attestation (PDF)").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("attestation de droits est prête")
    page.screenshot(path=str(tmp_path / "attestations.png"), full_page=True)

    text = downloaded_text(page, page.locator("table a[download]").first, tmp_path)
    assert "Certificate of health insurance entitlement" in text
    code = CODE.search(text).group(0)

    # Anyone, without an account, checks the code typed in lower case without dashes.
    page.context.clear_cookies()
    page.goto("/verifier/")
    page.get_by_label("Code de vérification").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Document authentique et valable")
    expect(page.locator("main")).to_contain_text("C. L.")
    expect(page.locator("main")).to_contain_text("1985")
    expect(page.locator("main")).not_to_contain_text("Lefèvre")
    page.screenshot(path=str(tmp_path / "verify.png"), full_page=True)


def test_ceam_order_with_its_provisional_certificate(page, tmp_path):
    family = family_file()
    log_in(page, family.user.email)

    page.goto("/mon-espace/cartes/")
    page.get_by_role("link", name="Carte européenne d'assurance maladie (CEAM)").click()
    page.get_by_label("Pour qui ?").select_option(value=str(family.spouse.pk))
    choose(page, "Première carte")
    choose(page, "Français")
    page.get_by_role("button", name="Commander").click()

    expect(page.locator("h1")).to_have_text("Carte européenne d'assurance maladie (CEAM)")
    link = page.get_by_role("link", name="Télécharger le certificat provisoire (PDF)")
    text = downloaded_text(page, link, tmp_path)
    assert "Certificat provisoire de remplacement" in text and "MOREAU" in text
    page.screenshot(path=str(tmp_path / "order.png"), full_page=True)
