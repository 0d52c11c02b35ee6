#!/usr/bin/env bash
# `make bench`: the benchmarks of bench/, on a throwaway PostgreSQL and Redis like `make test`.
#   make bench                 -> every benchmark
#   make bench ONLY="name ..." -> the named ones
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh postgresql redis-server
export SERVICES_STATE=.tmp/services-bench
trap 'scripts/services.sh stop' EXIT
scripts/services.sh stop
eval "$(scripts/services.sh start)"
export DATABASE_URL REDIS_URL DJANGO_ENV=test DJANGO_SETTINGS_MODULE=cpam_portal.settings

.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py createcachetable  # throttles and rate limits use the database cache
# shellcheck disable=SC2086  # ONLY is a list of names
.venv/bin/python -m bench ${ONLY:-}
