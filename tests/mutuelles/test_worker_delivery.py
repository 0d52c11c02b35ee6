"""Push delivery through a REAL Celery worker to the REAL simulator, under the faults of the
issue: receiver down then up, slow, answering 500s, dead-letter then resend from the admin,
a worker SIGKILLed mid-send, Redis stopped while statements are produced. Every time: each
statement delivered, none twice from the receiver's point of view.

Time is fast-forwarded in the database (a retry's next_attempt_at, a dead worker's claim) and
the beat sweep is sent by the test, as `make run`'s beat would a minute later.
"""

import shutil
import socket
import subprocess
from datetime import timedelta

import pytest
import redis
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from cpam_portal.background import enqueue
from cpam_portal.celery import app as celery_app
from mutuelles import tasks
from mutuelles.admin.webhooks import WEBHOOK_STAFF_PERMISSIONS
from mutuelles.delivery import backoff, sending
from mutuelles.models import DeliveryAttempt, Transmission, WebhookMessage
from tests.accounts.factories import StaffFactory
from tests.conftest import wait_for
from tests.mutuelles.factories import paid_transmissions
from tests.mutuelles.factories_delivery import (
    mutuelle_with_webhook,
    public_ids,
    released_transmissions,
    simulator_for,
)
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("rules_from_files")]

WAIT = 60
Status = WebhookMessage.Status


@pytest.fixture(autouse=True)
def _the_project_s_celery_app(transactional_db):
    celery_app.set_current()


def attempts() -> int:
    return DeliveryAttempt.objects.count()


def all_delivered() -> bool:
    return (
        WebhookMessage.objects.exists()
        and not WebhookMessage.objects.exclude(status=Status.DELIVERED).exists()
    )


def time_passes_and_beat_sweeps() -> None:
    """The retries come due (their backoff is over), then beat sends the sweep."""
    WebhookMessage.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())
    tasks.sweep_webhook_messages.delay()


def assert_each_delivered_once(receiver, transmissions) -> None:
    received = receiver.received()
    assert sorted(received["statements"]) == sorted(public_ids(transmissions))
    assert received["duplicate_statements"] == 0
    assert set(Transmission.objects.values_list("status", flat=True)) == {"sent"}


def test_receiver_down_then_up_gets_everything_once(celery_worker):
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 4, members=2)
    with simulator_for(endpoint) as receiver:
        receiver.down()
        tasks.transmit_statements.delay()
        wait_for(lambda: attempts() == 1, WAIT, message=f"a refused attempt\n{celery_worker.log()}")
        time_passes_and_beat_sweeps()  # still down
        wait_for(lambda: attempts() == 2, WAIT, message=f"a second attempt\n{celery_worker.log()}")
        message = WebhookMessage.objects.get()
        assert message.status == Status.PENDING and message.last_error.startswith("connection")

        receiver.up()
        time_passes_and_beat_sweeps()
        wait_for(all_delivered, WAIT, message=f"delivery after recovery\n{celery_worker.log()}")

        assert_each_delivered_once(receiver, transmissions)
        assert receiver.received()["duplicate_messages"] == 0
    assert [a.succeeded for a in DeliveryAttempt.objects.order_by("number")] == [
        False,
        False,
        True,
    ]


def test_a_slow_receiver_is_delivered_to_in_one_attempt(celery_worker):
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 3)
    with simulator_for(endpoint, mode="slow", delay=2) as receiver:
        tasks.transmit_statements.delay()
        wait_for(all_delivered, WAIT, message=f"a slow delivery\n{celery_worker.log()}")
        assert_each_delivered_once(receiver, transmissions)
    assert attempts() == 1


def test_500s_are_retried_until_the_receiver_answers(celery_worker):
    mutuelle, endpoint = mutuelle_with_webhook()
    other, other_endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 3)
    others = released_transmissions(other, 2)
    with (
        simulator_for(endpoint, mode="fail") as receiver,
        simulator_for(other_endpoint) as other_receiver,
    ):
        tasks.transmit_statements.delay()
        wait_for(lambda: attempts() == 2, WAIT, message=f"first attempts\n{celery_worker.log()}")
        time_passes_and_beat_sweeps()
        wait_for(lambda: attempts() == 3, WAIT, message=f"a retry\n{celery_worker.log()}")
        receiver.set_mode("ok")
        time_passes_and_beat_sweeps()
        wait_for(all_delivered, WAIT, message=f"delivery after 500s\n{celery_worker.log()}")

        assert sorted(receiver.received()["statements"]) == sorted(public_ids(transmissions))
        assert sorted(other_receiver.received()["statements"]) == sorted(public_ids(others))
        assert receiver.received()["failed_on_purpose"] == 2
    assert WebhookMessage.objects.get(mutuelle=mutuelle).attempts == 3
    assert WebhookMessage.objects.get(mutuelle=other).attempts == 1


def test_a_dead_message_resent_from_the_admin_is_delivered(celery_worker, client):
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 3)
    with simulator_for(endpoint, mode="fail") as receiver:
        tasks.transmit_statements.delay()
        for count in range(1, backoff.MAX_ATTEMPTS + 1):
            wait_for(
                lambda count=count: attempts() == count,
                WAIT,
                message=f"attempt {count}\n{celery_worker.log()}",
            )
            time_passes_and_beat_sweeps()
        wait_for(
            lambda: WebhookMessage.objects.filter(status=Status.DEAD).exists(),
            WAIT,
            message=f"the dead-letter state\n{celery_worker.log()}",
        )
        assert set(Transmission.objects.values_list("status", flat=True)) == {"dead"}
        message = WebhookMessage.objects.get()

        receiver.set_mode("ok")
        staff = StaffFactory()
        TOTP.activate(staff, generate_totp_secret())
        staff.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="mutuelles", codename__in=WEBHOOK_STAFF_PERMISSIONS
            )
        )
        client.force_login(staff)
        client.post(
            reverse("admin:mutuelles_webhookmessage_changelist"),
            {"action": "resend", "_selected_action": [message.pk]},
        )
        wait_for(all_delivered, WAIT, message=f"the resent message\n{celery_worker.log()}")

        assert_each_delivered_once(receiver, transmissions)
        assert receiver.received()["failed_on_purpose"] == backoff.MAX_ATTEMPTS
    message.refresh_from_db()
    assert message.attempts == 1
    assert attempts() == backoff.MAX_ATTEMPTS + 1


def test_a_worker_killed_mid_send_delivers_once_after_the_lease(celery_worker):
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 3)
    # The receiver processes at once and answers late: the worker is killed in between, as
    # if it died right after the mutuelle booked the statements.
    with simulator_for(endpoint, mode="slow", delay=8) as receiver:
        tasks.transmit_statements.delay()
        wait_for(
            lambda: receiver.received()["messages"] == 1,
            WAIT,
            message=f"the first delivery\n{celery_worker.log()}",
        )
        celery_worker.kill()  # SIGKILL, main process and pool child, waiting for the answer

        message = WebhookMessage.objects.get()
        assert message.status == Status.SENDING and attempts() == 0

        # The lease runs out; a new worker starts and beat sweeps.
        receiver.set_mode("ok")
        expired = timezone.now() - sending.CLAIM_LEASE - timedelta(seconds=1)
        WebhookMessage.objects.update(claimed_at=expired)
        celery_worker.start()
        tasks.sweep_webhook_messages.delay()
        wait_for(all_delivered, WAIT, message=f"the resend\n{celery_worker.log()}")

        assert_each_delivered_once(receiver, transmissions)
        assert receiver.received()["duplicate_messages"] == 1  # on the wire twice, booked once
    message.refresh_from_db()
    assert message.attempts == 2
    assert attempts() == 1  # the killed attempt left no log row, the resend did


# --- Redis stopped while statements are produced ----------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A redis-server of this test only: stopping it leaves the other tests' Redis alone."""

    def __init__(self, directory, database: str):
        self.port = free_port()
        self.directory = directory
        self.database = database
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{self.database}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_for(lambda: self._pings(client), 10, 0.05, message="redis-server to start")

    @staticmethod
    def _pings(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def use_broker(url: str) -> None:
    """Publish the test's tasks to `url`."""
    celery_app.conf.broker_url = url
    pools.reset()  # closes and forgets every kombu pool: the next publish connects afresh
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings, tmp_path):
    """Must come before `celery_worker`: the worker and the test both use this Redis."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (make test installs it)")
    # The same database number as the suite's Redis: under pytest-xdist the worker's settings
    # derive it again from PYTEST_XDIST_WORKER.
    server = OwnRedis(tmp_path, database=settings.REDIS_URL.rsplit("/", 1)[1])
    server.start()
    previous = celery_app.conf.broker_url
    settings.REDIS_URL = server.url
    use_broker(server.url)
    try:
        yield server
    finally:
        use_broker(previous)
        server.stop()


def test_redis_stopped_while_statements_are_produced_loses_nothing(own_redis, celery_worker):
    mutuelle, endpoint = mutuelle_with_webhook()
    before = released_transmissions(mutuelle, 2)
    with simulator_for(endpoint) as receiver:
        tasks.transmit_statements.delay()
        wait_for(all_delivered, WAIT, message=f"the first statements\n{celery_worker.log()}")

        own_redis.stop()
        # The pipeline pays more statements; its nudge after commit finds no broker.
        contract = Transmission.objects.filter(mutuelle=mutuelle).first().contract
        paid_transmissions(contract, 3)
        assert enqueue(tasks.transmit_statements) is False
        assert Transmission.objects.filter(status="pending").count() == 3

        own_redis.start()
        use_broker(own_redis.url)
        tasks.sweep_webhook_messages.delay()  # beat, once Redis is back
        wait_for(
            lambda: Transmission.objects.filter(status="sent").count() == 5,
            WAIT,
            message=f"the statements paid during the outage\n{celery_worker.log()}",
        )

        everything = Transmission.objects.filter(mutuelle=mutuelle)
        assert len(before) == 2
        assert_each_delivered_once(receiver, everything)
        assert receiver.received()["duplicate_messages"] == 0
