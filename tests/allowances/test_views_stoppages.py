"""The insured person's pages: declare, extend, send salaries, follow payments, get the
attestation; another person's stoppage, scan or attestation is a 404; query counts are flat."""

import datetime
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from affiliation.models import IssuedDocument
from affiliation.rules.documents import holder_initials
from allowances.models import SalaryAttestation, StoppageNotice, WorkStoppage
from allowances.services import payments
from tests.affiliation.factories_documents import pdf_text
from tests.allowances.factories import (
    VALID_RPPS,
    VALID_SIRET,
    WorkStoppageFactory,
    accepted_stoppage,
    insured_with_account,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def person():
    return insured_with_account()


@pytest.fixture
def logged_in(client, person):
    client.force_login(person.user)
    return client


def png(name="avis.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def declaration(**overrides):
    return {
        "kind": "sickness",
        "start_date": "2026-11-02",
        "end_date": "2026-11-20",
        "prescribed_on": "2026-11-02",
        "prescriber_name": "Dr Claire Moreau",
        "prescriber_rpps": VALID_RPPS,
        "employer_name": "Boulangerie Dupont",
        "employer_siret": VALID_SIRET,
        "scan": png(),
        **overrides,
    }


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["allowances:stoppages", "allowances:declare", "allowances:payment_attestation"]
)
def test_pages_ask_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_an_account_without_a_file_is_told_to_link_it(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("allowances:stoppages"))
    assert "Aucun dossier relié" in response.content.decode()


def test_another_person_s_stoppage_notice_and_forms_are_404(logged_in):
    other = WorkStoppageFactory(person=insured_with_account())
    notice = other.notices.get()
    for url in [
        reverse("allowances:stoppage", args=[other.public_id]),
        reverse("allowances:extend", args=[other.public_id]),
        reverse("allowances:salaries", args=[other.public_id]),
        reverse("allowances:notice_scan", args=[other.public_id, notice.public_id]),
    ]:
        assert logged_in.get(url).status_code == 404, url
    post = logged_in.post(
        reverse("allowances:extend", args=[other.public_id]), declaration(start_date="2026-03-16")
    )
    assert post.status_code == 404
    assert other.notices.count() == 1


def test_another_person_s_payment_attestation_is_404(logged_in, person):
    other = insured_with_account()
    accepted_stoppage(person=other, start_date=date(2026, 9, 1), end_date=date(2026, 9, 30))
    payments.pay_due_allowances(on=date(2026, 11, 1))
    from allowances.services.attestations import AttestationPeriod, issue_payment_attestation

    document = issue_payment_attestation(
        other,
        AttestationPeriod(date(2026, 1, 1), date(2026, 11, 23)),
        language="fr",
        on=date(2026, 11, 23),
        now=NOW,
    )
    response = logged_in.get(reverse("affiliation:download_document", args=[document.pk]))
    assert response.status_code == 404
    page = logged_in.get(reverse("allowances:stoppages")).content.decode()
    assert "Boulangerie" not in page


# --- Declaring ----------------------------------------------------------------------------------


def test_declaring_a_stoppage_with_its_scan_then_the_salaries(logged_in, person):
    response = logged_in.post(reverse("allowances:declare"), declaration())

    stoppage = WorkStoppage.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("allowances:salaries", args=[stoppage.public_id])
    assert stoppage.notices.get().original_name == "avis.png"

    form = logged_in.get(response["Location"]).content.decode()
    assert "Salaire brut d’août 2026" in form or "Salaire brut de août 2026" in form
    response = logged_in.post(
        reverse("allowances:salaries", args=[stoppage.public_id]),
        {
            "gross_2026_08": "2000,00",
            "hours_2026_08": "151,67",
            "gross_2026_09": "2000,00",
            "hours_2026_09": "151,67",
            "gross_2026_10": "2100,00",
            "hours_2026_10": "151,67",
            "document": png("salaires.png"),
        },
    )
    assert response.status_code == 302
    attestation = SalaryAttestation.objects.get(stoppage=stoppage)
    assert attestation.status == SalaryAttestation.Status.RECEIVED
    assert [m.gross_amount for m in attestation.months.all()] == [
        Decimal("2000.00"),
        Decimal("2000.00"),
        Decimal("2100.00"),
    ]

    own_scan = logged_in.get(
        reverse(
            "allowances:notice_scan", args=[stoppage.public_id, stoppage.notices.get().public_id]
        )
    )
    assert own_scan.status_code == 200
    assert own_scan.content.startswith(b"\x89PNG")
    assert own_scan["Cache-Control"].startswith("private, no-store")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"end_date": "2026-11-01"},
            "Le dernier jour d&#x27;arrêt ne peut pas précéder le premier.",
        ),
        ({"start_date": "2016-12-30", "end_date": "2017-01-02"}, "ne sont pas tenues"),
        ({"employer_siret": "73282932000075"}, "Ce numéro SIRET n&#x27;existe pas"),
        ({"employer_siret": "1234"}, "Le numéro SIRET compte 14 chiffres"),
        ({"prescriber_rpps": "10000000008"}, "Ce numéro RPPS n&#x27;existe pas"),
        ({"scan": SimpleUploadedFile("avis.pdf", b"not a pdf")}, "type de fichier"),
    ],
)
def test_bad_declarations_show_the_error_and_save_nothing(logged_in, person, overrides, message):
    response = logged_in.post(reverse("allowances:declare"), declaration(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkStoppage.objects.exists()


def test_an_overlapping_declaration_names_the_stoppage_it_meets(logged_in, person):
    WorkStoppageFactory(person=person, start_date=date(2026, 11, 10), end_date=date(2026, 11, 30))
    response = logged_in.post(reverse("allowances:declare"), declaration())
    assert "chevauchent un arrêt déjà déclaré (du 10/11/2026 au 30/11/2026)" in (
        response.content.decode()
    )
    assert WorkStoppage.objects.count() == 1


def test_negative_salaries_are_refused_with_the_month_named(logged_in, person):
    stoppage = WorkStoppageFactory(
        person=person, start_date=date(2026, 11, 2), end_date=date(2026, 11, 20)
    )
    response = logged_in.post(
        reverse("allowances:salaries", args=[stoppage.public_id]),
        {
            "gross_2026_08": "-10",
            "hours_2026_08": "151",
            "gross_2026_09": "",
            "hours_2026_09": "151",
            "gross_2026_10": "2000",
            "hours_2026_10": "151",
            "document": png(),
        },
    )
    page = response.content.decode()
    assert "ne peut pas être négatif" in page
    assert "Indiquez le salaire brut de septembre 2026." in page
    assert not SalaryAttestation.objects.exists()


def test_an_extension_must_start_the_day_after(logged_in, person):
    stoppage = WorkStoppageFactory(
        person=person, start_date=date(2026, 11, 2), end_date=date(2026, 11, 10)
    )
    url = reverse("allowances:extend", args=[stoppage.public_id])
    assert 'value="2026-11-11"' in logged_in.get(url).content.decode()

    response = logged_in.post(url, declaration(start_date="2026-11-12", end_date="2026-11-20"))
    assert "commence le lendemain" in response.content.decode()
    assert "11/11/2026" in response.content.decode()

    response = logged_in.post(url, declaration(start_date="2026-11-11", end_date="2026-11-20"))
    assert response.status_code == 302
    assert stoppage.notices.filter(sequence=1, status=StoppageNotice.Status.PENDING).exists()


# --- Following a stoppage -----------------------------------------------------------------------


def test_the_stoppage_page_shows_amount_explanation_and_payments(logged_in, person):
    stoppage = accepted_stoppage(
        person=person, start_date=date(2026, 9, 1), end_date=date(2026, 9, 30)
    )
    payments.pay_due_allowances(on=date(2026, 11, 1))

    page = logged_in.get(reverse("allowances:stoppage", args=[stoppage.public_id])).content.decode()

    assert f"{stoppage.daily_amount} €" in page
    assert "Comment votre indemnité est calculée" in page
    assert "91,25" in page or "91.25" in page  # the SJB rule, in words, from the engine's text
    assert "du 04/09/2026 au 17/09/2026" in page
    assert "Jours de carence" in page


def make_history(person, count: int) -> None:
    for index in range(count):
        start = date(2026, 1, 5) + datetime.timedelta(days=30 * index)
        accepted_stoppage(
            person=person, start_date=start, end_date=start + datetime.timedelta(days=20)
        )
    payments.pay_due_allowances(on=date(2026, 11, 1))


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_costs_the_same_queries_whatever_the_number_of_rows(
    logged_in, person, django_assert_num_queries, count
):
    make_history(person, count)
    # Framework (session, user, usersessions tracking: 8; session save: 3) + person, stoppages,
    # payments with their stoppage.
    with django_assert_num_queries(14):
        response = logged_in.get(reverse("allowances:stoppages"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_stoppage_page_costs_the_same_queries_whatever_its_payments(
    logged_in, person, django_assert_num_queries, count
):
    stoppage = accepted_stoppage(
        person=person,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 1, 5) + datetime.timedelta(days=14 * count + 2),
    )
    payments.pay_due_allowances(on=date(2026, 11, 1))
    assert stoppage.payments.count() == count
    # Framework (11) + stoppage, notices, attestations, their months, payments.
    with django_assert_num_queries(16):
        response = logged_in.get(reverse("allowances:stoppage", args=[stoppage.public_id]))
    assert response.status_code == 200


# --- The payment attestation --------------------------------------------------------------------


def paid_person(person):
    accepted_stoppage(person=person, start_date=date(2026, 9, 1), end_date=date(2026, 9, 30))
    payments.pay_due_allowances(on=date(2026, 11, 1))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Attestation de paiement des indemnités journalières",
                "du 04/09/2026 au 17/09/2026 14 {daily:,} € {period:,} €",
                "Total versé : {total:,} € (27 jours indemnisés)",
            ],
        ),
        (
            "en",
            [
                "Certificate of daily allowance payments",
                "from 04/09/2026 to 17/09/2026 14 €{daily} €{period}",
                "Total paid: €{total} (27 days)",
            ],
        ),
    ],
)
def test_the_attestation_lists_the_payments_and_carries_a_verifiable_code(
    logged_in, person, client, language, expected
):
    paid_person(person)
    response = logged_in.post(
        reverse("allowances:payment_attestation"),
        {"first_day": "2026-01-01", "last_day": "2026-11-23", "language": language},
    )
    assert response.status_code == 302
    document = IssuedDocument.objects.get(requested_by=person)
    assert document.kind == IssuedDocument.Kind.ALLOWANCE_PAYMENT_ATTESTATION

    download = logged_in.get(reverse("affiliation:download_document", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "attestation-paiement-ij" in download["Content-Disposition"]
    text = pdf_text(download.content)
    daily = WorkStoppage.objects.get(person=person).daily_amount
    figures = {"daily": daily, "period": daily * 14, "total": daily * 27}
    for fact in expected:
        if language == "fr":  # French writes 32,87 where English writes 32.87
            fact = fact.replace("{daily:,}", str(figures["daily"]).replace(".", ","))
            fact = fact.replace("{period:,}", str(figures["period"]).replace(".", ","))
            fact = fact.replace("{total:,}", str(figures["total"]).replace(".", ","))
        assert fact.format(**figures) in text
    assert person.last_name.upper() in text

    listing = logged_in.get(reverse("allowances:payment_attestation")).content.decode()
    assert reverse("affiliation:download_document", args=[document.pk]) in listing


def test_the_code_of_the_attestation_is_checked_on_the_verification_page(client, person):
    paid_person(person)
    from allowances.services.attestations import AttestationPeriod, issue_payment_attestation

    document = issue_payment_attestation(
        person,
        AttestationPeriod(date(2026, 1, 1), date(2026, 11, 23)),
        language="fr",
        on=date(2026, 11, 23),
        now=NOW,
    )
    response = client.post(reverse("affiliation:verify"), {"code": document.printed_code})
    page = response.content.decode()
    assert "Document authentique et valable" in page
    assert "Attestation de paiement des indemnités journalières" in page
    assert holder_initials(person.first_names, person.last_name) in page


def test_no_attestation_without_a_payment_in_the_period(logged_in, person):
    paid_person(person)
    response = logged_in.post(
        reverse("allowances:payment_attestation"),
        {"first_day": "2026-01-01", "last_day": "2026-06-30", "language": "fr"},
    )
    assert "Aucun paiement d&#x27;indemnités journalières sur cette période." in (
        response.content.decode()
    )
    assert not IssuedDocument.objects.exists()
