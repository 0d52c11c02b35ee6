"""The attestation de droits and the CEAM certificate read back as text; the locked fetcher."""

import datetime
import re

import pytest
from django.core.files.storage import storages

from affiliation.models import IssuedDocument
from affiliation.rules.documents import code_digest, normalise_code
from affiliation.services import documents as services
from cpam_portal import pdf
from cpam_portal.pdf import PDF_BASE_URL, StaticOnlyURLFetcher, render_pdf
from tests.affiliation.factories_documents import family_file, pdf_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=datetime.UTC)
CODE_PATTERN = r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}"


def stored_text(document: IssuedDocument) -> str:
    with storages["private"].open(document.pdf_name, "rb") as handle:
        return pdf_text(handle.read())


def printed_code(text: str) -> str:
    return re.search(CODE_PATTERN, text).group(0)


def spaced(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def test_the_french_attestation_states_every_fact_of_the_file():
    family = family_file()
    document = services.issue_attestation(family.holder, language="fr", on=TODAY, now=NOW)
    text = stored_text(document)

    assert "Attestation de droits à l'assurance maladie" in text
    assert spaced(family.holder.nir) in text
    # Names, birth dates and ranks of the holder and each beneficiary.
    assert "01 LEFÈVRE Camille Anne 14/03/1985 Oui" in text
    assert "02 MOREAU Dominique 09/07/1983 Non" in text
    assert "03 LEFÈVRE Léa 29/02/2016 Non" in text
    # Fund codes: régime 01, caisse 751 (Paris, our convention), centre 0001.
    assert "01 751 0001" in text
    assert "CPAM de Paris" in text
    assert "Régime général (70 %)" in text
    # Exemptions with their ground and dates.
    assert "Affection de longue durée (ALD) : du 01/01/2025 au 31/12/2027 inclus" in text
    assert "Invalidité : du 01/06/2024, sans date de fin" in text
    # Validity: one year at most, printed with its last day.
    assert "Délivrée le 23/11/2026 — valable du 23/11/2026 au 22/11/2027 inclus" in text
    code = printed_code(text)
    assert document.code_digest == code_digest(normalise_code(code))
    assert "Code de vérification" in text
    assert "/verifier/" in text  # the page's address, printed under the QR code
    assert (document.valid_from, document.valid_until) == (TODAY, datetime.date(2027, 11, 23))
    assert (document.holder_initials, document.holder_birth_year) == ("C. L.", 1985)


def test_the_english_attestation_states_the_same_facts_in_english():
    family = family_file(is_alsace_moselle=True)
    document = services.issue_attestation(family.holder, language="en", on=TODAY, now=NOW)
    text = stored_text(document)

    assert "Certificate of health insurance entitlement" in text
    assert spaced(family.holder.nir) in text
    assert "01 LEFÈVRE Camille Anne 14/03/1985 Yes" in text
    assert "02 MOREAU Dominique 09/07/1983 No" in text
    assert "01 751 0001" in text
    assert "Alsace-Moselle local scheme (90 %)" in text
    assert "Long-term illness (ALD): from 01/01/2025 to 31/12/2027 inclusive" in text
    assert "Invalidity: from 01/06/2024, no end date" in text
    assert "Issued on 23/11/2026 — valid from 23/11/2026 to 22/11/2027 inclusive" in text
    assert "Verification code" in text
    assert "Attestation de droits à" not in text  # nothing left in French
    assert document.language == "en"
    printed_code(text)


def test_the_attestation_ends_with_the_rights_when_they_end_within_the_year():
    family = family_file()
    family.holder.coverage_periods.update(valid_until=datetime.date(2027, 3, 1))
    document = services.issue_attestation(family.holder, language="fr", on=TODAY, now=NOW)

    assert document.valid_until == datetime.date(2027, 3, 1)
    assert "valable du 23/11/2026 au 28/02/2027 inclus" in stored_text(document)


def test_each_attestation_has_its_own_code_and_qr_link():
    family = family_file()
    first = services.issue_attestation(family.holder, language="fr", on=TODAY, now=NOW)
    second = services.issue_attestation(family.holder, language="fr", on=TODAY, now=NOW)

    assert first.code_digest != second.code_digest
    assert printed_code(stored_text(first)) != printed_code(stored_text(second))


def test_the_qr_code_is_drawn_inline_and_points_to_the_verification_page():
    svg = services.qr_code_svg("http://localhost:8000/verifier/ABCD-EFGH-JKLM-NPQR/")
    assert svg.startswith("<svg") and "<path" in svg
    url = services.verification_url("ABCD-EFGH-JKLM-NPQR")
    assert url == "http://localhost:8000/verifier/ABCD-EFGH-JKLM-NPQR/"


def test_the_ceam_certificate_is_valid_three_months_in_either_language():
    family = family_file()
    order, certificate = services.order_card(
        ordered_by=family.holder,
        person_id=family.child.pk,
        kind="ceam",
        reason="first",
        on=datetime.date(2026, 11, 30),
        now=NOW,
        language="en",
    )
    text = stored_text(certificate)
    assert "Provisional replacement certificate of the European Health Insurance Card" in text
    assert "LEFÈVRE" in text and "Léa" in text and "29/02/2016" in text
    assert spaced(family.child.nir) in text
    assert "01 751 0001" in text
    # 30 November + 3 months: 30 February does not exist, so the last valid day is 28 February.
    assert "valid from 30/11/2026 to 28/02/2027 inclusive" in text
    assert certificate.holder == family.child and certificate.requested_by == family.holder
    assert certificate.card_order == order

    _order, french = services.order_card(
        ordered_by=family.holder,
        person_id=family.holder.pk,
        kind="ceam",
        reason="first",
        on=TODAY,
        now=NOW,
        language="fr",
    )
    text = stored_text(french)
    assert "Certificat provisoire de remplacement de la carte européenne" in text
    assert "valable du 23/11/2026 au 22/02/2027 inclus" in text


# --- The fetcher: nothing but our static files (docs/reliability.md#pdf-rendering) -------------

INJECTIONS = (
    '<img src="file:///etc/passwd">',
    "<style>@import url(http://127.0.0.1:5432/);</style>",
    '<div style="background: url(http://127.0.0.1:5432/)">x</div>',
    "@import 'file:///etc/shadow';",
    '<link rel="stylesheet" href="http://127.0.0.1:5432/x.css">',
    '<svg><image href="file:///etc/hostname"/></svg>',
)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_text_a_person_typed_fetches_nothing(injection, monkeypatch):
    """Injected into every field a person controls, markup stays text and fetches nothing."""
    fetchers: list[StaticOnlyURLFetcher] = []

    class CountingFetcher(StaticOnlyURLFetcher):
        def __init__(self):
            super().__init__()
            fetchers.append(self)

    monkeypatch.setattr(pdf, "StaticOnlyURLFetcher", CountingFetcher)
    family = family_file(
        last_name=f"Nom{injection}", first_names=f"Prénom{injection}", city=injection
    )
    family.child.last_name = injection
    family.child.save()
    family.holder.fund.name = f"CPAM {injection}"
    family.holder.fund.save()
    family.holder.exemptions.update(note=injection)

    document = services.issue_attestation(family.holder, language="fr", on=TODAY, now=NOW)

    (fetcher,) = fetchers
    assert fetcher.refused == []
    assert fetcher.served == [PDF_BASE_URL + "static/css/affiliation-documents-pdf.css"]
    text = stored_text(document)
    assert " ".join(injection.split()) in text  # shown as the text it is


HOSTILE_URLS = (
    "file:///etc/passwd",
    "http://127.0.0.1:5432/",
    "https://example.org/logo.png",
    "data:text/css,body{color:red}",
    "ftp://127.0.0.1/x",
    PDF_BASE_URL + "static/../../../etc/passwd",
    PDF_BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
    PDF_BASE_URL + "static/css/../../cpam_portal/settings.py",
    PDF_BASE_URL + "static//etc/passwd",
    PDF_BASE_URL + "static/css/affiliation-documents-pdf.css?x=1",
    PDF_BASE_URL + "private/documents/a.pdf",
    "http://localhost:8000/static/css/affiliation-documents-pdf.css",
)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(pdf.RefusedFetch):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_even_unescaped_markup_cannot_make_weasyprint_fetch(tmp_path, settings):
    """Defence in depth: were a template to print raw markup, the fetcher still refuses."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    (tmp_path / "hostile.html").write_text(
        "<html><head><style>@import url(http://127.0.0.1:5432/a.css);"
        "body { background: url(file:///etc/passwd); }</style>"
        '<link rel="stylesheet" href="file:///etc/passwd"></head><body>'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:5432/">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<object data="file:///etc/hostname"></object>'
        '<img src="/static/css/affiliation-documents-pdf.css">'
        "<p>ok</p></body></html>"
    )
    fetcher = StaticOnlyURLFetcher()

    content = render_pdf("hostile.html", {}, url_fetcher=fetcher)

    assert content.startswith(b"%PDF")
    assert "root:" not in pdf_text(content)
    assert set(fetcher.refused) >= {
        "http://127.0.0.1:5432/a.css",
        "file:///etc/passwd",
        "http://127.0.0.1:5432/",
    }
    assert fetcher.served == [PDF_BASE_URL + "static/css/affiliation-documents-pdf.css"]


def test_a_static_file_is_served_from_disk():
    fetcher = StaticOnlyURLFetcher()
    response = fetcher.fetch(PDF_BASE_URL + "static/css/affiliation-documents-pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
