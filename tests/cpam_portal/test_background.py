import logging
import socket
import time

import pytest
from celery import Celery

from cpam_portal.background import enqueue, enqueue_on_commit


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def task_on_a_dead_broker():
    # Not the current app: shared tasks of later tests must keep the project's broker.
    app = Celery("dead-broker", set_as_current=False, broker=f"redis://127.0.0.1:{closed_port()}/0")
    app.conf.broker_connection_retry_on_startup = False

    @app.task(name="tests.noop")
    def noop(row_id):
        return row_id

    yield noop
    app.close()


def test_enqueue_gives_up_quickly_and_loudly_when_the_broker_is_down(task_on_a_dead_broker, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="cpam_portal.background"):
        assert enqueue(task_on_a_dead_broker, 42) is False
    assert time.monotonic() - started < 10
    assert "left for the sweep" in caplog.text


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(
    task_on_a_dead_broker, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                enqueue_on_commit(task_on_a_dead_broker, 1)
                raise RuntimeError("the view failed")
        except RuntimeError:
            pass
    assert callbacks == []
