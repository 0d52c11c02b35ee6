"""Celery settings that make a killed worker or a lost message harmless
(docs/reliability.md#celery-settings)."""

from django.conf import settings

from cpam_portal.celery import app


def test_time_limit_is_below_visibility_timeout_which_is_below_the_claim_lease():
    assert app.conf.task_time_limit < settings.CELERY_VISIBILITY_TIMEOUT
    assert settings.CELERY_VISIBILITY_TIMEOUT < settings.CELERY_CLAIM_LEASE_SECONDS
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_visibility_timeout_is_set_in_all_three_places():
    vt = settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.broker_transport_options["visibility_timeout"] == vt
    assert app.conf.result_backend_transport_options["visibility_timeout"] == vt
    assert app.conf.visibility_timeout == vt


def test_late_acks_and_redelivery_on_worker_loss():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_every_beat_task_exists():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
