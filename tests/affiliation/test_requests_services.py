"""The request use cases: start, documents, send, staff steps, acceptance into an insured file."""

import datetime

import pytest
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from affiliation.models import (
    ActivationCode,
    AffiliationRequest,
    Beneficiary,
    CoveragePeriod,
    InsuredPerson,
    RequestDocument,
    RequestEvent,
)
from affiliation.rules.nir import NumberKind, parse_nir, temporary_number
from affiliation.rules.requests import DocumentKind, Situation, Status
from affiliation.services import requests as services
from cpam_portal.uploads import check_upload
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory, nir_for, paris_fund
from tests.affiliation.factories_requests import (
    FRANCE,
    ITALY,
    AffiliationRequestFactory,
    add_documents,
    jpeg_bytes,
    pdf_bytes,
    submitted_request,
    upload,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fund():
    return paris_fund()


@pytest.fixture
def staff():
    return StaffFactory()


def in_review(staff, **kwargs) -> AffiliationRequest:
    request = submitted_request(**kwargs)
    services.take_in_review(request.pk, staff)
    request.refresh_from_db()
    return request


def statuses(request) -> list[tuple[str, str]]:
    return list(request.events.values_list("from_status", "to_status"))


# --- Start and send -----------------------------------------------------------------------------


def test_starting_twice_gives_back_the_open_request():
    user = UserFactory()
    first = services.start_request(user, Situation.STUDENT, language="en")
    with pytest.raises(services.AlreadyOpen) as caught:
        services.start_request(user, Situation.EMPLOYEE, language="fr")
    assert caught.value.existing == first
    assert AffiliationRequest.objects.filter(applicant=user).count() == 1
    assert first.reference.startswith("AFF-") and first.language == "en"
    assert first.email == user.email


def test_the_database_refuses_a_second_open_request_for_one_account():
    request = AffiliationRequestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AffiliationRequestFactory(applicant=request.applicant, status=Status.SUBMITTED)


def test_after_a_refusal_the_applicant_may_file_again(staff):
    request = in_review(staff)
    services.refuse_request(request.pk, staff, reason="Résidence non justifiée")
    again = services.start_request(request.applicant, Situation.STUDENT, language="fr")
    assert again.pk != request.pk


def test_a_request_is_sent_once_with_its_estimate_and_one_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    request = AffiliationRequestFactory()
    add_documents(request)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_request(request.pk, request.applicant, on=ON)
    with (
        pytest.raises(services.RequestActionError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.submit_request(request.pk, request.applicant, on=ON)  # double click
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert request.estimated_decision_on == datetime.date(2026, 3, 23)
    assert statuses(request) == [("draft", "submitted")]
    assert len(mailoutbox) == 1
    assert request.reference in mailoutbox[0].subject
    assert f"/demande-affiliation/{request.reference}/" in mailoutbox[0].body
    assert "23 mars 2026" in mailoutbox[0].body


def test_a_request_cannot_be_sent_without_its_required_documents():
    request = AffiliationRequestFactory()
    add_documents(request, [DocumentKind.IDENTITY, DocumentKind.BANK_DETAILS])
    with pytest.raises(services.RequestActionError) as caught:
        services.submit_request(request.pk, request.applicant, on=ON)
    assert "titre de séjour" in str(caught.value.message)
    assert "certificat de scolarité" in str(caught.value.message)
    request.refresh_from_db()
    assert request.status == Status.DRAFT


def test_a_request_cannot_be_sent_without_an_identity():
    request = AffiliationRequestFactory(birth_date=None)
    add_documents(request)
    with pytest.raises(services.RequestActionError):
        services.submit_request(request.pk, request.applicant, on=ON)


def test_someone_else_cannot_send_a_request():
    request = AffiliationRequestFactory()
    add_documents(request)
    with pytest.raises(AffiliationRequest.DoesNotExist):
        services.submit_request(request.pk, UserFactory(), on=ON)


# --- Documents ----------------------------------------------------------------------------------


def test_a_document_is_stored_under_a_generated_name_in_private_storage():
    request = AffiliationRequestFactory()
    checked = check_upload(upload("../../Mon passeport.jpg", jpeg_bytes(gps=True), "image/jpeg"))
    document = services.add_document(request, DocumentKind.IDENTITY, checked, by=request.applicant)
    assert "passeport" not in document.stored_name.lower()
    assert document.stored_name.startswith(f"affiliation/requests/{request.pk}/")
    assert document.stored_name.endswith(".jpg")
    assert document.original_name == "Mon passeport.jpg"
    with storages["private"].open(document.stored_name) as stored:
        assert stored.read() == checked.content


def test_no_document_can_be_added_while_the_fund_reads_the_request(staff):
    request = in_review(staff)
    checked = check_upload(upload("rib.pdf", pdf_bytes()))
    with pytest.raises(services.RequestActionError):
        services.add_document(request, DocumentKind.OTHER, checked, by=request.applicant)
    assert request.documents.count() == 6


def test_a_draft_document_can_be_taken_back_but_not_a_sent_one(
    staff, django_capture_on_commit_callbacks
):
    draft = AffiliationRequestFactory()
    (document,) = add_documents(draft, [DocumentKind.OTHER])
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_document(document)
    assert not RequestDocument.objects.filter(pk=document.pk).exists()
    assert not storages["private"].exists(document.stored_name)

    sent = submitted_request()
    with pytest.raises(services.RequestActionError):
        services.remove_document(sent.documents.first())


# --- Staff steps and e-mails --------------------------------------------------------------------


def test_each_step_is_logged_and_mailed_in_the_applicants_language(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    request = AffiliationRequestFactory(language="en")
    add_documents(request)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_request(request.pk, request.applicant, on=ON)
        services.take_in_review(request.pk, staff)
        services.request_information(request.pk, staff, message="Please send your RIB.")
        services.mark_completed(request.pk, request.applicant, on=ON, message="Done")
        services.take_in_review(request.pk, staff)
        services.refuse_request(request.pk, staff, reason="Not resident")
    request.refresh_from_db()
    assert statuses(request) == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "info_requested"),
        ("info_requested", "completed"),
        ("completed", "in_review"),
        ("in_review", "refused"),
    ]
    assert request.refusal_reason == "Not resident"
    assert request.decided_by == staff
    # sent, in review twice, information, refusal; the applicant's own answer is not mailed.
    assert len(mailoutbox) == 5
    assert all(request.reference in mail.subject for mail in mailoutbox)
    assert all(mail.to == [request.applicant.email] for mail in mailoutbox)
    assert "23 March 2026" in mailoutbox[0].body  # rendered in English (Django's month names)
    assert "Not resident" not in "".join(mail.body for mail in mailoutbox)


def test_an_answer_restarts_the_estimate_from_its_day(staff):
    request = in_review(staff)
    services.request_information(request.pk, staff, message="RIB illisible")
    services.mark_completed(request.pk, request.applicant, on=datetime.date(2026, 6, 1))
    request.refresh_from_db()
    assert request.estimated_decision_on == datetime.date(2026, 6, 22)


def test_staff_cannot_ask_for_information_without_a_message_nor_refuse_without_a_reason(staff):
    request = in_review(staff)
    with pytest.raises(services.RequestActionError):
        services.request_information(request.pk, staff, message="  ")
    with pytest.raises(services.RequestActionError):
        services.refuse_request(request.pk, staff, reason="")
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW


def test_staff_cannot_accept_a_request_they_have_not_taken_in_review(staff):
    request = submitted_request()
    with pytest.raises(services.RequestActionError):
        services.accept_request(request.pk, staff, on=ON)
    assert not InsuredPerson.objects.exists()


# --- Acceptance ---------------------------------------------------------------------------------


def test_accepting_a_student_born_abroad_without_a_nir_creates_a_file_with_a_nia(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    request = in_review(staff)
    with django_capture_on_commit_callbacks(execute=True):
        person = services.accept_request(request.pk, staff, on=ON)
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED and request.insured == person
    assert person.number_kind == NumberKind.NIA
    assert person.nir == temporary_number(
        sex="2", birth_date=datetime.date(2003, 4, 12), country_code="416", order=1
    )
    parse_nir(person.nir)
    assert person.fund.department_code == "75"
    assert person.email == request.email
    assert Beneficiary.objects.get(holder=person).rank == 1
    period = CoveragePeriod.objects.get(person=person)
    assert (period.basis, period.valid_from, period.valid_until) == ("study", ON, None)
    accepted, code_mail = mailoutbox[-2:]
    assert "acceptée" in accepted.subject
    # The code that links the applicant's account to the new file, sent to the same address.
    assert "code d'activation" in code_mail.subject and code_mail.to == [request.email]
    assert ActivationCode.objects.get(person=person).used_at is None


def test_the_nia_order_is_the_smallest_unused_for_its_prefix(staff):
    birth_date = datetime.date(2003, 4, 12)
    for order in (1, 3):
        InsuredPersonFactory(
            sex="2",
            birth_date=birth_date,
            nir=temporary_number(sex="2", birth_date=birth_date, country_code="416", order=order),
            number_kind="nia",
        )
    request = in_review(staff)
    person = services.accept_request(request.pk, staff, on=ON)
    assert person.nir[10:13] == "002"


def test_accepting_with_the_applicants_nir_uses_it(staff):
    nir = nir_for("2", datetime.date(2003, 4, 12), department="99", serial=127)
    request = in_review(staff, nir=nir, birth_country=ITALY, nationality=ITALY)
    person = services.accept_request(request.pk, staff, on=ON)
    assert (person.nir, person.number_kind) == (nir, NumberKind.NIR)


def test_a_nir_that_belongs_to_someone_fails_and_changes_nothing(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    owner = InsuredPersonFactory(sex="2", birth_date=datetime.date(2003, 4, 12))
    request = in_review(staff, nir=owner.nir)
    people_before = InsuredPerson.objects.count()
    with (
        pytest.raises(services.RequestActionError) as caught,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.accept_request(request.pk, staff, on=ON)
    assert "appartient déjà" in str(caught.value.message)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW and request.insured is None
    assert InsuredPerson.objects.count() == people_before
    assert RequestEvent.objects.filter(request=request, to_status="accepted").count() == 0
    assert mailoutbox == []


def test_a_failure_after_the_file_was_written_rolls_everything_back(staff, monkeypatch):
    request = in_review(staff)

    def broken_move(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_move", broken_move)
    with pytest.raises(RuntimeError):
        services.accept_request(request.pk, staff, on=ON)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    assert not InsuredPerson.objects.exists()
    assert not Beneficiary.objects.exists() and not CoveragePeriod.objects.exists()


def test_a_request_whose_identity_is_incomplete_cannot_be_accepted(staff):
    request = in_review(staff)
    AffiliationRequest.objects.filter(pk=request.pk).update(birth_date=None)
    with pytest.raises(services.RequestActionError) as caught:
        services.accept_request(request.pk, staff, on=ON)
    assert "incomplète" in str(caught.value.message)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW and request.insured is None
    assert not InsuredPerson.objects.exists()


def test_a_person_born_in_france_without_a_nir_cannot_get_a_nia(staff):
    request = in_review(staff, birth_country=FRANCE, nationality=FRANCE, birth_place="Lyon")
    with pytest.raises(services.RequestActionError) as caught:
        services.accept_request(request.pk, staff, on=ON)
    assert "née en France" in str(caught.value.message)
    nir = nir_for("2", datetime.date(2003, 4, 12), department="69")
    person = services.accept_request(request.pk, staff, on=ON, nir=nir)
    assert person.nir == nir


def test_a_nir_typed_by_staff_must_match_the_identity(staff):
    request = in_review(staff)
    wrong = nir_for("1", datetime.date(1990, 1, 1))
    with pytest.raises(services.RequestActionError):
        services.accept_request(request.pk, staff, on=ON, nir=wrong)
    assert not InsuredPerson.objects.exists()


def test_a_dependant_is_put_on_the_insured_persons_file(staff):
    holder = InsuredPersonFactory()
    request = in_review(
        staff,
        situation=Situation.DEPENDANT,
        holder_nir=holder.nir,
        relationship="spouse",
    )
    person = services.accept_request(request.pk, staff, on=ON)
    entry = Beneficiary.objects.get(holder=holder, person=person)
    assert (entry.rank, entry.relationship) == (2, "spouse")
    assert person.number_kind == NumberKind.NIA
    assert person.fund is None
    assert CoveragePeriod.objects.get(person=person).basis == "dependant"


def test_a_dependant_of_an_unknown_insured_person_fails_and_changes_nothing(staff):
    request = in_review(
        staff,
        situation=Situation.DEPENDANT,
        holder_nir=nir_for("1", datetime.date(1980, 5, 5)),
        relationship="spouse",
    )
    with pytest.raises(services.RequestActionError):
        services.accept_request(request.pk, staff, on=ON)
    assert not InsuredPerson.objects.exists()
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
