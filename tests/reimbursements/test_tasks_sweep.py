"""The tasks in-process (eager): a full batch asks for the next one; the sweep's decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reimbursements import tasks
from reimbursements.models import CareSheet
from reimbursements.services import claims
from tests.reimbursements.factories import CareSheetFactory, rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]


def test_a_full_batch_chains_the_next_until_the_queue_is_empty():
    CareSheetFactory.create_batch(7)
    assert tasks.process_care_sheets_task.delay(3).get() == 3
    assert set(CareSheet.objects.values_list("status", flat=True)) == {"paid"}


def test_the_sweep_leaves_fresh_sheets_to_their_own_message():
    CareSheetFactory.create_batch(2)
    assert tasks.sweep_care_sheets() == 0
    assert set(CareSheet.objects.values_list("status", flat=True)) == {"received"}


def test_the_sweep_wakes_a_bounded_number_of_workers_for_old_sheets(monkeypatch):
    CareSheetFactory.create_batch(5)
    CareSheet.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: sent.append((task.name, args)))

    assert tasks.sweep_care_sheets(1) == tasks.SWEEP_MAX_NUDGES
    assert sent == [("reimbursements.tasks.process_care_sheets_task", (1,))] * 4


def test_the_sweep_gives_back_expired_claims_and_processes_them():
    sheet = CareSheetFactory()
    long_ago = timezone.now() - claims.lease() - timedelta(minutes=1)
    claims.claim_batch(now=long_ago)
    CareSheet.objects.update(created_at=long_ago)

    assert tasks.sweep_care_sheets() == 1

    sheet.refresh_from_db()
    assert (sheet.status, sheet.attempts) == (CareSheet.Status.PAID, 2)
