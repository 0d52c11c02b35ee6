"""Fixtures shared by the whole suite: a real Celery worker and a headless Chromium."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from cpam_portal.celery import app as celery_app

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process_unless_a_worker_is_asked_for():
    """Most tests run tasks in-process; the `celery_worker` fixture turns that off for its test."""
    celery_app.set_current()
    celery_app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _french_again_after_each_test():
    """A test that switches to English must not leave the next one (same thread) in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path):
    """Uploaded documents of a test land in its own folder, never in the project's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


class CeleryWorker:
    """A `celery worker` process against the test database and the test Redis."""

    def __init__(self, log_path: Path, env: dict[str, str], queues: str):
        self.log_path = log_path
        self.env = env
        self.queues = queues
        self.process: subprocess.Popen | None = None
        self._log_file = None

    def start(self, timeout: float = 30) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self._log_file is None:
            self._log_file = self.log_path.open("ab")
        log = self._log_file
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "cpam_portal", "worker",
                "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
                "--queues", self.queues, "--hostname", f"test-{os.getpid()}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited early:\n{self.log()}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.1)
        raise RuntimeError(f"celery worker not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the whole process group: the main worker and its pool children."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self) -> None:
        self.stop()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


# A transactional test (live server, real worker, threads) ends with a flush that empties every
# table: the rows of data migrations (staff groups, rule parameters, the nomenclature) go with it,
# and when the test was not a serialized-rollback one, post_migrate refills content types and
# permissions under new ids, which the next serialized-rollback test then clashes with. After
# each such test the database is put back exactly as migrations left it (same rows, same ids).
def _clear_rule_snapshot():
    from reimbursements.nomenclature import clear_rule_snapshot

    clear_rule_snapshot()


AFTER_DATABASE_RESTORE = [_clear_rule_snapshot]  # caches of rows kept in this process

_db_blocker = []


@pytest.fixture(autouse=True, scope="session")
def _remember_the_database_blocker(django_db_blocker):
    _db_blocker.append(django_db_blocker)


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker is not None and marker.kwargs.get("transaction")
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # The last test's teardown has dropped the test database: nothing to restore then.
    if nextitem is None or not _db_blocker or not _flushes_the_database(item):
        return
    from django.core.management import call_command

    with _db_blocker[0].unblock():
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized is None:
            return
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(serialized)
    for clear in AFTER_DATABASE_RESTORE:
        clear()


def wait_for(predicate, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    """Poll `predicate` until it returns a truthy value; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture
def celery_worker(django_db_serialized_rollback, transactional_db, tmp_path):
    """Start a real worker for this test; tasks published by the test go to it through Redis.

    The test's data must be committed for the worker to see it, hence a transactional test;
    serialized rollback brings back the rows of data migrations (staff groups) it flushes.
    """
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis (run through `make test`)")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_ENV": "test",
    }
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # messages of earlier tests name rows now gone
    worker = CeleryWorker(tmp_path / "celery-worker.log", env, queues="celery,webhooks")
    celery_app.conf.task_always_eager = False
    worker.start()
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        worker.close()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (its own browser download fails here)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test; fails the test on any console error (CSP included)."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"
