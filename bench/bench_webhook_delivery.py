"""End-to-end push delivery to the mutuelle simulator, against a bare `requests` loop.

`run()` on PostgreSQL with Redis (what `make bench` provides):
1. writes persons (60 % of them with a confirmed contract at one of 20 mutuelles, as the
   pipeline benchmark writes them) and care sheets with COPY, pays them with the real pipeline
   in-process, and releases BENCH_STATEMENTS transmissions (default 5000) to the feed;
2. points each mutuelle's webhook at one real simulator (`mutuelles.simulator`, a thread of
   this process, checking every signature and deduplicating), starts a real worker
   (`celery -A cpam_portal worker`, prefork, BENCH_CONCURRENCY processes, default 2), sends
   one `transmit_statements` and times until the simulator has recorded every statement:
   batching (documents, frozen JSON), signing, claiming, POSTing and recording included;
3. baseline, same run: the same bodies, signed the same way, POSTed one after the other by a
   bare `requests` loop in this process to a fresh simulator (no database, no Celery);
4. prints both speeds in statements per second and their ratio.

The worker's side is parallel (BENCH_CONCURRENCY processes) and the baseline is one loop, so
the ratio can exceed 100 %; both share the simulator's cost (HMAC check and JSON parse of each
body, in this process).

Measured on 2 cores (5784 statements, 67 messages): the worker ~550 statements/s, the bare loop
~9 300/s. What bounds the worker is building the documents (`statement_format`: ~2 ms per
statement, mostly model instances from the joined rows, shared with the feed), done by one
`transmit_statements` run at a time; signing, claiming and POSTing are a few ms per message.
"""

from __future__ import annotations

import datetime
import os
import random
import tempfile
import time
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

from bench.bench_reimbursement_pipeline import (
    BENCH_NAME,
    PERSONS_PER_SHEET,
    clean,
    create_persons,
    create_sheets,
    start_worker,
    stop_worker,
)
from mutuelles.delivery.signing import signed_headers
from mutuelles.models import WebhookEndpoint, WebhookMessage
from mutuelles.services.clients import new_webhook_secret
from mutuelles.services.release import release_transmissions
from mutuelles.simulator import MutuelleSimulator
from reimbursements.services.processing import process_received

SHARE_WITH_A_MUTUELLE = 0.6  # of the persons the pipeline benchmark writes
PROCESSED_AT = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
WAIT_SECONDS = 900


def released(statements: int, rng: random.Random) -> int:
    """Write and pay enough sheets for about `statements` transmissions; release them."""
    sheets = int(statements / SHARE_WITH_A_MUTUELLE * 1.15)
    persons = create_persons(max(50, int(sheets * PERSONS_PER_SHEET)), rng)
    create_sheets(sheets, persons, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    started = time.perf_counter()
    process_received(now=PROCESSED_AT)
    count = release_transmissions(limit=10 * statements)  # all of them: about `statements`
    print(
        f"    data: {sheets} care sheets paid by the pipeline in-process, {count} "
        f"transmissions released ({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    return count


def point_webhooks_at(url: str, secret: str) -> int:
    from mutuelles.models import Mutuelle

    mutuelles = Mutuelle.objects.filter(name__startswith=BENCH_NAME)
    WebhookEndpoint.objects.bulk_create(
        [WebhookEndpoint(mutuelle=m, url=url, secret=secret) for m in mutuelles]
    )
    return len(mutuelles)


def wait_until_recorded(simulator: MutuelleSimulator, count: int, worker) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while len(simulator.state.statement_ids) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(simulator.state.statement_ids)} of {count} recorded")
        if worker.poll() is not None:
            raise RuntimeError("the worker died")
        time.sleep(0.02)


def delivered_by_the_worker(count: int, secret: str, concurrency: int, workdir: Path) -> float:
    from mutuelles.tasks import transmit_statements

    with MutuelleSimulator(secret) as simulator:
        mutuelles = point_webhooks_at(simulator.url, secret)
        worker = start_worker(workdir / "worker.log", concurrency)
        try:
            started = time.perf_counter()
            transmit_statements.delay()
            wait_until_recorded(simulator, count, worker)
            elapsed = time.perf_counter() - started
        finally:
            stop_worker(worker)
        received = simulator.received()
    messages = WebhookMessage.objects.count()
    print(
        f"    worker ({concurrency} processes): {count} statements to {mutuelles} mutuelles in "
        f"{messages} signed messages, {elapsed:.1f} s = {count / elapsed:,.0f} statements/s "
        f"(duplicates seen by the receiver: {received['duplicate_statements']})",
        flush=True,
    )
    return count / elapsed


def posted_by_a_bare_loop(count: int, secret: str) -> float:
    bodies = list(WebhookMessage.objects.order_by("pk").values_list("webhook_id", "body"))
    with MutuelleSimulator(secret) as simulator:
        started = time.perf_counter()
        for webhook_id, body in bodies:
            response = requests.post(
                simulator.url,
                data=body.encode(),
                headers=signed_headers(secret, webhook_id, body),
                timeout=(3.05, 10),
            )
            response.raise_for_status()
        elapsed = time.perf_counter() - started
        recorded = len(simulator.received()["statements"])
    print(
        f"    bare requests loop (1 thread, same {len(bodies)} bodies signed): {recorded} "
        f"statements in {elapsed:.1f} s = {count / elapsed:,.0f} statements/s",
        flush=True,
    )
    return count / elapsed


def run() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        print("    skipped: needs PostgreSQL and Redis (run through `make bench`)")
        return
    statements = int(os.environ.get("BENCH_STATEMENTS", "5000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "2"))
    rng = random.Random(20251123)  # noqa: S311 (reproducible test data, not secrets)
    clean()
    try:
        count = released(statements, rng)
        secret = new_webhook_secret()
        with tempfile.TemporaryDirectory(prefix="bench-webhooks-") as tmp:
            worker_speed = delivered_by_the_worker(count, secret, concurrency, Path(tmp))
        loop_speed = posted_by_a_bare_loop(count, secret)
        print(f"    ratio worker / bare loop: {worker_speed / loop_speed:.0%}")
    finally:
        clean()
