"""Staff review stoppages and salary attestations in the admin: queues, reads traced, actions,
correct and re-run; only the allowances group acts, counter staff only read."""

import io
from datetime import date
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.groups import ALLOWANCES_STAFF, COUNTER_STAFF
from allowances.models import (
    AllowancePayment,
    SalaryAttestation,
    StoppageNotice,
    WorkStoppage,
)
from allowances.permissions import GROUP_PERMISSIONS
from allowances.services import payments
from allowances.services.stoppages import declare_extension
from cpam_portal.models import AccessLog, OutgoingMail
from cpam_portal.uploads import check_upload
from tests.accounts.factories import StaffFactory
from tests.allowances.factories import (
    WorkStoppageFactory,
    accepted_stoppage,
    expected_daily_amount,
    insured_with_account,
    salary_attestation,
)
from tests.allowances.test_services_stoppages import notice

pytestmark = pytest.mark.django_db


def staff_in(group_name: str):
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def agent(client):
    user = staff_in(ALLOWANCES_STAFF)
    client.force_login(user)
    return user


def change_url(stoppage):
    return reverse("admin:allowances_workstoppage_change", args=[stoppage.pk])


def action_url(stoppage, action):
    return reverse("admin:allowances_workstoppage_action", args=[stoppage.pk, action])


def test_the_groups_hold_exactly_the_permissions_of_the_code():
    for name, codenames in GROUP_PERMISSIONS.items():
        held = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="allowances")
            .values_list("codename", flat=True)
        )
        assert held == set(codenames), name
    assert Permission.objects.filter(codename="review_workstoppage").exists()


def test_the_queue_filters_by_status(client, agent):
    received = WorkStoppageFactory(person=insured_with_account(last_name="Attente"))
    accepted_stoppage(person=insured_with_account(last_name="Accepte"))
    response = client.get(
        reverse("admin:allowances_workstoppage_changelist"), {"status__exact": "received"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert str(received.person.last_name).upper() in page
    assert "ACCEPTE" not in page


def test_reading_a_stoppage_is_traced_and_shows_figures_beside_the_explanation(client, agent):
    stoppage = accepted_stoppage(person=insured_with_account())
    response = client.get(change_url(stoppage))
    page = response.content.decode()
    assert response.status_code == 200
    daily = str(stoppage.daily_amount)
    assert daily in page or daily.replace(".", ",") in page
    assert "91,25" in page or "91.25" in page  # the SJB rule in the explanation
    log = AccessLog.objects.get(user=agent, object_type="allowances.workstoppage")
    assert (log.action, log.insured_person_id) == ("view", stoppage.person_id)


def test_downloading_a_notice_scan_is_traced(client, agent, settings):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    scan = check_upload(SimpleUploadedFile("avis.png", out.getvalue()))
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 10))
    extension = declare_extension(
        stoppage,
        notice(date(2026, 2, 11), date(2026, 2, 20)),
        scan=scan,
        by=stoppage.declared_by,
        now=timezone.now(),
    )
    response = client.get(
        reverse("admin:allowances_workstoppage_notice", args=[stoppage.pk, extension.public_id])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\x89PNG")
    assert AccessLog.objects.filter(
        user=agent, action="download", object_type="allowances.stoppagenotice"
    ).exists()


def test_accepting_runs_the_engine_and_mails_the_person(client, agent):
    person = insured_with_account()
    stoppage = WorkStoppageFactory(person=person)
    salary_attestation(stoppage, "2000.00")

    response = client.post(action_url(stoppage, "accept"))

    assert response.status_code == 302
    stoppage.refresh_from_db()
    assert (stoppage.status, stoppage.daily_amount, stoppage.decided_by) == (
        WorkStoppage.Status.ACCEPTED,
        expected_daily_amount("2000.00", stoppage.start_date, stoppage.end_date),
        agent,
    )
    assert stoppage.computation["explanation"]
    assert OutgoingMail.objects.filter(recipients=[person.email]).exists()


def test_accepting_without_accepted_salaries_says_why_and_changes_nothing(client, agent):
    stoppage = WorkStoppageFactory()
    salary_attestation(stoppage, status=SalaryAttestation.Status.RECEIVED)

    response = client.post(action_url(stoppage, "accept"), follow=True)

    assert "Aucune attestation de salaire acceptée" in response.content.decode()
    stoppage.refresh_from_db()
    assert (stoppage.status, stoppage.computed_at) == (WorkStoppage.Status.RECEIVED, None)


def test_refusing_needs_a_reason_and_refuses_the_notices(client, agent):
    stoppage = WorkStoppageFactory()
    page = client.post(action_url(stoppage, "refuse"), {"reason": ""})
    assert page.status_code == 200
    client.post(action_url(stoppage, "refuse"), {"reason": "Avis reçu hors délai."})
    stoppage.refresh_from_db()
    assert (stoppage.status, stoppage.refusal_reason) == ("refused", "Avis reçu hors délai.")
    assert stoppage.notices.get().status == StoppageNotice.Status.REFUSED


def test_asking_for_information_shows_the_message_to_the_person(client, agent):
    person = insured_with_account()
    stoppage = WorkStoppageFactory(person=person)
    client.post(action_url(stoppage, "information"), {"message": "Envoyez le volet 3 lisible."})
    stoppage.refresh_from_db()
    assert stoppage.status == "in_review"
    client.force_login(person.user)
    page = client.get(reverse("allowances:stoppage", args=[stoppage.public_id])).content.decode()
    assert "Envoyez le volet 3 lisible." in page


def test_an_extension_is_accepted_or_refused_by_staff(client, agent):
    stoppage = accepted_stoppage(start_date=date(2026, 2, 2), end_date=date(2026, 2, 15))
    extension = declare_extension(
        stoppage,
        notice(date(2026, 2, 16), date(2026, 2, 28)),
        scan=None,
        by=stoppage.declared_by,
        now=timezone.now(),
    )
    client.post(
        reverse("admin:allowances_workstoppage_refuse_extension", args=[stoppage.pk, extension.pk]),
        {"reason": "Prolongation non justifiée."},
    )
    stoppage.refresh_from_db()
    extension.refresh_from_db()
    assert (extension.status, stoppage.end_date) == ("refused", date(2026, 2, 15))

    second = declare_extension(
        stoppage,
        notice(date(2026, 2, 16), date(2026, 2, 22)),
        scan=None,
        by=stoppage.declared_by,
        now=timezone.now(),
    )
    client.post(action_url(stoppage, "accept"))
    stoppage.refresh_from_db()
    second.refresh_from_db()
    assert (second.status, stoppage.accepted_end_date) == ("accepted", date(2026, 2, 22))
    assert stoppage.computation["figures"]["stoppage_end"] == "2026-02-22"


def test_staff_correct_the_salaries_then_re_run(client, agent):
    stoppage = accepted_stoppage(start_date=date(2026, 2, 2), end_date=date(2026, 3, 15))
    payments.pay_due_allowances(on=date(2026, 2, 19))
    attestation = stoppage.salary_attestations.get()
    months = list(attestation.months.order_by("month"))
    url = reverse("admin:allowances_salaryattestation_change", args=[attestation.pk])
    form = {
        "months-TOTAL_FORMS": "3",
        "months-INITIAL_FORMS": "3",
        "months-MIN_NUM_FORMS": "0",
        "months-MAX_NUM_FORMS": "1000",
    }
    for index, month in enumerate(months):
        form |= {
            f"months-{index}-id": str(month.pk),
            f"months-{index}-attestation": str(attestation.pk),
            f"months-{index}-month": month.month.isoformat(),
            f"months-{index}-gross_amount": "2200.00",
            f"months-{index}-hours_worked": "151.67",
        }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert months[0].history.count() == 2  # the correction is kept, with who made it
    assert months[0].history.first().history_user == agent

    client.post(action_url(stoppage, "recompute"))
    stoppage.refresh_from_db()
    assert stoppage.daily_amount == expected_daily_amount(
        "2200.00", stoppage.start_date, stoppage.end_date
    )
    assert stoppage.daily_amount > expected_daily_amount(
        "2000.00", stoppage.start_date, stoppage.end_date
    )
    assert stoppage.payments.filter(kind=AllowancePayment.Kind.REGULARISATION).count() == 1


def test_a_negative_correction_is_refused_with_a_message(client, agent):
    stoppage = WorkStoppageFactory()
    attestation = salary_attestation(stoppage, months=1)
    month = attestation.months.get()
    url = reverse("admin:allowances_salaryattestation_change", args=[attestation.pk])
    response = client.post(
        url,
        {
            "months-TOTAL_FORMS": "1",
            "months-INITIAL_FORMS": "1",
            "months-MIN_NUM_FORMS": "0",
            "months-MAX_NUM_FORMS": "1000",
            "months-0-id": str(month.pk),
            "months-0-attestation": str(attestation.pk),
            "months-0-month": month.month.isoformat(),
            "months-0-gross_amount": "-5",
            "months-0-hours_worked": "151.67",
        },
    )
    assert response.status_code == 200
    assert "Un salaire brut ne peut pas être négatif." in response.content.decode()
    month.refresh_from_db()
    assert month.gross_amount == Decimal("2000.00")


def test_a_salary_attestation_is_accepted_or_refused_from_its_queue(client, agent):
    stoppage = WorkStoppageFactory()
    received = salary_attestation(stoppage, status=SalaryAttestation.Status.RECEIVED)
    queue = client.get(
        reverse("admin:allowances_salaryattestation_changelist"), {"status__exact": "received"}
    )
    assert queue.status_code == 200
    client.post(reverse("admin:allowances_salaryattestation_action", args=[received.pk, "accept"]))
    received.refresh_from_db()
    assert (received.status, received.reviewed_by) == ("accepted", agent)
    assert AccessLog.objects.filter(object_type="allowances.salaryattestation").count() == 0

    other = salary_attestation(stoppage, status=SalaryAttestation.Status.RECEIVED)
    client.get(reverse("admin:allowances_salaryattestation_change", args=[other.pk]))
    assert AccessLog.objects.filter(object_type="allowances.salaryattestation").count() == 1
    client.post(
        reverse("admin:allowances_salaryattestation_action", args=[other.pk, "refuse"]),
        {"reason": "Montants illisibles."},
    )
    other.refresh_from_db()
    assert other.status == "refused"


def test_counter_staff_read_but_cannot_act(client):
    user = staff_in(COUNTER_STAFF)
    client.force_login(user)
    stoppage = WorkStoppageFactory()
    salary_attestation(stoppage)
    assert client.get(change_url(stoppage)).status_code == 200
    assert client.post(action_url(stoppage, "accept")).status_code == 403
    stoppage.refresh_from_db()
    assert stoppage.status == WorkStoppage.Status.RECEIVED


def test_staff_of_another_group_cannot_read_stoppages(client):
    from accounts.groups import DIRECTORY_EDITORS

    client.force_login(staff_in(DIRECTORY_EDITORS))
    stoppage = WorkStoppageFactory()
    assert client.get(change_url(stoppage)).status_code == 403
    assert not AccessLog.objects.exists()


def test_staff_key_the_salaries_of_a_paper_attestation_then_accept(client, agent):
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 28))
    url = action_url(stoppage, "salaries")
    assert "Salaire brut de" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            f"{field}_{month}": value
            for month in ("2025_11", "2025_12", "2026_01")
            for field, value in (("gross", "2000,00"), ("hours", "151,67"))
        },
    )
    assert response.status_code == 302
    attestation = stoppage.salary_attestations.get()
    assert (attestation.source, attestation.status, attestation.months.count()) == (
        "staff",
        "accepted",
        3,
    )
    client.post(action_url(stoppage, "accept"))
    stoppage.refresh_from_db()
    assert stoppage.daily_amount == expected_daily_amount(
        "2000.00", stoppage.start_date, stoppage.end_date
    )
