"""`make run`'s mutuelle demo: a client that works, a webhook at the simulator, every state."""

import base64
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.loading import load_directory
from mutuelles.demo import DEMO_AMC_NUMBER
from mutuelles.models import MutuelleClient, MutuelleContract, Transmission, WebhookEndpoint
from mutuelles.scopes import SCOPES
from reimbursements.models import Statement

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("api-v1:oauth-token")


def load_demo(capsys) -> str:
    call_command("load_demo_mutuelles")
    return capsys.readouterr().out


def credentials(output: str) -> tuple[str, str]:
    client_id = re.search(r"client_id:\s+(\S+)", output)[1]
    secret = re.search(r"client_secret:\s+(\S+)", output)[1]
    return client_id, secret


def token_answer(client, client_id: str, secret: str):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )


def state() -> dict:
    return {
        "clients": list(MutuelleClient.objects.values_list("pk", "scopes")),
        "webhooks": list(WebhookEndpoint.objects.values_list("pk", "url", "secret")),
        "contracts": sorted(
            MutuelleContract.objects.values_list(
                "pk", "status", "mutuelle_reference", "confirmed_at"
            )
        ),
        "transmissions": sorted(
            Transmission.objects.values_list(
                "pk", "status", "feed_position", "acknowledged_at", "rejection_code"
            )
        ),
    }


@pytest.fixture
def demo_family(capsys):
    load_directory()
    for command in (
        "load_demo",
        "load_demo_affiliation",
        "load_demo_contracts",
        "load_demo_reimbursements",
    ):
        call_command(command)
    capsys.readouterr()


def test_the_demo_client_gets_a_token_with_every_scope(client, capsys, demo_family):
    output = load_demo(capsys)

    answer = token_answer(client, *credentials(output))

    assert answer.status_code == 200
    assert sorted(answer.json()["scope"].split()) == sorted(SCOPES)
    assert "grant_type=client_credentials" in output and "/api/v1/mutuelle/statements/" in output


def test_the_webhook_is_the_simulator_s_and_its_secret_is_printed(capsys, demo_family, monkeypatch):
    monkeypatch.setenv("MUTUELLE_SIMULATOR_PORT", "8125")
    output = load_demo(capsys)
    webhook = WebhookEndpoint.objects.get(mutuelle__amc_number=DEMO_AMC_NUMBER)
    assert webhook.url == "http://127.0.0.1:8125/webhooks/statements"
    assert webhook.secret.startswith("whsec_") and webhook.secret in output
    assert "http://127.0.0.1:8125/_received" in output


def test_the_demo_shows_each_state_of_the_link_and_of_the_statements(client, capsys, demo_family):
    load_demo(capsys)
    by_status = dict(
        MutuelleContract.objects.filter(mutuelle__amc_number=DEMO_AMC_NUMBER)
        .values_list("person__first_names", "status")
        .order_by("person__first_names")
    )
    assert by_status["Camille"] == MutuelleContract.Status.CONFIRMED
    assert by_status["Dominique"] == MutuelleContract.Status.DECLARED  # awaiting the mutuelle
    assert by_status["Noé"] == MutuelleContract.Status.SUBSCRIBED  # awaiting the person
    camille = list(
        Transmission.objects.filter(contract__person__first_names="Camille")
        .order_by("statement__care_date")
        .values_list("status", "rejection_code")
    )
    assert camille == [("acknowledged", ""), ("rejected", "not_covered")]
    assert not Transmission.objects.filter(feed_position__isnull=True, status="pending").filter(
        contract__status=MutuelleContract.Status.CONFIRMED
    )  # everything confirmed is in the feed

    client.force_login(Statement.objects.filter(holder__first_names="Camille")[0].holder.user)
    pages = " ".join(
        client.get(
            reverse("reimbursements:statement_detail", args=[statement.public_id])
        ).content.decode()
        for statement in Statement.objects.filter(holder__first_names="Camille")
    )
    assert "Reçu par Mutuelle des Lilas le" in pages
    assert "Refusé par Mutuelle des Lilas le" in pages


def test_loading_twice_changes_nothing_but_the_secret(client, capsys, demo_family):
    first_output = load_demo(capsys)
    before = state()

    second_output = load_demo(capsys)

    assert state() == before
    assert token_answer(client, *credentials(first_output)).status_code == 401
    assert token_answer(client, *credentials(second_output)).status_code == 200


def test_make_run_starts_the_simulator_for_the_demo_mutuelle():
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert f"MUTUELLE_DEMO_AMC={DEMO_AMC_NUMBER}" in script
    assert re.search(
        r"^\$PY manage.py run_mutuelle_simulator --host 127.0.0.1"
        r' --port "\$MUTUELLE_SIMULATOR_PORT" --mutuelle "\$MUTUELLE_DEMO_AMC" &\npids\+=\(\$!\)$',
        script,
        re.MULTILINE,
    )
    # The simulator reads the webhook secret the demo made; the push waits for the simulator.
    assert script.index("load_demo_mutuelles") < script.index("run_mutuelle_simulator")
    assert script.index("run_mutuelle_simulator") < script.index("manage.py transmit_statements")
