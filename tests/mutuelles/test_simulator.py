"""The mutuelle simulator: a real HTTP receiver that checks signatures and timestamps and
deduplicates, driven over HTTP exactly as the sender and humans drive it."""

import json
import socket
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from mutuelles.delivery.signing import signed_headers
from mutuelles.services.clients import new_webhook_secret
from mutuelles.simulator import MutuelleSimulator
from tests.conftest import wait_for


@pytest.fixture
def secret():
    return new_webhook_secret()


@pytest.fixture
def simulator(secret):
    with MutuelleSimulator(secret) as running:
        yield running


def body_of(*statement_ids) -> str:
    return json.dumps(
        {
            "type": "statements.available",
            "timestamp": datetime.now(UTC).isoformat(),
            "data": {"statements": [{"id": statement_id} for statement_id in statement_ids]},
        }
    )


def post(simulator, secret, body, *, webhook_id=None, at=None, timeout=5):
    headers = signed_headers(secret, webhook_id or f"msg_{uuid.uuid4().hex}", body, at=at)
    return requests.post(simulator.url, data=body.encode(), headers=headers, timeout=timeout)


def test_a_correctly_signed_delivery_is_recorded(simulator, secret):
    response = post(simulator, secret, body_of("a", "b"))
    assert response.status_code == 200
    received = requests.get(f"http://127.0.0.1:{simulator.port}/_received", timeout=5).json()
    assert received["statements"] == ["a", "b"]
    assert received["messages"] == 1


def test_a_delivery_signed_with_another_secret_is_refused_401(simulator):
    response = post(simulator, new_webhook_secret(), body_of("a"))
    assert response.status_code == 401
    assert simulator.received()["statements"] == []
    assert simulator.received()["rejected_signature"] == 1


def test_a_body_changed_after_signing_is_refused_401(simulator, secret):
    body = body_of("a")
    headers = signed_headers(secret, "msg_1", body)
    response = requests.post(
        simulator.url, data=body.replace('"a"', '"b"'), headers=headers, timeout=5
    )
    assert response.status_code == 401
    assert simulator.received()["statements"] == []


def test_missing_signature_headers_are_refused(simulator):
    response = requests.post(simulator.url, data=body_of("a"), timeout=5)
    assert response.status_code == 400  # no timestamp at all
    response = requests.post(
        simulator.url,
        data=body_of("a"),
        headers={
            "webhook-id": "msg_1",
            "webhook-timestamp": str(int(datetime.now(UTC).timestamp())),
        },
        timeout=5,
    )
    assert response.status_code == 401
    assert simulator.received()["statements"] == []


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_timestamp_more_than_five_minutes_away_is_refused_400(simulator, secret, skew):
    response = post(simulator, secret, body_of("a"), at=datetime.now(UTC) + skew)
    assert response.status_code == 400
    assert simulator.received()["statements"] == []
    assert simulator.received()["rejected_timestamp"] == 1


def test_a_timestamp_within_five_minutes_is_accepted(simulator, secret):
    response = post(simulator, secret, body_of("a"), at=datetime.now(UTC) - timedelta(minutes=4))
    assert response.status_code == 200


def test_the_same_webhook_id_is_processed_once(simulator, secret):
    body = body_of("a", "b")
    assert post(simulator, secret, body, webhook_id="msg_same").json()["status"] == "recorded"
    # A retry re-signs with a fresh timestamp: still the same message for the receiver.
    second = post(simulator, secret, body, webhook_id="msg_same")
    assert second.status_code == 200 and second.json()["status"] == "duplicate"
    received = simulator.received()
    assert received["statements"] == ["a", "b"]
    assert received["duplicate_messages"] == 1


def test_a_statement_seen_in_another_message_is_recorded_once(simulator, secret):
    post(simulator, secret, body_of("a", "b"))
    post(simulator, secret, body_of("b", "c"))
    received = simulator.received()
    assert received["statements"] == ["a", "b", "c"]
    assert received["duplicate_statements"] == 1
    assert received["messages"] == 2


def test_fail_mode_answers_500_and_records_nothing(simulator, secret):
    requests.post(
        f"http://127.0.0.1:{simulator.port}/_control", json={"mode": "fail"}, timeout=5
    ).raise_for_status()
    assert post(simulator, secret, body_of("a")).status_code == 500
    requests.post(f"http://127.0.0.1:{simulator.port}/_control", json={"mode": "ok"}, timeout=5)
    assert post(simulator, secret, body_of("a")).status_code == 200
    assert simulator.received()["statements"] == ["a"]


def test_timeout_mode_holds_the_answer_past_the_sender_s_timeout(simulator, secret):
    simulator.set_mode("timeout", 3)
    with pytest.raises(requests.Timeout):
        post(simulator, secret, body_of("a"), timeout=(1, 0.3))


def test_slow_mode_answers_after_the_delay(simulator, secret):
    simulator.set_mode("slow", 0.3)
    assert post(simulator, secret, body_of("a")).status_code == 200


def test_down_refuses_connections_until_up(simulator, secret):
    port = simulator.port
    requests.post(f"http://127.0.0.1:{port}/_control", json={"mode": "down"}, timeout=5)
    with pytest.raises(requests.ConnectionError):
        post(simulator, secret, body_of("a"))
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    simulator.up()
    assert simulator.port == port
    assert post(simulator, secret, body_of("a")).status_code == 200


def test_down_for_a_while_comes_back_by_itself(simulator, secret):
    simulator.set_mode("down", 0.3)
    with pytest.raises(requests.ConnectionError):
        post(simulator, secret, body_of("a"))
    wait_for(lambda: simulator.mode == "ok", timeout=5, interval=0.05, message="back up")
    assert post(simulator, secret, body_of("a")).status_code == 200


def test_an_unknown_mode_is_refused(simulator):
    response = requests.post(
        f"http://127.0.0.1:{simulator.port}/_control", json={"mode": "explode"}, timeout=5
    )
    assert response.status_code == 400
    assert simulator.mode == "ok"


def test_what_is_received_is_also_written_as_json_lines(secret, tmp_path):
    record = tmp_path / "received.jsonl"
    with MutuelleSimulator(secret, record_path=record) as simulator:
        post(simulator, secret, body_of("a", "b"), webhook_id="msg_x")
        post(simulator, secret, body_of("a", "b"), webhook_id="msg_x")
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert [(line["webhook_id"], line["statements"]) for line in lines] == [("msg_x", ["a", "b"])]
