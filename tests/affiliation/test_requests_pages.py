"""The applicant's pages: start, identity, documents, send, follow; nobody else's request."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from affiliation.models import AffiliationRequest, RequestDocument
from affiliation.rules.requests import Status
from affiliation.services import requests as services
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import nir_for, paris_fund
from tests.affiliation.factories_requests import (
    BRAZIL,
    HTML_PAGE,
    AffiliationRequestFactory,
    add_documents,
    pdf_bytes,
    submitted_request,
    upload,
)

pytestmark = pytest.mark.django_db
START_URL = reverse("affiliation:request_start")
# Every logged-in page: the session (read, then saved: SESSION_SAVE_EVERY_REQUEST), the user,
# allauth's user session (read, its user, activity update in a savepoint: 5 with the savepoint
# statements), the verified e-mail check, and one savepoint pair around the session save.
LOGGED_IN_QUERIES = 11


@pytest.fixture(autouse=True)
def fund():
    return paris_fund()


def url(name, request, *args):
    return reverse(f"affiliation:{name}", args=[request.reference, *args])


def text_of(response) -> str:
    return html_module.unescape(response.content.decode())


def assert_csp_friendly(html):
    assert 'style="' not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag, tag


IDENTITY = {
    "situation": "student",
    "last_name": "Silva",
    "birth_name": "",
    "first_names": "Ana Clara",
    "sex": "2",
    "birth_date": "2003-04-12",
    "birth_country": BRAZIL,
    "birth_place": "São Paulo",
    "nationality": BRAZIL,
    "nir": "",
    "holder_nir": "",
    "relationship": "",
    "address_line_1": "5 rue des Écoles",
    "address_line_2": "",
    "postcode": "75005",
    "city": "PARIS",
    "phone": "0612345678",
    "email": "ana@exemple.fr",
}


# --- Who gets in --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(START_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_account_with_an_unverified_email_cannot_file_a_request(client):
    client.force_login(UserFactory(verified_email=False))
    response = client.post(START_URL, {"situation": "student"})
    assert not AffiliationRequest.objects.exists()
    assert "account/verified_email_required.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    "name",
    ["request_detail", "request_identity"],
)
def test_another_persons_request_is_a_404(client, name):
    request = AffiliationRequestFactory()
    client.force_login(UserFactory())
    assert client.get(url(name, request)).status_code == 404


@pytest.mark.parametrize("name", ["request_upload", "request_submit", "request_complete"])
def test_another_person_cannot_act_on_a_request(client, name):
    request = AffiliationRequestFactory()
    add_documents(request)
    client.force_login(UserFactory())
    assert client.post(url(name, request)).status_code == 404
    request.refresh_from_db()
    assert request.status == Status.DRAFT


def test_another_persons_document_is_a_404_even_with_its_id(client):
    request = AffiliationRequestFactory()
    (document,) = add_documents(request, ["identity"])
    intruder_request = AffiliationRequestFactory()
    client.force_login(intruder_request.applicant)
    # Their own reference with someone else's document id, and the other way round.
    assert (
        client.get(url("request_document", intruder_request, document.public_id)).status_code == 404
    )
    assert client.get(url("request_document", request, document.public_id)).status_code == 404
    assert (
        client.post(url("request_document_delete", request, document.public_id)).status_code == 404
    )
    assert RequestDocument.objects.filter(pk=document.pk).exists()


# --- Start --------------------------------------------------------------------------------------


def test_choosing_a_situation_shows_its_checklist(client, django_assert_num_queries):
    client.force_login(UserFactory())
    client.get(START_URL)  # the first page after login records the user session
    with django_assert_num_queries(LOGGED_IN_QUERIES + 1):  # the latest request
        response = client.get(START_URL, {"situation": "student"})
    page = text_of(response)
    assert "certificat de scolarité" in page
    assert "titre de séjour" in page and "si vous n'avez pas la nationalité" in page
    assert "bulletin de salaire" not in page
    assert_csp_friendly(page)

    employee = text_of(client.get(START_URL, {"situation": "employee"}))
    assert "bulletin de salaire" in employee and "certificat de scolarité" not in employee


def test_an_unknown_situation_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post(START_URL, {"situation": "astronaut"})
    assert response.status_code == 200
    assert "Erreur" in text_of(response)
    assert not AffiliationRequest.objects.exists()


def test_starting_twice_opens_one_request(client):
    user = UserFactory()
    client.force_login(user)
    first = client.post(START_URL, {"situation": "student"})
    second = client.post(START_URL, {"situation": "student"})  # double click
    request = AffiliationRequest.objects.get(applicant=user)
    assert first["Location"] == url("request_identity", request)
    assert second["Location"] == url("request_detail", request)


def test_the_language_of_the_page_is_kept_for_the_emails(client):
    client.force_login(UserFactory())
    client.post(START_URL, {"situation": "talent"}, HTTP_ACCEPT_LANGUAGE="en")
    assert AffiliationRequest.objects.get().language == "en"


# --- Identity -----------------------------------------------------------------------------------


def test_the_identity_form_saves_a_complete_identity(client):
    request = AffiliationRequestFactory(last_name="", birth_date=None, birth_country="")
    client.force_login(request.applicant)
    response = client.post(url("request_identity", request), IDENTITY)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.has_identity
    assert (request.last_name, request.birth_country, request.postcode) == (
        "Silva",
        BRAZIL,
        "75005",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "00000"}, "postcode", "Aucune caisse"),
        ({"nir": "123"}, "nir", "15 caractères"),
        (
            {"nir": nir_for("1", datetime.date(2003, 4, 12), department="99")},
            "nir",
            "ne correspond pas au sexe",
        ),
        ({"birth_date": "2999-01-01"}, "birth_date", "futur"),
        ({"situation": "dependant"}, "holder_nir", "dont vous dépendez"),
        ({"last_name": ""}, "last_name", "obligatoire"),
    ],
)
def test_bad_identity_input_is_named_and_nothing_is_saved(client, changes, field, message):
    request = AffiliationRequestFactory(last_name="Avant")
    client.force_login(request.applicant)
    response = client.post(url("request_identity", request), {**IDENTITY, **changes})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()  # the error summary links it
    request.refresh_from_db()
    assert request.last_name == "Avant"


def test_identity_cannot_be_changed_while_the_fund_reads_the_request(client):
    request = submitted_request()
    client.force_login(request.applicant)
    response = client.post(url("request_identity", request), {**IDENTITY, "last_name": "Autre"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.last_name != "Autre"


# --- Documents ----------------------------------------------------------------------------------


def test_uploading_a_document_stores_it_and_lists_it(client):
    request = AffiliationRequestFactory()
    client.force_login(request.applicant)
    response = client.post(
        url("request_upload", request),
        {"kind": "identity", "file": upload("passeport.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    document = request.documents.get()
    assert (document.kind, document.original_name) == ("identity", "passeport.pdf")
    assert "passeport.pdf" in text_of(client.get(url("request_detail", request)))


def test_a_refused_upload_says_why_and_stores_nothing(client):
    request = AffiliationRequestFactory()
    client.force_login(request.applicant)
    response = client.post(
        url("request_upload", request),
        {"kind": "identity", "file": upload("facture.pdf", HTML_PAGE)},
    )
    assert response.status_code == 200
    assert "Ce type de fichier n'est pas accepté" in text_of(response)
    assert not RequestDocument.objects.exists()


def test_a_kind_outside_the_situations_checklist_is_refused(client):
    request = AffiliationRequestFactory()  # a student
    client.force_login(request.applicant)
    response = client.post(
        url("request_upload", request),
        {"kind": "pension_proof", "file": upload("pension.pdf", pdf_bytes())},
    )
    assert response.status_code == 200
    assert not RequestDocument.objects.exists()


def test_the_applicant_downloads_their_document_as_an_attachment(client):
    request = AffiliationRequestFactory()
    (document,) = add_documents(request, ["identity"])
    RequestDocument.objects.filter(pk=document.pk).update(original_name='pass"port\r\n.pdf')
    client.force_login(request.applicant)
    response = client.get(url("request_document", request, document.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- Send and follow ----------------------------------------------------------------------------


def test_the_detail_page_lists_what_is_missing_until_it_can_be_sent(
    client, django_assert_num_queries
):
    request = AffiliationRequestFactory()
    add_documents(request, ["identity", "bank_details"])
    client.force_login(request.applicant)
    client.get(url("request_detail", request))
    # the request, its documents, its events, the kinds provided (for what is missing)
    with django_assert_num_queries(LOGGED_IN_QUERIES + 4):
        response = client.get(url("request_detail", request))
    page = text_of(response)
    assert "Il manque encore" in page and "titre de séjour" in page
    assert "Envoyer ma demande" not in page
    assert_csp_friendly(page)


def test_sending_a_complete_request_twice_sends_it_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    request = AffiliationRequestFactory()
    add_documents(request)
    client.force_login(request.applicant)
    assert "Envoyer ma demande" in text_of(client.get(url("request_detail", request)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("request_submit", request))
        response = client.post(url("request_submit", request), follow=True)
    assert "déjà été envoyée" in text_of(response)
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert request.events.count() == 1
    assert len(mailoutbox) == 1


def test_the_applicant_sees_status_estimate_and_history(client, django_assert_num_queries):
    request = submitted_request()
    staff = StaffFactory()
    services.take_in_review(request.pk, staff)
    services.request_information(request.pk, staff, message="Votre RIB est illisible.")
    client.force_login(request.applicant)
    client.get(url("request_detail", request))
    # the request, its documents, its events
    with django_assert_num_queries(LOGGED_IN_QUERIES + 3):
        response = client.get(url("request_detail", request))
    page = text_of(response)
    assert "informations demandées" in page
    assert "Votre RIB est illisible." in page
    assert "J'ai complété ma demande" in page
    assert "Ajouter un document" in page
    assert staff.email not in page  # the applicant sees "la caisse", not who


def test_answering_a_request_for_information(client):
    request = submitted_request()
    staff = StaffFactory()
    services.take_in_review(request.pk, staff)
    services.request_information(request.pk, staff, message="RIB ?")
    client.force_login(request.applicant)
    client.post(
        url("request_upload", request),
        {"kind": "bank_details", "file": upload("rib.pdf", pdf_bytes())},
    )
    client.post(url("request_complete", request), {"message": "Voici le RIB."})
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert request.documents.filter(kind="bank_details").count() == 2
    assert request.events.last().message == "Voici le RIB."


def test_with_an_open_request_the_start_page_leads_to_it(client):
    request = AffiliationRequestFactory()
    client.force_login(request.applicant)
    response = client.get(START_URL)
    assert response["Location"] == url("request_detail", request)


def test_a_document_over_the_in_memory_limit_goes_through_a_temporary_file(client, settings):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django spools the upload to a temporary file.
    content = pdf_bytes()
    content += b"\n" * (3 * 1024 * 1024 - len(content))
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    request = AffiliationRequestFactory()
    client.force_login(request.applicant)
    response = client.post(
        url("request_upload", request),
        {"kind": "identity", "file": upload("scan-3mo.pdf", content)},
    )
    assert response.status_code == 302
    assert request.documents.get().size == len(content)


def test_a_document_over_10_mb_is_refused_by_the_page(client):
    request = AffiliationRequestFactory()
    client.force_login(request.applicant)
    content = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    response = client.post(
        url("request_upload", request),
        {"kind": "identity", "file": upload("enorme.pdf", content)},
    )
    assert "dépasse la taille maximale de 10" in text_of(response)
    assert not RequestDocument.objects.exists()
