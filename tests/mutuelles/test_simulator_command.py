"""`manage.py run_mutuelle_simulator` as humans and `make run` start it: a separate process
that takes the secret of the mutuelle's webhook from the database and registers itself."""

import json
import os
import signal
import socket
import subprocess
import sys
import uuid

import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection

from mutuelles.delivery.signing import signed_headers
from mutuelles.models import WebhookEndpoint
from mutuelles.services.clients import set_webhook
from tests.conftest import PROJECT_DIR, wait_for
from tests.mutuelles.factories_contracts import MutuelleFactory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def command_process(transactional_db):
    """Start the command against the test database; SIGINT it at the end."""
    started = []
    db = connection.settings_dict

    def start(*arguments):
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DJANGO_ENV": "test",
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_mutuelle_simulator", *arguments],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_the_command_registers_itself_and_checks_with_the_webhook_secret(command_process):
    mutuelle = MutuelleFactory()
    set_webhook(mutuelle, "https://old.example/hooks")
    port = free_port()
    process = command_process(
        "--port", str(port), "--mutuelle", mutuelle.amc_number, "--register", "--mode", "ok"
    )
    wait_for(lambda: listening(port) or process.poll() is not None, 30, 0.1, message="listen")
    assert process.poll() is None, process.stdout.read().decode()

    endpoint = WebhookEndpoint.objects.get(mutuelle=mutuelle)
    assert endpoint.url == f"http://127.0.0.1:{port}/webhooks/statements"
    body = json.dumps({"type": "statements.available", "data": {"statements": [{"id": "s1"}]}})
    headers = signed_headers(endpoint.secret, f"msg_{uuid.uuid4().hex}", body)
    response = requests.post(endpoint.url, data=body, headers=headers, timeout=5)
    assert response.status_code == 200
    received = requests.get(f"http://127.0.0.1:{port}/_received", timeout=5).json()
    assert received["statements"] == ["s1"]

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=10)
    assert "'statements': ['s1']" in output.decode()


@pytest.mark.django_db
def test_an_unknown_mutuelle_is_a_clear_error():
    with pytest.raises(CommandError, match="Aucune mutuelle"):
        call_command("run_mutuelle_simulator", "--mutuelle", "000000000")


@pytest.mark.django_db
def test_a_mutuelle_without_a_webhook_needs_register():
    mutuelle = MutuelleFactory()
    with pytest.raises(CommandError, match="--register"):
        call_command("run_mutuelle_simulator", "--mutuelle", mutuelle.amc_number)
