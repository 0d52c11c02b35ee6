"""A foreign student files an affiliation request with documents; a counter agent accepts it
in the admin; the student links the account with the activation code, downloads the attestation
de droits, and anyone can verify its code.

Headless Chromium against a live server: the `page` fixture fails on any console error (CSP).
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from accounts.groups import COUNTER_STAFF
from affiliation.models import AffiliationRequest
from affiliation.models.requests import COUNTER_STAFF_PERMISSIONS
from tests.accounts.factories import StaffFactory, UserFactory, current_totp_code
from tests.affiliation.factories import paris_fund
from tests.affiliation.factories_documents import pdf_text
from tests.affiliation.factories_requests import BRAZIL, jpeg_bytes, pdf_bytes
from tests.browser import choose, log_in

ACTIVATION_CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){2}\b")
VERIFICATION_CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}(?:-[A-HJ-NP-Z2-9]{4}){3}")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCUMENTS = [
    ("identity", "passeport.jpg", "image/jpeg"),
    ("residence_permit", "titre-sejour.pdf", "application/pdf"),
    ("birth_certificate", "acte.pdf", "application/pdf"),
    ("proof_of_address", "quittance.pdf", "application/pdf"),
    ("bank_details", "rib.pdf", "application/pdf"),
    ("enrolment_certificate", "certificat.png", "image/png"),
]


def file_payload(name, mime):
    if mime == "application/pdf":
        content = pdf_bytes()
    elif mime == "image/jpeg":
        content = jpeg_bytes(gps=True)
    else:
        import io

        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (40, 40), "white").save(out, format="PNG")
        content = out.getvalue()
    return {"name": name, "mimeType": mime, "buffer": content}


def test_a_foreign_student_files_a_request_and_an_agent_accepts_it(
    page, browser, live_server, mailoutbox, tmp_path
):
    paris_fund()
    student = UserFactory(email="ana.silva@exemple.fr")
    agent = StaffFactory(email="agent@cpam.example")
    secret = generate_totp_secret()
    TOTP.activate(agent, secret)
    # A transactional test before this one may have flushed the permissions: make them again.
    create_permissions(apps.get_app_config("affiliation"), verbosity=0)
    group, _ = Group.objects.get_or_create(name=COUNTER_STAFF)
    group.permissions.add(*Permission.objects.filter(codename__in=COUNTER_STAFF_PERMISSIONS))
    agent.groups.add(group)

    # --- The student chooses a situation and sees what to provide ---
    log_in(page, student.email)
    page.goto("/demande-affiliation/")
    page.get_by_text("étudiant(e)", exact=True).click()  # DSFR radios: the label takes the click
    page.get_by_role("button", name="Voir les documents à fournir").click()
    expect(page.locator("#checklist-title")).to_contain_text("étudiant(e)")
    expect(page.locator(".affiliation-checklist")).to_contain_text("certificat de scolarité")
    page.get_by_role("button", name="Commencer ma demande").click()

    # --- Identity and address ---
    expect(page.locator("h1")).to_have_text("Identité et coordonnées")
    page.get_by_label("Nom d'usage", exact=True).fill("Silva")
    page.get_by_label("Prénoms", exact=True).fill("Ana Clara")
    page.get_by_text("femme", exact=True).click()
    page.get_by_label("Date de naissance", exact=True).fill("2003-04-12")
    page.get_by_label("Pays de naissance", exact=True).select_option(BRAZIL)
    page.get_by_label("Commune ou ville de naissance", exact=True).fill("São Paulo")
    page.get_by_label("Nationalité", exact=True).select_option(BRAZIL)
    page.get_by_label("Adresse", exact=True).fill("5 rue des Écoles")
    page.get_by_label("Code postal").fill("75005")
    page.get_by_label("Commune", exact=True).fill("Paris")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("enregistrées")

    # --- Documents, one by one ---
    for kind, name, mime in DOCUMENTS:
        page.get_by_label("Nature du document").select_option(kind)
        page.get_by_label("Fichier").set_input_files(file_payload(name, mime))
        page.get_by_role("button", name="Ajouter ce document").click()
        expect(page.locator(".fr-alert--success")).to_contain_text(name)
    page.get_by_role("button", name="Envoyer ma demande à la caisse").click()
    expect(page.locator(".fr-callout__title")).to_contain_text("envoyée")
    expect(page.locator(".fr-callout__text")).to_contain_text("Décision attendue")
    reference = AffiliationRequest.objects.get(applicant=student).reference

    # --- The agent, with a second factor, takes it and accepts it ---
    staff_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    staff_page = staff_context.new_page()
    log_in(staff_page, agent.email)
    staff_page.locator('input[name="code"]').fill(current_totp_code(secret))
    staff_page.get_by_role("button", name="Connexion").click()
    staff_page.wait_for_url(lambda url: "/authenticate/" not in url)
    staff_page.goto("/admin/affiliation/affiliationrequest/")
    staff_page.get_by_role("link", name=reference).click()
    expect(staff_page.get_by_role("link", name="passeport.jpg")).to_be_visible()
    staff_page.get_by_role("button", name="Prendre en charge la demande").click()
    staff_page.get_by_role("link", name="Accepter la demande").click()
    staff_page.get_by_role("button", name="Accepter la demande").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("Dossier créé")
    staff_context.close()

    # --- The student sees the decision ---
    page.reload()
    expect(page.locator(".fr-callout__title")).to_contain_text("acceptée")
    expect(page.locator("ol.affiliation-history li")).to_have_count(3)  # sent, in review, accepted
    request = AffiliationRequest.objects.get(reference=reference)
    assert request.insured.number_kind == "nia"
    assert request.insured.nir[5:10] == "99416"  # born in Brazil
    number = page.locator(".affiliation-number").inner_text()
    assert number.replace(" ", "") == request.insured.nir

    # --- The activation code arrives by e-mail; the student links the account ---
    code_mail = next(mail for mail in mailoutbox if "code d'activation" in mail.subject)
    assert code_mail.to == [student.email] and request.insured.nir not in code_mail.body
    activation_code = ACTIVATION_CODE.search(code_mail.body).group(0)
    page.get_by_role("link", name="Relier mon compte à mon dossier").click()
    page.get_by_label("Numéro de sécurité sociale").fill(number)
    page.get_by_label("Date de naissance").fill("2003-04-12")
    page.get_by_label("Code d'activation").fill(activation_code.lower())
    page.get_by_role("button", name="Relier mon dossier").click()
    expect(page.locator("h1")).to_have_text("Mon espace")
    expect(page.locator("main")).to_contain_text("Ana Clara Silva")

    # --- The attestation de droits, in English, downloaded as PDF ---
    page.goto("/mon-espace/attestations/")
    choose(page, "English")
    page.get_by_role("button", name="Créer mon attestation (PDF)").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("attestation de droits est prête")
    with page.expect_download() as download_info:
        page.locator("table a[download]").first.click()
    pdf_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf_path)
    text = pdf_text(pdf_path.read_bytes())
    assert "Certificate of health insurance entitlement" in text
    assert number in text and "SILVA" in text.upper()
    verification_code = VERIFICATION_CODE.search(text).group(0)

    # --- A landlord, without an account, checks the code printed on it ---
    landlord = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    landlord.goto("/verifier/")
    landlord.get_by_label("Code de vérification").fill(verification_code)
    landlord.get_by_role("button", name="Vérifier").click()
    expect(landlord.locator(".fr-alert--success")).to_contain_text("Document authentique")
    expect(landlord.locator("main")).to_contain_text("A. S.")
    expect(landlord.locator("main")).to_contain_text("2003")
    expect(landlord.locator("main")).not_to_contain_text("Silva")
    landlord.context.close()
