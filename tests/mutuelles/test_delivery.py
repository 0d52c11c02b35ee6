"""Push delivery in-process against the real simulator: batching, signing, sending, backoff,
dead-letter. (The same paths through a real worker: test_worker_delivery.py.)"""

import json
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mutuelles import tasks
from mutuelles.delivery import backoff, batching, sending
from mutuelles.models import (
    DeliveryAttempt,
    MutuelleContract,
    Transmission,
    WebhookMessage,
    WebhookMessageItem,
)
from mutuelles.services.clients import rotate_webhook_secret
from mutuelles.statement_format import documents_for, transmissions_with_documents
from tests.mutuelles.factories import member_of, paid_transmissions
from tests.mutuelles.factories_contracts import MutuelleFactory
from tests.mutuelles.factories_delivery import (
    mutuelle_with_webhook,
    public_ids,
    released_transmissions,
    simulator_for,
)
from tests.reimbursements.factories import rules_from_files  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

Status = WebhookMessage.Status


@pytest.fixture
def no_wait(monkeypatch):
    """Retries due at once: the tests drive the attempts one by one."""
    monkeypatch.setattr(backoff, "BASE_SECONDS", 0.0)


def statuses(model, **filters) -> list[str]:
    return sorted(model.objects.filter(**filters).values_list("status", flat=True))


# --- Batching --------------------------------------------------------------------------------


def test_released_transmissions_are_batched_once_each_with_the_feed_documents():
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 5, members=2)

    created = batching.build_messages(batch_size=2)

    assert len(created) == 3
    assert batching.build_messages(batch_size=2) == []  # nothing is batched twice
    assert WebhookMessageItem.objects.count() == 5
    messages = WebhookMessage.objects.filter(pk__in=created).order_by("pk")
    sent = []
    for message in messages:
        body = json.loads(message.body)
        assert body["type"] == "statements.available"
        assert message.endpoint == endpoint and message.status == Status.PENDING
        sent += body["data"]["statements"]
    # The documents are the feed's, in feed order.
    expected = documents_for(
        transmissions_with_documents(Transmission.objects.filter(mutuelle=mutuelle)).order_by(
            "feed_position"
        )
    )
    assert sent == json.loads(json.dumps(expected))
    assert {document["id"] for document in sent} == public_ids(transmissions)


def test_only_released_transmissions_of_mutuelles_with_an_active_webhook_are_batched():
    mutuelle, endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 1)
    awaiting = member_of(mutuelle, status=MutuelleContract.Status.DECLARED)
    paid_transmissions(awaiting, 1)  # not released: the mutuelle has not confirmed
    no_webhook = MutuelleFactory()
    released_transmissions(no_webhook, 1)  # released, for the feed only
    switched_off, off = mutuelle_with_webhook()
    released_transmissions(switched_off, 1)
    off.is_active = False
    off.save()

    batching.build_messages()

    assert list(WebhookMessageItem.objects.values_list("transmission__mutuelle", flat=True)) == [
        mutuelle.pk
    ]


def test_batching_takes_a_bounded_number_of_queries_per_batch(django_assert_max_num_queries):
    mutuelle, _endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 6, members=3)
    # endpoints; then per batch: lock, page + lines, ranks, message, items (+ savepoints);
    # then the last, empty, look — whatever the batch size.
    with django_assert_max_num_queries(14):
        created = batching.build_messages(batch_size=6)
    assert len(created) == 1


# --- Sending ---------------------------------------------------------------------------------


def test_transmit_statements_delivers_signed_batches_and_marks_the_transmissions_sent():
    mutuelle, endpoint = mutuelle_with_webhook()
    other, other_endpoint = mutuelle_with_webhook()
    own = released_transmissions(mutuelle, 3)
    others = released_transmissions(other, 2)
    with simulator_for(endpoint) as receiver, simulator_for(other_endpoint) as other_receiver:
        assert tasks.transmit_statements() == 2  # eager: built, then sent in-process

        assert set(receiver.received()["statements"]) == public_ids(own)
        assert set(other_receiver.received()["statements"]) == public_ids(others)
    assert statuses(WebhookMessage) == ["delivered", "delivered"]
    for transmission in Transmission.objects.all():
        assert transmission.status == Transmission.Status.SENT
        assert transmission.sent_at is not None
    attempt = DeliveryAttempt.objects.get(message__mutuelle=mutuelle)
    assert attempt.succeeded and attempt.status_code == 200 and attempt.number == 1
    assert tasks.transmit_statements() == 0  # safe to run again: nothing new, nothing resent
    assert DeliveryAttempt.objects.count() == 2


def test_a_statement_acknowledged_through_the_feed_keeps_its_status_once_pushed():
    mutuelle, endpoint = mutuelle_with_webhook()
    [transmission] = released_transmissions(mutuelle, 1)
    batching.build_messages()
    Transmission.objects.filter(pk=transmission.pk).update(
        status=Transmission.Status.ACKNOWLEDGED, acknowledged_at=timezone.now()
    )
    with simulator_for(endpoint):
        tasks.enqueue_due_messages()
    transmission.refresh_from_db()
    assert transmission.status == Transmission.Status.ACKNOWLEDGED
    assert transmission.sent_at is not None


@pytest.mark.parametrize(
    "fault",
    ["fail", "down", "timeout", "wrong_secret"],
)
def test_a_failed_attempt_is_logged_and_retried_later_with_the_same_id(fault, monkeypatch):
    monkeypatch.setattr(sending, "READ_TIMEOUT", 0.3)
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 2)
    [message_id] = batching.build_messages()
    with simulator_for(endpoint) as receiver:
        if fault == "wrong_secret":
            rotate_webhook_secret(endpoint)  # the mutuelle still checks with the old one: 401
        elif fault == "timeout":
            receiver.set_mode("timeout", 1)
        else:
            receiver.set_mode(fault)
        before = timezone.now()

        assert sending.deliver(message_id) == Status.PENDING

        message = WebhookMessage.objects.get(pk=message_id)
        bound = backoff.backoff_bound(1)
        assert (
            before + timedelta(seconds=bound / 2)
            <= message.next_attempt_at
            <= timezone.now() + timedelta(seconds=bound)
        )
        assert message.attempts == 1 and message.claimed_at is None
        attempt = message.deliveries.get()
        assert not attempt.succeeded and attempt.error == message.last_error != ""
        assert statuses(Transmission) == ["pending", "pending"]
        assert sending.deliver(message_id) is None  # not due yet

        # The receiver recovers; time passes; the retry goes out under the same id.
        if fault == "wrong_secret":
            endpoint.refresh_from_db()
            receiver.webhook = type(receiver.webhook)(endpoint.secret)
        receiver.set_mode("ok")
        later = message.next_attempt_at + timedelta(seconds=1)
        assert sending.deliver(message_id, now=later) == Status.DELIVERED

        received = receiver.received()
        assert sorted(received["statements"]) == sorted(public_ids(transmissions))
        assert received["messages"] == 1  # a timed-out first attempt arrived: a duplicate
        assert received["duplicate_messages"] <= 1
    assert [a.succeeded for a in WebhookMessage.objects.get().deliveries.all()] == [False, True]
    assert statuses(Transmission) == ["sent", "sent"]


def test_after_the_last_attempt_the_message_and_its_transmissions_are_dead(monkeypatch, no_wait):
    monkeypatch.setattr(backoff, "MAX_ATTEMPTS", 3)
    mutuelle, endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 2)
    [message_id] = batching.build_messages()
    with simulator_for(endpoint, mode="fail") as receiver:
        outcomes = [sending.deliver(message_id) for _ in range(4)]
        assert receiver.received()["failed_on_purpose"] == 3
    assert outcomes == [Status.PENDING, Status.PENDING, Status.DEAD, None]
    message = WebhookMessage.objects.get()
    assert message.attempts == 3 and message.next_attempt_at is None
    assert message.last_error.startswith("HTTP 500")
    assert statuses(Transmission) == ["dead", "dead"]
    assert [a.number for a in message.deliveries.all()] == [1, 2, 3]


def test_a_failing_receiver_holds_back_its_other_messages_until_the_retry():
    mutuelle, endpoint = mutuelle_with_webhook()
    other, other_endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 3)
    released_transmissions(other, 1)
    first, second, third = batching.build_messages(batch_size=1)[:3]
    with simulator_for(endpoint, mode="fail") as receiver, simulator_for(other_endpoint):
        assert sending.deliver(first) == Status.PENDING
        # Already enqueued, but the receiver failed: one request per backoff step, not one
        # per message (a hanging receiver would cost a read timeout each).
        assert sending.deliver(second) is None
        assert sending.deliver(third) is None
        assert receiver.received()["requests"] == 1
        retry_at = WebhookMessage.objects.get(pk=first).next_attempt_at
        assert set(
            WebhookMessage.objects.filter(endpoint=endpoint).values_list(
                "next_attempt_at", flat=True
            )
        ) == {retry_at}
        # Another mutuelle's receiver is not held back.
        [other_message] = WebhookMessage.objects.filter(endpoint=other_endpoint)
        assert sending.deliver(other_message.pk) == Status.DELIVERED

        receiver.set_mode("ok")
        later = retry_at + timedelta(seconds=1)
        assert [sending.deliver(pk, now=later) for pk in (first, second, third)] == [
            Status.DELIVERED
        ] * 3
    assert WebhookMessage.objects.get(pk=second).attempts == 1


def test_a_late_success_of_an_expired_claim_revives_a_message_declared_dead(monkeypatch):
    monkeypatch.setattr(backoff, "MAX_ATTEMPTS", 1)
    mutuelle, endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 1)
    [message_id] = batching.build_messages()
    slow = sending.claim(message_id, timezone.now())  # its answer comes after the lease
    later = timezone.now() + sending.CLAIM_LEASE + timedelta(seconds=1)
    sending.release_expired_claims(later)
    with simulator_for(endpoint, mode="fail"):
        assert sending.deliver(message_id, now=later) == Status.DEAD
    success = sending.AttemptResult(timezone.now(), 1, 200, "")
    assert sending.record(message_id, slow.claimed_at, success) == Status.DELIVERED
    assert statuses(Transmission) == ["sent"]


def test_a_message_is_claimed_by_one_sender_only():
    mutuelle, endpoint = mutuelle_with_webhook()
    released_transmissions(mutuelle, 1)
    [message_id] = batching.build_messages()
    now = timezone.now()
    assert sending.claim(message_id, now) is not None
    assert sending.claim(message_id, now) is None  # another worker: zero rows, nothing to do
    assert sending.deliver(message_id) is None
    assert WebhookMessage.objects.get().attempts == 1


def test_a_claim_left_by_a_dead_worker_is_given_back_after_the_lease():
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 2)
    [message_id] = batching.build_messages()
    killed = sending.claim(message_id, timezone.now())  # a worker that dies mid-send

    assert sending.release_expired_claims() == 0  # still within its lease
    later = timezone.now() + sending.CLAIM_LEASE + timedelta(seconds=1)
    assert sending.release_expired_claims(later) == 1

    with simulator_for(endpoint) as receiver:
        assert sending.deliver(message_id, now=later) == Status.DELIVERED
        assert set(receiver.received()["statements"]) == public_ids(transmissions)
    # The dead worker's late answer, had it come, changes nothing.
    failure = sending.AttemptResult(timezone.now(), 1, 500, "HTTP 500")
    assert sending.record(message_id, killed.claimed_at, failure) == Status.DELIVERED
    assert WebhookMessage.objects.get().attempts == 2


def test_the_sweep_batches_and_sends_what_a_lost_message_left(no_wait):
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 3)
    with simulator_for(endpoint) as receiver:
        tasks.sweep_webhook_messages()
        assert set(receiver.received()["statements"]) == public_ids(transmissions)
    assert statuses(WebhookMessage) == ["delivered"]


def test_the_command_make_run_calls_sends_now_what_the_sweep_would(no_wait, capsys):
    mutuelle, endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 2)
    with simulator_for(endpoint) as receiver:
        call_command("transmit_statements")
        assert set(receiver.received()["statements"]) == public_ids(transmissions)
    assert statuses(WebhookMessage) == ["delivered"]
    assert "1 new message(s) built" in capsys.readouterr().out


# --- Backoff ---------------------------------------------------------------------------------


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    assert [backoff.backoff_bound(n) for n in (1, 2, 3, 4, 8, 9, 30)] == [
        30,
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


@pytest.mark.parametrize("failed", [1, 2, 5, 9, 40])
def test_retry_delays_are_jittered_between_half_and_all_of_the_bound(failed):
    rng = random.Random(failed)
    bound = backoff.backoff_bound(failed)
    delays = [backoff.retry_delay(failed, rng=rng).total_seconds() for _ in range(200)]
    assert all(bound / 2 <= delay <= bound for delay in delays)
    assert len(set(delays)) > 100  # spread, not one fixed value


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_put_each_transmission_in_one_message_only():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    mutuelle, _endpoint = mutuelle_with_webhook()
    transmissions = released_transmissions(mutuelle, 6, members=2)

    def run(_):
        try:
            return batching.build_messages(batch_size=1)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=3) as pool:
        created = [ids for result in pool.map(run, range(3)) for ids in result]

    assert len(created) == len(set(created)) == 6
    carried = WebhookMessageItem.objects.values_list("transmission_id", flat=True)
    assert sorted(carried) == sorted(t.pk for t in transmissions)
