"""Staff work the requests in the admin: who may read, who may act, and what acting does."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.groups import COUNTER_STAFF, REIMBURSEMENT_STAFF
from affiliation.models import AffiliationRequest, InsuredPerson
from affiliation.models.requests import COUNTER_STAFF_PERMISSIONS
from affiliation.rules.requests import Status
from affiliation.services import requests as services
from cpam_portal.models import AccessLog
from tests.accounts.factories import StaffFactory
from tests.affiliation.factories import InsuredPersonFactory, paris_fund
from tests.affiliation.factories_requests import AffiliationRequestFactory, submitted_request

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:affiliation_affiliationrequest_changelist")


@pytest.fixture(autouse=True)
def fund():
    return paris_fund()


def change_url(request):
    return reverse("admin:affiliation_affiliationrequest_change", args=[request.pk])


def action_url(request, action):
    return reverse("admin:affiliation_affiliationrequest_action", args=[request.pk, action])


def document_url(document):
    return reverse(
        "admin:affiliation_affiliationrequest_document",
        args=[document.request_id, document.public_id],
    )


def staff_in(group_name: str):
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    group = Group.objects.get(name=group_name)
    user.groups.add(group)
    return user


@pytest.fixture
def agent(client):
    """A counter agent (Agents d'accueil), logged in with a second factor."""
    user = staff_in(COUNTER_STAFF)
    client.force_login(user)
    return user


@pytest.fixture
def other_staff(client):
    """Staff of another service: in the back office, but not on affiliation requests."""
    user = staff_in(REIMBURSEMENT_STAFF)
    client.force_login(user)
    return user


def test_the_counter_staff_group_holds_the_request_permissions():
    codenames = set(
        Group.objects.get(name=COUNTER_STAFF).permissions.values_list("codename", flat=True)
    )
    assert set(COUNTER_STAFF_PERMISSIONS) <= codenames
    assert Permission.objects.filter(codename="review_affiliationrequest").exists()


def test_the_queue_lists_sent_requests_not_drafts(agent, client, django_assert_num_queries):
    sent = [submitted_request()]
    draft = AffiliationRequestFactory()
    client.get(LIST_URL)
    # Session, user, user session, MFA check, permissions, then the admin's counts and one page.
    with django_assert_num_queries(18):
        client.get(LIST_URL)
    sent += [submitted_request() for _ in range(3)]
    with django_assert_num_queries(18):  # flat in the number of rows
        response = client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert all(r.reference in page for r in sent)
    assert draft.reference not in page


def test_the_queue_filters_by_status_and_situation_and_searches_names(agent, client):
    student = submitted_request(last_name="Ferreira")
    employee = submitted_request(situation="employee", last_name="Okafor")
    services.take_in_review(employee.pk, agent)
    page = client.get(LIST_URL, {"status__exact": "in_review"}).content.decode()
    assert employee.reference in page and student.reference not in page
    page = client.get(LIST_URL, {"situation__exact": "student"}).content.decode()
    assert student.reference in page and employee.reference not in page
    page = client.get(LIST_URL, {"q": "ferreira"}).content.decode()
    assert student.reference in page and employee.reference not in page
    page = client.get(LIST_URL, {"q": employee.reference}).content.decode()
    assert employee.reference in page and student.reference not in page


def test_reading_a_request_is_traced_and_shows_documents_and_actions(agent, client):
    request = submitted_request()
    response = client.get(change_url(request))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Prendre en charge la demande" in page
    assert all(document_url(document) in page for document in request.documents.all())
    log = AccessLog.objects.get(user=agent, action="view")
    assert log.object_id == str(request.pk)


def test_downloading_a_document_is_traced(agent, client):
    request = submitted_request()
    document = request.documents.first()
    response = client.get(document_url(document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=agent, action="download", object_id=str(document.pk))


def test_a_document_of_another_request_is_a_404(agent, client):
    request = submitted_request()
    other = submitted_request()
    wrong = reverse(
        "admin:affiliation_affiliationrequest_document",
        args=[request.pk, other.documents.first().public_id],
    )
    assert client.get(wrong).status_code == 404


def test_the_agent_works_a_request_to_acceptance(agent, client, mailoutbox):
    request = submitted_request()
    response = client.post(action_url(request, "review"))
    assert response.status_code == 302
    response = client.post(action_url(request, "information"), {"message": ""})
    assert response.status_code == 200  # the message is required
    client.post(action_url(request, "information"), {"message": "RIB illisible"})
    request.refresh_from_db()
    assert request.status == Status.INFO_REQUESTED
    services.mark_completed(request.pk, request.applicant, on=datetime.date(2026, 3, 5))
    client.post(action_url(request, "review"))
    response = client.post(action_url(request, "accept"), {"nir": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.insured.number_kind == "nia"
    assert request.decided_by == agent


def test_the_agent_refuses_with_a_reason(agent, client):
    request = submitted_request()
    client.post(action_url(request, "review"))
    assert client.post(action_url(request, "refuse"), {"reason": " "}).status_code == 200
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    client.post(action_url(request, "refuse"), {"reason": "Pas de résidence en France"})
    request.refresh_from_db()
    assert (request.status, request.refusal_reason) == (
        Status.REFUSED,
        "Pas de résidence en France",
    )


def test_a_taken_nir_is_a_clear_error_and_nothing_changes(agent, client):
    owner = InsuredPersonFactory(sex="2", birth_date=datetime.date(2003, 4, 12))
    request = submitted_request()
    client.post(action_url(request, "review"))
    people = InsuredPerson.objects.count()
    response = client.post(action_url(request, "accept"), {"nir": owner.nir})
    assert response.status_code == 200
    assert "appartient déjà à un assuré" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    assert InsuredPerson.objects.count() == people


def test_an_action_not_allowed_from_the_status_changes_nothing(agent, client):
    request = submitted_request()
    response = client.post(action_url(request, "accept"), {"nir": ""}, follow=True)
    assert "pas possible" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("review", {}),
        ("information", {"message": "x"}),
        ("accept", {"nir": ""}),
        ("refuse", {"reason": "x"}),
    ],
)
def test_staff_without_the_group_cannot_act(other_staff, client, action, data):
    request = submitted_request()
    if action != "review":
        services.take_in_review(request.pk, StaffFactory())
    before = AffiliationRequest.objects.get(pk=request.pk).status
    assert client.post(action_url(request, action), data).status_code == 403
    assert AffiliationRequest.objects.get(pk=request.pk).status == before


def test_staff_without_the_group_cannot_read_requests_or_documents(other_staff, client):
    request = submitted_request()
    assert client.get(LIST_URL).status_code == 403
    assert client.get(change_url(request)).status_code == 403
    assert client.get(document_url(request.documents.first())).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_reader_without_the_review_permission_sees_no_action_and_cannot_act(client):
    reader = StaffFactory()
    TOTP.activate(reader, generate_totp_secret())
    reader.user_permissions.add(Permission.objects.get(codename="view_affiliationrequest"))
    client.force_login(reader)
    request = submitted_request()
    page = client.get(change_url(request)).content.decode()
    assert "Prendre en charge la demande" not in page
    assert client.post(action_url(request, "review")).status_code == 403
