"""The pipeline through a real Celery worker: submissions paid, lost messages swept, and a
worker killed with SIGKILL in the middle of a batch, after which every sheet is paid once."""

import datetime
from collections import Counter
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from affiliation.models import BankAccount
from cpam_portal.celery import app as celery_app
from reimbursements import tasks
from reimbursements.models import (
    CareSheet,
    Payment,
    Statement,
    StatementLine,
    WithholdingDay,
)
from reimbursements.services.submission import submit_care_sheet
from tests.accounts.factories import UserFactory
from tests.conftest import wait_for
from tests.reimbursements.factories import (
    TODAY,
    CareSheetFactory,
    ensure_shipped_rules,
    insured,
    rpps,
    sheet_input,
)
from tests.reimbursements.test_ledger_concurrency import assert_ledger_matches_statements

# The worker loads the rules and starts its pool under whatever load the CI machine has: the
# waits end as soon as the condition holds, the bound only decides when to give up.
WAIT = 120


@pytest.fixture(autouse=True)
def _the_project_s_celery_app_and_fresh_rules(transactional_db):
    """Another test may have left another Celery app current (shared tasks would publish to
    its broker) or a rule snapshot cached from a flushed database: neither may leak in here."""
    celery_app.set_current()
    ensure_shipped_rules()


def paid_count() -> int:
    return CareSheet.objects.filter(status=CareSheet.Status.PAID).count()


def with_bank_account(person):
    BankAccount.objects.create(
        person=person, iban="FR7630006000011234567890189", holder_name=str(person)
    )
    return person


def assert_every_sheet_paid_exactly_once() -> None:
    sheets = CareSheet.objects.count()
    assert paid_count() == sheets
    assert Statement.objects.count() == sheets
    assert StatementLine.objects.count() == sheets  # one line each in these tests
    statements = Counter(Payment.objects.values_list("statement__care_sheet_id", flat=True))
    assert set(statements.values()) == {1}
    assert len(statements) == sheets
    assert_ledger_matches_statements()


def test_a_submitted_sheet_is_paid_by_the_worker(celery_worker):
    holder = with_bank_account(insured())
    holder.user = UserFactory()
    holder.save()

    sheet = submit_care_sheet(
        sheet_input(holder), channel="online", submitted_by=holder.user, on=TODAY
    ).care_sheet

    wait_for(
        lambda: paid_count() == 1, timeout=WAIT, message=f"the worker to pay\n{celery_worker.log()}"
    )
    payment = Payment.objects.get(statement__care_sheet=sheet)
    assert payment.amount == Statement.objects.get().amo_paid
    assert payment.bank_account == holder.bank_accounts.get()


def test_sheets_whose_message_was_lost_are_paid_after_the_sweep(celery_worker):
    # Rows written without any message (as if Redis had been down at commit time).
    CareSheetFactory.create_batch(7)
    CareSheet.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    tasks.sweep_care_sheets.delay(3)

    wait_for(
        lambda: paid_count() == 7,
        timeout=WAIT,
        message=f"the sweep's batches\n{celery_worker.log()}",
    )
    assert_every_sheet_paid_exactly_once()


@pytest.fixture
def patient_worker_env(monkeypatch):
    """The worker started after this waits on locks for a minute instead of five seconds."""
    monkeypatch.setenv("DB_LOCK_TIMEOUT_MS", "60000")
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "60000")


@pytest.fixture
def other_session():
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as session:
        yield session
        session.rollback()


def worker_waits_on_the_day_counters() -> bool:
    """The worker's transaction has written the batch's statements, lines and payments and
    waits to write the ledger's day counters."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            ["INSERT INTO reimbursements_withholdingday%"],
        )
        return cursor.fetchone()[0] == 1


def test_a_worker_killed_mid_batch_loses_nothing_and_pays_nothing_twice(
    patient_worker_env, celery_worker, other_session, settings
):
    first, blocked, last = (with_bank_account(insured()) for _ in range(3))
    CareSheetFactory.create_batch(10, holder=first)  # batches 1 and 2 (five sheets each)
    for day in range(1, 6):  # batch 3: the blocked person's sheets, then others
        CareSheetFactory(holder=blocked if day % 2 else last, care_date=datetime.date(2025, 2, day))
    CareSheetFactory.create_batch(6, holder=last)  # batches 4 and 5
    day = WithholdingDay.objects.create(
        person=blocked, day=datetime.date(2025, 2, 1), professional_number=rpps(1)
    )
    # Another session holds one of the blocked person's day counters, as a long transaction
    # would: batch 3 computes and writes its statements, then waits inside its transaction.
    other_session.execute(
        "SELECT id FROM reimbursements_withholdingday WHERE id = %s FOR UPDATE", [day.pk]
    )

    tasks.process_care_sheets_task.delay(5)
    wait_for(
        worker_waits_on_the_day_counters, timeout=WAIT, message=f"batch 3\n{celery_worker.log()}"
    )
    assert Counter(CareSheet.objects.values_list("status", flat=True)) == {
        "paid": 10,
        "processing": 5,
        "received": 6,
    }

    celery_worker.kill()  # SIGKILL, main process and pool child, inside batch 3's transaction
    other_session.rollback()

    # Nothing of batch 3 was written; its sheets wait for their lease to run out.
    assert Statement.objects.count() == 10
    assert CareSheet.objects.filter(status="processing").count() == 5

    # Twenty minutes later the lease has run out; a new worker starts and beat sweeps.
    expired = timezone.now() - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS + 60)
    CareSheet.objects.filter(status="processing").update(claimed_at=expired)
    CareSheet.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    celery_worker.start()
    tasks.sweep_care_sheets.delay(5)

    wait_for(
        lambda: paid_count() == 21, timeout=WAIT, message=f"every sheet paid\n{celery_worker.log()}"
    )
    assert_every_sheet_paid_exactly_once()
    assert set(
        CareSheet.objects.filter(beneficiary=blocked).values_list("attempts", flat=True)
    ) == {2}
