#!/usr/bin/env bash
# `make test`: the static checks (scripts/lint.sh), migration and system checks, then the whole
# pytest suite against a throwaway PostgreSQL and Redis, stopped whatever happens. Exits with
# pytest's status.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh postgresql redis-server chromium poppler-utils gettext libmagic1
PY=.venv/bin/python

scripts/lint.sh

trap 'scripts/services.sh stop' EXIT
scripts/services.sh stop  # leftovers of an interrupted run
echo "==> starting PostgreSQL and Redis on loopback"
eval "$(scripts/services.sh start)"
export DATABASE_URL REDIS_URL DJANGO_ENV=test

echo "==> migration and system checks"
$PY manage.py makemigrations --check --dry-run
$PY manage.py check --fail-level WARNING

echo "==> pytest"
set +e
$PY -m pytest "$@"
status=$?
set -e
exit $status
