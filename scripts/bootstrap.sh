#!/usr/bin/env bash
# Create .venv and install the project with its development tools, once per pyproject.toml.
# Optional arguments name Debian packages to install when missing (apt-get, as root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  # Another install (a second `make test` or `make run`, unattended-upgrades) may hold apt's
  # locks: wait for it rather than fail. DPkg::Lock::Timeout makes install wait for the dpkg
  # lock; apt-get update's lock on the package lists ignores it (apt 2.6), so that step is
  # retried while the error is the lock.
  wait_seconds=${APT_LOCK_WAIT_SECONDS:-600}
  lock_timeout=(-o "DPkg::Lock::Timeout=$wait_seconds")
  echo "==> installing Debian packages: ${missing[*]}"
  echo "    (if another install holds apt's lock, this waits for it, up to ${wait_seconds}s)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  waited=0
  until errors=$($SUDO apt-get update -qq "${lock_timeout[@]}" 2>&1 >/dev/null); do
    if ! grep -q "Could not get lock" <<<"$errors" || ((waited >= wait_seconds)); then
      echo "$errors" >&2
      exit 1
    fi
    ((waited)) || echo "==> waiting for another install to release apt's package lists"
    sleep 5
    waited=$((waited + 5))
  done
  [ -z "$errors" ] || echo "$errors" >&2  # warnings of a successful update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${lock_timeout[@]}" "${missing[@]}" >/dev/null
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> creating .venv and installing the project"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -c "import django, celery, allauth, dsfr" # fail here, not later, if the install broke
  rm -f .venv/.installed-*
  touch "$stamp"
fi
