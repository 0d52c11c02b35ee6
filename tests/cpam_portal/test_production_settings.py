"""Production settings refuse to start half-configured, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "portail.example.fr",
}


def manage(*args: str, **env_changes: str | None) -> subprocess.CompletedProcess:
    # The test process's own switches (DEBUG, the async-unsafe flag of the browser tests) must
    # not leak into the production process under test.
    skipped = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    env.update(PRODUCTION_ENV)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////tmp/portal.sqlite3"}, "DATABASE_URL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_without_its_services(changes, complaint):
    result = manage("check", **changes)
    assert result.returncode != 0
    assert "Production settings refuse to start" in result.stderr
    assert complaint in result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_USE_SESSIONS,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_AGE,"
        " s.SESSION_ABSOLUTE_SECONDS, s.SESSION_ENGINE, s.CACHES['default']['BACKEND'],"
        " 'statement_timeout=15000' in s.DATABASES['default']['OPTIONS']['options'],"
        " 'lock_timeout=5000' in s.DATABASES['default']['OPTIONS']['options'],"
        " s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid", "True", "True", "31536000", "True", "1800", "43200",
        "django.contrib.sessions.backends.db", "django.core.cache.backends.db.DatabaseCache",
        "True", "True", "2621440", "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]  # fmt: skip
