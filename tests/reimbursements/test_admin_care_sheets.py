"""Back office of reimbursements: the review queue, the scan, keying a sheet, statements."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from cpam_portal.models import AccessLog
from reimbursements.admin.care_sheets import QUEUE_QUERY
from reimbursements.models import CareSheet
from reimbursements.permissions import COUNTER_STAFF_PERMISSIONS
from tests.affiliation.factories_requests import pdf_bytes, upload
from tests.reimbursements.factories import rpps, rules_from_files  # noqa: F401 (fixture)
from tests.reimbursements.factories_account import (
    counter_agent,
    dependant_of,
    holder_with_account,
    paid_sheet,
    sheet_in_state,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:reimbursements_caresheet_changelist")
ADD_URL = reverse("admin:reimbursements_caresheet_add")


def change_url(sheet) -> str:
    return reverse("admin:reimbursements_caresheet_change", args=[sheet.pk])


@pytest.fixture
def agent(client):
    user = counter_agent()
    client.force_login(user)
    return user


def sheet_with_scan(holder=None, status=CareSheet.Status.IN_REVIEW):
    name = storages["private"].save("reimbursements/scans/test.pdf", ContentFile(pdf_bytes()))
    return sheet_in_state(holder or holder_with_account(), status=status, scan_name=name)


def test_every_counter_staff_codename_exists():
    found = set(
        Permission.objects.filter(
            content_type__app_label="reimbursements", codename__in=COUNTER_STAFF_PERMISSIONS
        ).values_list("codename", flat=True)
    )
    assert found == set(COUNTER_STAFF_PERMISSIONS)


def test_the_queue_lists_sheets_to_check_oldest_first(agent, client):
    first = sheet_with_scan()
    second = sheet_with_scan()
    received = sheet_in_state(holder_with_account())
    response = client.get(LIST_URL + "?" + QUEUE_QUERY)
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [first, second]
    assert received not in listed
    assert "File de vérification : 2 feuilles" in client.get(LIST_URL).content.decode()


def test_the_list_filters_by_status_and_date(agent, client):
    rejected = sheet_in_state(holder_with_account(), status=CareSheet.Status.REJECTED, code="R02")
    sheet_in_state(holder_with_account())
    response = client.get(LIST_URL, {"status__exact": "rejected"})
    assert list(response.context["cl"].result_list) == [rejected]
    response = client.get(LIST_URL, {"care_date__gte": "2025-03-01", "care_date__lt": "2025-04-01"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2


def test_reading_a_sheet_and_its_scan_is_traced(agent, client):
    sheet = sheet_with_scan()
    page = client.get(change_url(sheet)).content.decode()
    scan_url = reverse("admin:reimbursements_caresheet_scan", args=[sheet.pk])
    assert scan_url in page
    assert "Conforme au scan : traiter" in page
    view = AccessLog.objects.get(user=agent, action="view")
    assert (view.object_id, view.insured_person_id) == (str(sheet.pk), sheet.beneficiary_id)

    response = client.get(scan_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=agent, action="download", object_id=str(sheet.pk))


def test_releasing_a_checked_sheet_sends_it_to_processing(agent, client, monkeypatch):
    sheet = sheet_with_scan()
    woken = []
    monkeypatch.setattr(
        "reimbursements.services.submission._wake_the_pipeline", lambda: woken.append(1)
    )
    response = client.post(reverse("admin:reimbursements_caresheet_release", args=[sheet.pk]))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == CareSheet.Status.RECEIVED
    assert woken == [1]


def test_rejecting_with_a_code_is_shown_to_the_insured_person(agent, client):
    holder = holder_with_account()
    sheet = sheet_with_scan(holder)
    url = reverse("admin:reimbursements_caresheet_reject", args=[sheet.pk])
    assert "R02 — " in client.get(url).content.decode()
    response = client.post(url, {"code": "R02", "detail": "Code illisible sur le scan."})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.rejection_code) == (CareSheet.Status.REJECTED, "R02")

    client.force_login(holder.user)
    page = client.get(reverse("reimbursements:care_sheets")).content.decode()
    assert "Code illisible sur le scan." in page
    assert "R02" in page


def test_staff_without_the_review_permission_cannot_act(client):
    user = counter_agent(with_reimbursements=False)
    user.user_permissions.add(Permission.objects.get(codename="view_caresheet"))
    client.force_login(user)
    sheet = sheet_with_scan()
    assert "Conforme au scan" not in client.get(change_url(sheet)).content.decode()
    release = reverse("admin:reimbursements_caresheet_release", args=[sheet.pk])
    assert client.post(release).status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == CareSheet.Status.IN_REVIEW


def key_data(holder, **fields) -> dict:
    data = {
        "idempotency_key": "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
        "holder_nir": holder.nir,
        "rank": "2",
        "care_date": "2025-03-04",
        "professional_name": "Dr Paul Martin",
        "professional_number": rpps(7),
        "profession": "general_practitioner",
        "sector": "1",
        "pathway": "declared_gp",
        "has_tiers_payant": "no",
        "lines-TOTAL_FORMS": "8",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-act_code": "G",
        "lines-0-quantity": "1",
        "lines-0-amount_charged": "30,00",
        "scan": upload("courrier.pdf", pdf_bytes()),
    }
    data.update(fields)
    return data


@pytest.mark.usefixtures("rules_from_files")
def test_keying_a_sheet_from_a_scan_goes_through_the_submission_service(agent, client):
    holder = holder_with_account()
    child = dependant_of(holder)
    assert client.get(ADD_URL).status_code == 200
    with time_machine.travel(datetime.datetime(2025, 3, 20, 9, tzinfo=datetime.UTC), tick=False):
        response = client.post(ADD_URL, key_data(holder))
    sheet = CareSheet.objects.get()
    assert response.status_code == 302, response.context["errors"]
    assert (sheet.channel, sheet.submitted_by, sheet.holder, sheet.beneficiary) == (
        "staff",
        agent,
        holder,
        child,
    )
    assert sheet.scan_name


@pytest.mark.usefixtures("rules_from_files")
def test_keying_names_every_mistake_and_saves_nothing(agent, client):
    holder = holder_with_account()
    with time_machine.travel(datetime.datetime(2025, 3, 20, 9, tzinfo=datetime.UTC), tick=False):
        response = client.post(
            ADD_URL, key_data(holder, rank="5", **{"lines-0-act_code": "ZZZ9"}, care_date="")
        )
    assert response.status_code == 200
    anchors = {error["anchor"] for error in response.context["errors"]}
    assert {"id_rank", "id_care_date"} <= anchors
    assert not CareSheet.objects.exists()


def test_a_statement_shows_why_each_amount_and_its_reading_is_traced(agent, client):
    statement = paid_sheet(holder_with_account(), lines=2)
    response = client.get(reverse("admin:reimbursements_statement_change", args=[statement.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Consultations et actes des médecins : remboursés à 70 %" in page
    assert statement.payment.reference in page
    assert AccessLog.objects.filter(user=agent, action="view", object_id=str(statement.pk))
    for name in (
        "reimbursements_payment",
        "mutuelles_transmission",
        "reimbursements_withholdingyear",
    ):
        url = reverse(f"admin:{name}_changelist")
        assert client.get(url).status_code == 200
