"""In a browser: the holder sends a paper care sheet with its scan, sees it paid with the
explanation of its amount, and downloads the month's statement. Headless Debian Chromium, live
server; tasks run in-process (eager Celery), and the pipeline is run once more in the test in
case the message was not delivered (processing twice changes nothing)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reimbursements.models import CareSheet
from reimbursements.services.processing import process_received
from tests.affiliation.factories_documents import family_file, pdf_text
from tests.affiliation.factories_requests import pdf_bytes
from tests.browser import log_in
from tests.reimbursements.factories import (  # noqa: F401 (fixture)
    ensure_shipped_rules,
    rpps,
    rules_from_files,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("rules_from_files"),
]


def test_send_a_care_sheet_see_it_paid_and_why_then_download_the_statement(page, tmp_path):
    ensure_shipped_rules()  # the year's caps are read from the database's parameters
    family = family_file()
    care_date = timezone.localdate() - datetime.timedelta(days=5)
    scan = tmp_path / "feuille-de-soins.pdf"
    scan.write_bytes(pdf_bytes())
    log_in(page, family.user.email)

    page.goto("/mon-espace/remboursements/")
    expect(page.locator("h1")).to_have_text("Mes remboursements")
    page.get_by_role("link", name="Envoyer une feuille de soins papier").click()

    page.get_by_label("Personne soignée").select_option(value=str(family.holder.pk))
    page.get_by_label("Date des soins").fill(care_date.isoformat())
    page.get_by_label("Nom du professionnel de santé").fill("Dr Bernard")
    page.get_by_label("Numéro RPPS ou ADELI").fill(rpps(3))
    page.get_by_label("Profession", exact=True).select_option(value="general_practitioner")
    page.locator("#id_lines-0-act_code").fill("G")
    page.locator("#id_lines-0-amount_charged").fill("30,00")
    # One more line without JavaScript: the page comes back with what was typed.
    page.get_by_role("button", name="Ajouter une ligne").click()
    expect(page.locator("#id_lines-3-act_code")).to_be_visible()
    expect(page.locator("#id_lines-0-act_code")).to_have_value("G")
    page.get_by_label("Feuille de soins scannée ou photographiée").set_input_files(scan)
    page.get_by_role("button", name="Envoyer la feuille de soins").click()

    expect(page.locator(".fr-alert--success")).to_contain_text("feuille de soins est envoyée")
    sheet = CareSheet.objects.get(holder=family.holder)
    assert sheet.scan_name and sheet.channel == "online"
    process_received()
    sheet.refresh_from_db()
    assert sheet.status == CareSheet.Status.PAID
    page.screenshot(path=str(tmp_path / "sent.png"), full_page=True)

    page.reload()
    page.get_by_role("link", name="Voir le décompte et pourquoi ce montant").click()
    expect(page.locator("h1")).to_contain_text("Décompte du")
    why = page.locator("details.rb-why").first
    expect(why).to_contain_text("Consultations et actes des médecins : remboursés à 70 %")
    expect(why).to_contain_text("Participation forfaitaire de 2,00 € retenue.")
    expect(page.locator("main")).to_contain_text("19,00 €")
    expect(page.locator(".rb-counters")).to_contain_text("2,00 € sur 50,00 €")
    page.screenshot(path=str(tmp_path / "statement.png"), full_page=True)

    page.get_by_role("link", name="Retour à mes remboursements").click()
    link = page.get_by_role("link", name=re.compile(r"^Relevé de .* \(PDF\)$")).first
    with page.expect_download() as download_info:
        link.click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    text = pdf_text(target.read_bytes())
    assert "Relevé de remboursements" in text
    assert "Dr Bernard" in text
    assert "Remboursé sur votre compte 19,00 €" in text
