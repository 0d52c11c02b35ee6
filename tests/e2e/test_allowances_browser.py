"""From a work stoppage to its payment attestation, in a browser.

The insured person declares a stoppage with the scan of the notice and sends the employer's
salary attestation; an earlier stoppage, accepted by staff, is paid by the payment task; the
person sees the payments and downloads an attestation de paiement in English, read back with
pypdf. Headless Chromium against a live server; the `page` fixture fails on console errors.
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from allowances import tasks
from allowances.models import SalaryAttestation, WorkStoppage
from tests.affiliation.factories_documents import pdf_text
from tests.allowances.factories import (
    VALID_RPPS,
    VALID_SIRET,
    accepted_stoppage,
    insured_with_account,
)
from tests.browser import choose, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_declare_a_stoppage_then_download_the_payment_attestation(page, tmp_path):
    today = timezone.localdate()
    person = insured_with_account(first_names="Camille", last_name="Martin")
    earlier = accepted_stoppage(
        person=person, start_date=today - timedelta(days=60), end_date=today - timedelta(days=31)
    )
    scan = tmp_path / "avis.png"
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, format="PNG")
    scan.write_bytes(out.getvalue())

    log_in(page, person.user.email)
    page.goto("/mon-espace/indemnites/")
    page.get_by_role("link", name="Déclarer un arrêt de travail").click()
    choose(page, "maladie")
    start = today - timedelta(days=3)
    page.get_by_label("Premier jour d'arrêt").fill(start.isoformat())
    page.get_by_label("Dernier jour d'arrêt").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Date de la prescription").fill(start.isoformat())
    page.get_by_label("Nom du médecin prescripteur").fill("Dr Claire Moreau")
    page.get_by_label("Numéro RPPS du prescripteur").fill(VALID_RPPS)
    page.get_by_label("Nom de l'employeur").fill("Boulangerie Dupont")
    page.get_by_label("SIRET de l'employeur").fill(VALID_SIRET)
    page.get_by_label("Avis d'arrêt de travail (volet 3, scanné ou photographié)").set_input_files(
        str(scan)
    )
    page.get_by_role("button", name="Déclarer l'arrêt").click()

    expect(page.locator("h1")).to_have_text("Attestation de salaire")
    for gross in page.get_by_label("Salaire brut", exact=False).all():
        gross.fill("2000,00")
    for hours in page.get_by_label("Heures travaillées", exact=False).all():
        hours.fill("151,67")
    page.get_by_label("Attestation de salaire remplie par l'employeur").set_input_files(str(scan))
    page.get_by_role("button", name="Envoyer l'attestation").click()
    expect(page.get_by_text("L'attestation de salaire est envoyée à votre caisse.")).to_be_visible()
    declared = WorkStoppage.objects.exclude(pk=earlier.pk).get(person=person)
    assert declared.salary_attestations.get().status == SalaryAttestation.Status.RECEIVED

    tasks.pay_daily_allowances.delay()  # what beat sends every hour

    page.goto("/mon-espace/indemnites/")
    first_paid = earlier.start_date + timedelta(days=3)
    expect(page.get_by_text(f"du {first_paid:%d/%m/%Y} au")).to_have_count(1)
    page.get_by_role("link", name="Attestation de paiement").click()
    page.get_by_label("Paiements effectués à partir du").fill(
        (today - timedelta(days=60)).isoformat()
    )
    page.get_by_label("Jusqu'au (inclus)").fill(today.isoformat())
    choose(page, "English")
    page.get_by_role("button", name="Créer mon attestation (PDF)").click()
    expect(page.get_by_text("Votre attestation de paiement est prête")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").first.click()
    text = pdf_text(download_info.value.path().read_bytes())
    assert "Certificate of daily allowance payments" in text
    assert "MARTIN Camille" in text
    assert f"from {first_paid:%d/%m/%Y} to" in text
    assert f"€{earlier.daily_amount}" in text
    assert "Verification code" in text
