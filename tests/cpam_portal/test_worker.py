import pytest

from cpam_portal.celery import app as celery_app


@pytest.mark.worker
def test_the_worker_fixture_starts_a_worker_on_this_test_s_broker(celery_worker):
    replies = celery_app.control.ping(timeout=5)
    assert len(replies) == 1
    assert next(iter(replies[0].values())) == {"ok": "pong"}
