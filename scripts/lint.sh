#!/usr/bin/env bash
# `make lint` (and the first step of `make test`): the static checks, every one of them run even
# when an earlier one fails, so that one pass shows everything to fix. Exits non-zero if any
# failed. The rules live in pyproject.toml: [tool.ruff], [tool.importlinter] (the layering of
# the apps), [tool.mypy] (typing of rules/, services/, tasks) and [tool.djlint] (templates).
set -euo pipefail
cd "$(dirname "$0")/.."

# mypy's Django plugin loads the settings and the apps, which import python-magic.
scripts/bootstrap.sh libmagic1

failed=()
step() {
  local name=$1
  shift
  echo "==> $name"
  "$@" || failed+=("$name")
}

step "ruff check" .venv/bin/ruff check .
step "ruff format" .venv/bin/ruff format --check .
# The import graph is cached under .tmp/ (grimp reparses only the files that changed).
step "lint-imports" .venv/bin/lint-imports --cache-dir .tmp/import-linter
# The files, the strictness and the cache (.tmp/mypy: a warm run takes about a second) are in
# [tool.mypy].
step "mypy" .venv/bin/mypy
step "djlint" .venv/bin/djlint templates --lint

if ((${#failed[@]})); then
  echo "==> lint failed: ${failed[*]}" >&2
  exit 1
fi
