#!/usr/bin/env bash
# `make run`: install, migrate, load the funds directory and the demo data, and serve.
# Without DATABASE_URL / REDIS_URL: SQLite file in var/, Celery tasks run in-process, and beat
# runs the periodic work (sweeps, allowance payments, reminders) in its own process.
# With REDIS_URL: a real Celery worker and beat run beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh libmagic1
PY=.venv/bin/python
export DEBUG=${DEBUG:-true}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in the printed mails and the demo's curl commands point at this server.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
# The mutuelle simulator: the demo mutuelle's webhook points at it (load_demo_mutuelles).
export MUTUELLE_SIMULATOR_PORT=${MUTUELLE_SIMULATOR_PORT:-8025}
MUTUELLE_DEMO_AMC=75000001  # Mutuelle des Lilas, mutuelles/demo.py

echo "==> migrating"
$PY manage.py migrate --no-input -v 0
$PY manage.py createcachetable
echo "==> loading the funds directory and the demo data"
$PY manage.py load_directory
$PY manage.py load_demo
$PY manage.py load_demo_affiliation
# The contracts come before the care sheets: each statement is routed to the mutuelle whose
# contract covers its date of care.
$PY manage.py load_demo_contracts
$PY manage.py load_demo_reimbursements
$PY manage.py load_demo_allowances
$PY manage.py load_demo_appointments
$PY manage.py load_demo_mutuelles

pids=()
cleanup() { ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
echo "==> starting the mutuelle simulator on port $MUTUELLE_SIMULATOR_PORT"
$PY manage.py run_mutuelle_simulator --host 127.0.0.1 --port "$MUTUELLE_SIMULATOR_PORT" --mutuelle "$MUTUELLE_DEMO_AMC" &
pids+=($!)
# The demo's webhook secret is read by the simulator at start: it starts after the demo, and
# the pending statements are pushed once it listens.
$PY - "$MUTUELLE_SIMULATOR_PORT" <<'WAIT'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_received", timeout=1)
        break
    except OSError:
        time.sleep(0.25)
WAIT
if [ -n "${REDIS_URL:-}" ]; then
  echo "==> starting a Celery worker and beat (broker $REDIS_URL)"
  .venv/bin/celery -A cpam_portal worker -l info --concurrency 2 -Q celery,webhooks &
  pids+=($!)
else
  echo "==> no REDIS_URL: background tasks run in-process; beat runs the periodic ones"
fi
.venv/bin/celery -A cpam_portal beat -l info --schedule var/celerybeat-schedule &
pids+=($!)
echo "==> pushing the demo's pending statements to the mutuelle simulator"
$PY manage.py transmit_statements

echo
echo "    The portal: http://$HOST:$PORT/   (back office: http://$HOST:$PORT/admin/)"
echo "    The demo logins are listed above. Mail is printed on this console."
echo "    What the demo mutuelle received: http://127.0.0.1:$MUTUELLE_SIMULATOR_PORT/_received"
echo
$PY manage.py runserver "$HOST:$PORT"
