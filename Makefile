# The two commands of the README, and a few helpers. Each target installs what it needs.
.PHONY: run test lint bench fix messages check-compose

HOST ?= 127.0.0.1
PORT ?= 8000

run:  ## install, migrate, load the directory and demo data, serve the portal with a worker
	@HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test:  ## lint, migration and system checks, the whole suite on throwaway PostgreSQL + Redis
	@scripts/test.sh

lint:  ## the static checks alone: ruff, lint-imports (layering), mypy (typing), djlint (templates)
	@scripts/lint.sh

bench:  ## the benchmarks (ratios against a baseline of the same run), on throwaway PostgreSQL + Redis
	@ONLY="$(ONLY)" scripts/bench.sh

fix:  ## apply ruff's fixes and formatting
	@scripts/bootstrap.sh
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages:  ## refresh the translation catalogue, then compile it (after editing the .po)
	@scripts/bootstrap.sh gettext
	.venv/bin/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=.tmp --ignore=var
	.venv/bin/python manage.py compilemessages -l en --ignore=.venv

check-compose:  ## validate docker-compose.yml and the Dockerfile statically (no Docker engine needed)
	@scripts/check-compose.sh
