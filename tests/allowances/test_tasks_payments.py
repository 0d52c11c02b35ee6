"""The payment task through a real Celery worker: run twice, and killed midway then run again,
it pays each period exactly once."""

from datetime import date

import psycopg
import pytest
from django.db import connection

from allowances import tasks
from allowances.models import AllowancePayment
from tests.allowances.factories import insured_with_account, stoppage_with_segments
from tests.conftest import wait_for

pytestmark = pytest.mark.worker

# Long over on any day the suite runs: four periods due (14 + 14 + 14 + 3 days).
SEGMENTS = [(date(2026, 6, 1), date(2026, 7, 15), "41.95")]
PERIOD_STARTS = [date(2026, 6, 1), date(2026, 6, 15), date(2026, 6, 29), date(2026, 7, 13)]


def paid_periods(stoppage) -> list[date]:
    return sorted(
        AllowancePayment.objects.filter(stoppage=stoppage).values_list("period_start", flat=True)
    )


def test_the_task_run_twice_by_the_worker_pays_each_period_once(celery_worker):
    stoppage = stoppage_with_segments(SEGMENTS, person=insured_with_account())

    tasks.pay_daily_allowances.delay()
    tasks.pay_daily_allowances.delay()

    wait_for(lambda: len(paid_periods(stoppage)) == 4, message="four periods paid")
    # One worker slot: the second message runs after the first and finds nothing to pay.
    wait_for(lambda: celery_worker.log().count("succeeded") >= 2, message="both runs done")
    assert paid_periods(stoppage) == PERIOD_STARTS, celery_worker.log()


@pytest.fixture
def patient_worker_env(monkeypatch):
    """The worker started after this waits on locks for a minute instead of five seconds."""
    monkeypatch.setenv("DB_LOCK_TIMEOUT_MS", "60000")
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "60000")


@pytest.fixture
def outbox_locked():
    """Another session holding the mail outbox: a payment's transaction waits on its mail."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as other_session:
        other_session.execute("LOCK TABLE cpam_portal_outgoingmail IN SHARE MODE")
        yield other_session
        other_session.rollback()


def worker_waits_on_the_outbox() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            ['%INSERT INTO "cpam_portal_outgoingmail"%'],
        )
        return cursor.fetchone()[0] == 1


def test_a_worker_killed_while_paying_is_made_good_by_the_next_run(
    patient_worker_env, celery_worker, outbox_locked
):
    stoppage = stoppage_with_segments(SEGMENTS, person=insured_with_account())

    tasks.pay_daily_allowances.delay()
    # The worker has claimed the stoppage and written the first payment, uncommitted, and now
    # waits to write its e-mail in the same transaction.
    wait_for(worker_waits_on_the_outbox, message="the worker to wait on the outbox")
    assert paid_periods(stoppage) == []

    celery_worker.kill()
    outbox_locked.rollback()  # the dead worker's transaction can only end in a rollback now
    assert paid_periods(stoppage) == []

    celery_worker.start()
    tasks.pay_daily_allowances.delay()  # what beat sends every hour
    wait_for(lambda: len(paid_periods(stoppage)) == 4, message="four periods paid")
    tasks.pay_daily_allowances.delay()
    wait_for(
        lambda: celery_worker.log().count("pay_daily_allowances") >= 4,
        message="the second run to be received",
    )
    wait_for(
        lambda: celery_worker.log().count("succeeded") >= 2, message="the second run to finish"
    )
    assert paid_periods(stoppage) == PERIOD_STARTS, celery_worker.log()
