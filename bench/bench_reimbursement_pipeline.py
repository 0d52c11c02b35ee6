"""End-to-end throughput of the reimbursement pipeline, against a plain COPY of its output.

`run()` on PostgreSQL with Redis (what `make bench` provides):
1. writes BENCH_SHEETS care sheets (default 100 000, about 2.5 lines each: ~250 000 lines) of
   a realistic mix — GP consultations with majorations, specialists, pharmacy boxes, nurses and
   physiotherapists (key letters), biology, dentists, transport, hospital stays; sectors 1/2/3,
   parcours cases, ALD lines, tiers payant at the pharmacy; persons with dependants' shares of
   exemptions, Alsace-Moselle, complementary contracts and bank accounts — with COPY;
2. starts a real worker (`celery -A cpam_portal worker`, prefork, BENCH_CONCURRENCY processes,
   default 2), sends one batch task per process and times until no sheet is RECEIVED or
   PROCESSING, sampling the worker's memory (main process + pool children) as it goes;
3. exports what the pipeline wrote (statements, statement lines, payments, the statements'
   outbox rows or, once the routing took them, the transmissions, ledger rows), empties those
   tables and times a plain COPY of the same rows back into the same tables (same indexes,
   constraints and foreign keys), in one transaction;
4. prints both speeds in statement lines per second, their ratio, and the RSS samples.

What bounds the pipeline (measured on 2 cores): the worker's Python per line (ORM reads of the
sheets and lines, the engine, JSON of the explanation) and PostgreSQL sharing the same two
cores; batches of different processes wait on each other only when they hold sheets of the
same person (the ledger lock). The COPY baseline does no reading, no computing and no status
update of the care sheets, so 100 % is out of reach by construction.
Size: BENCH_SHEETS (e.g. 5000 for a quick run); BENCH_BATCH (sheets per batch, default 500).
The full run takes about 5 minutes on 2 cores.
"""

from __future__ import annotations

import datetime
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from cpam_portal.celery import app as celery_app
from cpam_portal.money import to_cents

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_NAME = "BENCH"
PERSONS_PER_SHEET = 0.2  # five sheets per person on average: the ledger is really shared
OUTPUT_TABLES = (  # in foreign-key order for the COPY back
    "reimbursements_statement",
    "reimbursements_statementline",
    "reimbursements_payment",
    "reimbursements_statementoutbox",
    "mutuelles_transmission",
    "reimbursements_withholdingyear",
    "reimbursements_withholdingday",
)


# --- Data ---------------------------------------------------------------------------------------


def copy_rows(table: str, columns: tuple[str, ...], rows) -> int:
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def allocate_ids(table: str, count: int) -> int:
    """Reserve `count` ids of `table`'s sequence; returns the first one."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def rpps(serial: int) -> str:
    from stdnum import luhn

    first_10 = f"1{serial:09d}"
    return first_10 + luhn.calc_check_digit(first_10)


def clean() -> None:
    with connection.cursor() as cursor:
        # With the delivery tables that reference transmissions (the webhook benchmark's).
        cursor.execute(
            "TRUNCATE mutuelles_deliveryattempt, mutuelles_webhookmessageitem, "
            "mutuelles_webhookmessage, mutuelles_webhookendpoint, "
            "reimbursements_caresheet, reimbursements_caresheetline, "
            "reimbursements_historicalcaresheet, reimbursements_statement, "
            "reimbursements_statementline, reimbursements_payment, "
            "reimbursements_statementoutbox, mutuelles_transmission, "
            "reimbursements_withholdingyear, reimbursements_withholdingday"
        )
        bench_persons = "SELECT id FROM affiliation_insuredperson WHERE last_name = %s"
        for table in (
            "affiliation_beneficiary",
            "affiliation_coverageperiod",
            "affiliation_exemption",
            "affiliation_bankaccount",
            "mutuelles_mutuellecontract",
        ):
            delete = f"DELETE FROM {table} WHERE person_id IN ({bench_persons})"  # noqa: S608
            cursor.execute(delete, [BENCH_NAME])
        cursor.execute("DELETE FROM affiliation_insuredperson WHERE last_name = %s", [BENCH_NAME])
        cursor.execute("DELETE FROM mutuelles_mutuelle WHERE name LIKE %s", [f"{BENCH_NAME}%"])


def create_persons(count: int, rng: random.Random) -> list[dict]:
    """Holders (one in five with a child on the file), their rights, banks and contracts."""
    now = datetime.datetime.now(tz=datetime.UTC)
    first = allocate_ids("affiliation_insuredperson", count)
    persons = []
    for index in range(count):
        pk = first + index
        is_child = index % 5 == 4
        birth = (
            datetime.date(2012 + index % 10, 1 + index % 12, 1 + index % 28)
            if is_child
            else datetime.date(1940 + index % 60, 1 + index % 12, 1 + index % 28)
        )
        persons.append(
            {
                "id": pk,
                "holder": pk - 1 if is_child else pk,
                "birth": birth,
                "gp": rpps(1 + index % 3000),
                "alsace": rng.random() < 0.08,
                "ald": rng.random() < 0.15,
                "css": rng.random() < 0.04,
                "mutuelle": rng.random() < 0.6,
            }
        )
    copy_rows(
        "affiliation_insuredperson",
        (
            "id", "nir", "number_kind", "last_name", "birth_name", "first_names", "sex",
            "birth_date", "email", "phone", "address_line_1", "address_line_2", "postcode",
            "city", "is_alsace_moselle", "attending_doctor_rpps", "attending_doctor_name",
            "attending_doctor_since", "created_at", "updated_at",
        ),
        (
            (
                p["id"], f"9{p['id']:014d}", "NIR", BENCH_NAME, "", f"Personne {p['id']}",
                "1" if p["id"] % 2 else "2", p["birth"], "", "", "", "", "", "", p["alsace"],
                p["gp"], "Dr Bench", datetime.date(2019, 1, 1), now, now,
            )
            for p in persons
        ),
    )  # fmt: skip
    copy_rows(
        "affiliation_beneficiary",
        ("holder_id", "person_id", "rank", "relationship", "created_at"),
        (
            (p["holder"], p["id"], 1 if p["holder"] == p["id"] else 2,
             "holder" if p["holder"] == p["id"] else "child", now)
            for p in persons
        ),
    )  # fmt: skip
    copy_rows(
        "affiliation_coverageperiod",
        ("person_id", "basis", "valid_from", "valid_until"),
        ((p["id"], "employment", datetime.date(2018, 1, 1), None) for p in persons),
    )
    copy_rows(
        "affiliation_exemption",
        ("person_id", "ground", "valid_from", "valid_until", "note"),
        (
            (p["id"], "ald" if p["ald"] else "css", datetime.date(2024, 1, 1), None, "")
            for p in persons
            if p["ald"] or p["css"]
        ),
    )
    copy_rows(
        "affiliation_bankaccount",
        ("person_id", "iban", "bic", "holder_name", "status", "created_at", "needs_review"),
        (
            (p["id"], "FR7630006000011234567890189", "", "BENCH", "active", now, False)
            for p in persons
            if p["holder"] == p["id"]
        ),
    )
    mutuelles = allocate_ids("mutuelles_mutuelle", 20)
    copy_rows(
        "mutuelles_mutuelle",
        ("id", "name", "amc_number", "contact_email", "contact_phone", "is_active"),
        (
            (mutuelles + n, f"{BENCH_NAME} {n}", f"9{mutuelles + n:08d}", "", "", True)
            for n in range(20)
        ),
    )
    copy_rows(
        "mutuelles_mutuellecontract",
        (
            "person_id", "mutuelle_id", "member_number", "valid_from", "valid_until", "status",
            "created_at", "updated_at", "public_id", "mutuelle_reference", "confirmed_at",
        ),
        (
            (p["id"], mutuelles + p["id"] % 20, f"M{p['id']}", datetime.date(2024, 6, 1), None,
             "confirmed", now, now, uuid.UUID(int=rng.getrandbits(128), version=4),
             f"C{p['id']}", now)
            for p in persons
            if p["mutuelle"]
        ),
    )  # fmt: skip
    return persons


def money(value: float) -> Decimal:
    """A generated figure as an amount to the cent (half to even: any mode does for test data)."""
    return to_cents(Decimal(str(value)), ROUND_HALF_EVEN)


def sheet_of(rng: random.Random, person: dict, care_date: datetime.date):
    """(profession, sector, pathway, professional number, tiers payant, lines) of one sheet."""
    roll = rng.random()
    ald = person["ald"] and rng.random() < 0.5
    if roll < 0.45:  # GP consultation, at the declared doctor mostly
        sector = rng.choices(["1", "2_optam", "2"], [80, 15, 5])[0]
        pathway = rng.choices(
            ["declared_gp", "emergency", "away_from_home", "outside_pathway"], [85, 3, 2, 10]
        )[0]
        number = person["gp"] if pathway == "declared_gp" else rpps(5000 + rng.randrange(500))
        charged = 30 if sector == "1" else rng.choice([35, 40, 50])
        lines = [("G", 1, money(charged), None, ald)]
        if rng.random() < 0.6:
            lines.append(("MCG", 1, money(3), None, ald))
        return "general_practitioner", sector, pathway, number, False, lines
    if roll < 0.55:  # specialists
        code = rng.choice(["APC", "CSP", "CGYN", "CNPSY"])
        pathway = "direct_access" if code == "CGYN" else "referred_by_gp"
        sector = rng.choices(["1", "2_optam", "2", "3"], [55, 25, 15, 5])[0]
        charged = rng.choice([40, 50, 60, 70, 80])
        return ("specialist", sector, pathway, rpps(6000 + rng.randrange(500)), False,
                [(code, 1, money(charged), None, ald)])  # fmt: skip
    if roll < 0.75:  # pharmacy: boxes, under tiers payant
        lines = []
        for _ in range(rng.randint(1, 7)):
            code = rng.choices(["PH7", "PH4", "PH2", "PH1"], [60, 20, 10, 10])[0]
            price, boxes = money(rng.uniform(1.5, 60)), rng.randint(1, 3)
            lines.append((code, boxes, price * boxes, price, ald))
        return "pharmacy", "1", "declared_gp", rpps(7000 + rng.randrange(300)), True, lines
    if roll < 0.83:  # nurse: key letter AMI, coefficient as quantity
        lines = [
            ("AMI", coefficient, money(3.15 * coefficient), None, ald)
            for coefficient in rng.choices([1, 2, 3, 4], k=rng.randint(2, 6))
        ]
        return "nurse", "1", "declared_gp", rpps(8000 + rng.randrange(300)), False, lines
    if roll < 0.90:  # physiotherapist
        lines = [("AMK", 8, money(17.20), None, ald) for _ in range(rng.randint(1, 4))]
        return "physiotherapist", "1", "declared_gp", rpps(8500 + rng.randrange(300)), False, lines
    if roll < 0.95:  # biology: outside the nomenclature, with the base printed on the sheet
        lines = []
        for _ in range(rng.randint(3, 6)):
            base = money(rng.uniform(5, 30))
            lines.append(("B", 1, base, base, ald))
        return "laboratory", "1", "declared_gp", rpps(9000 + rng.randrange(100)), True, lines
    if roll < 0.98:  # dentist
        base = money(28.92)
        lines = [
            ("HBQK002", 1, money(rng.choice([28.92, 40, 60])), base, False)
            for _ in range(rng.randint(1, 3))
        ]
        return "dentist", "1", "direct_access", rpps(9200 + rng.randrange(200)), False, lines
    if roll < 0.99:  # sanitary transport
        base = money(rng.uniform(40, 120))
        trips = rng.randint(1, 2)
        return ("transport", "1", "declared_gp", rpps(9500 + rng.randrange(100)), True,
                [("TAX", trips, base * trips, base, ald)])  # fmt: skip
    base = money(rng.uniform(1500, 8000))  # hospital stay
    return ("hospital", "1", "declared_gp", rpps(9700 + rng.randrange(50)), True,
            [("GHS", 1, base, base, ald)])  # fmt: skip


def create_sheets(count: int, persons: list[dict], rng: random.Random) -> int:
    """`count` RECEIVED sheets with COPY; returns the number of lines."""
    now = datetime.datetime.now(tz=datetime.UTC)
    first = allocate_ids("reimbursements_caresheet", count)
    start = datetime.date(2025, 1, 1)
    days = (datetime.date(2026, 10, 31) - start).days
    sheets, lines = [], []
    for index in range(count):
        pk = first + index
        person = persons[rng.randrange(len(persons))]
        care_date = start + datetime.timedelta(days=rng.randrange(days))
        profession, sector, pathway, number, tiers_payant, sheet_lines = sheet_of(
            rng, person, care_date
        )
        sheets.append(
            (
                pk, uuid.uuid4(), person["holder"], person["id"], "online", "Dr Bench", number,
                profession, sector, pathway, care_date, tiers_payant, "", "", "", "",
                f"bench-{pk}", "received", "", "", 0, now,
            )
        )  # fmt: skip
        for position, (code, quantity, charged, base, ald) in enumerate(sheet_lines, start=1):
            admission = discharge = None
            if code == "GHS":
                admission = datetime.datetime.combine(
                    care_date, datetime.time(8), tzinfo=datetime.UTC
                )
                discharge = admission + datetime.timedelta(days=rng.randint(0, 6), hours=9)
            lines.append(
                (pk, position, code, quantity, charged, base, ald, False, admission, discharge)
            )
    copy_rows(
        "reimbursements_caresheet",
        (
            "id", "public_id", "holder_id", "beneficiary_id", "channel", "professional_name",
            "professional_number", "profession", "sector", "pathway", "care_date",
            "has_tiers_payant", "scan_name", "scan_content_type", "scan_sha256",
            "idempotency_key", "fingerprint", "status", "rejection_code", "rejection_detail",
            "attempts", "created_at",
        ),
        sheets,
    )  # fmt: skip
    return copy_rows(
        "reimbursements_caresheetline",
        (
            "care_sheet_id", "position", "act_code", "quantity", "amount_charged", "base",
            "is_ald_related", "is_at_mp_related", "admission", "discharge",
        ),
        lines,
    )  # fmt: skip


# --- Worker --------------------------------------------------------------------------------------


def start_worker(log_path: Path, concurrency: int) -> subprocess.Popen:
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    log = log_path.open("ab")
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            sys.executable, "-m", "celery", "-A", "cpam_portal", "worker", "--pool", "prefork",
            "--concurrency", str(concurrency), "--loglevel", "INFO", "--queues", "celery,webhooks",
            "--hostname", f"bench-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited early:\n{log_path.read_text()[-3000:]}")
        if b" ready." in log_path.read_bytes():
            return process
        time.sleep(0.2)
    raise RuntimeError("worker not ready after 60 s")


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def worker_rss(main_pid: int) -> tuple[int, int]:
    """(main process + pool children RSS, largest child RSS) in MiB."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == main_pid:
                children.append(rss_kib(int(entry.name)))
    total = rss_kib(main_pid) + sum(children)
    return total // 1024, max(children, default=0) // 1024


def unfinished() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM reimbursements_caresheet "
            "WHERE status IN ('received', 'processing')"
        )
        return cursor.fetchone()[0]


def outcome_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM reimbursements_caresheet GROUP BY status")
        return dict(cursor.fetchall())


def run_pipeline(sheets: int, concurrency: int, batch: int, workdir: Path):
    from reimbursements.tasks import process_care_sheets_task

    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    worker = start_worker(workdir / "worker.log", concurrency)
    samples: list[tuple[int, int, int]] = []
    try:
        started = time.perf_counter()
        for _ in range(concurrency):
            process_care_sheets_task.delay(batch)
        next_mark = 0.0
        while True:
            left = unfinished()
            done_share = 1 - left / sheets
            if done_share >= next_mark or not left:
                samples.append((round(done_share * 100), *worker_rss(worker.pid)))
                next_mark += 0.25
            if not left:
                break
            if worker.poll() is not None:
                raise RuntimeError(f"worker died:\n{(workdir / 'worker.log').read_text()[-3000:]}")
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
    finally:
        stop_worker(worker)
    return elapsed, samples


# --- COPY baseline -------------------------------------------------------------------------------


def copy_baseline(workdir: Path, runs: int = 2) -> tuple[float, dict[str, int]]:
    """Export the pipeline's output rows, then `runs` times: empty the tables, COPY them back
    (timed, one transaction); the fastest run counts (the ratio errs against the pipeline)."""
    files: dict[str, Path] = {}
    with connection.cursor() as cursor:
        for table in OUTPUT_TABLES:
            path = workdir / f"{table}.copy"
            with path.open("wb") as out:
                export = f"COPY (SELECT * FROM {table}) TO STDOUT"  # noqa: S608 (constants)
                with cursor.cursor.copy(export) as copy:
                    for block in copy:
                        out.write(block)
            files[table] = path
    timings = []
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(OUTPUT_TABLES)} CASCADE")
            # The referenced tables as the pipeline found them: no dead rows, fresh statistics.
            cursor.execute("VACUUM ANALYZE reimbursements_caresheet, reimbursements_caresheetline")
            cursor.execute("CHECKPOINT")
        started = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in OUTPUT_TABLES:
                    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        with files[table].open("rb") as source:
                            while block := source.read(1 << 20):
                                copy.write(block)
        timings.append(time.perf_counter() - started)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in OUTPUT_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constants)
            counts[table] = cursor.fetchone()[0]
    print(f"    COPY runs: {', '.join(f'{seconds:.1f} s' for seconds in timings)}")
    return min(timings), counts


def run() -> None:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        print("    skipped: needs PostgreSQL and Redis (run through `make bench`)")
        return
    sheets = int(os.environ.get("BENCH_SHEETS", "100000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "2"))
    batch = int(os.environ.get("BENCH_BATCH", "500"))
    rng = random.Random(20251104)  # noqa: S311 (reproducible test data, not secrets)
    clean()
    started = time.perf_counter()
    persons = create_persons(max(50, int(sheets * PERSONS_PER_SHEET)), rng)
    lines = create_sheets(sheets, persons, rng)
    with connection.cursor() as cursor:
        # Sheets received over days are not fresh from a bulk load: set hint bits and
        # statistics as autovacuum would have done by then.
        cursor.execute("VACUUM ANALYZE")
    print(
        f"    data: {sheets} care sheets, {lines} lines, {len(persons)} persons "
        f"written with COPY in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        workdir = Path(tmp)
        elapsed, samples = run_pipeline(sheets, concurrency, batch, workdir)
        outcomes = outcome_counts()
        copy_seconds, counts = copy_baseline(workdir)
    statement_lines = counts["reimbursements_statementline"]
    pipeline_speed = statement_lines / elapsed
    copy_speed = statement_lines / copy_seconds
    print(
        f"    pipeline ({concurrency} worker processes, batches of {batch}): {sheets} sheets in "
        f"{elapsed:.1f} s = {sheets / elapsed:,.0f} sheets/s, {pipeline_speed:,.0f} "
        f"statement lines/s; outcome {outcomes}"
    )
    copied = ", ".join(f"{table.split('_', 1)[1]} {n}" for table, n in counts.items())
    print(
        f"    plain COPY of the same output rows ({copied}): {copy_seconds:.1f} s = "
        f"{copy_speed:,.0f} statement lines/s"
    )
    print(f"    ratio pipeline / COPY: {pipeline_speed / copy_speed:.0%} (aim >= 30 %)")
    print(
        "    worker RSS (MiB, main + pool | largest child) at "
        + ", ".join(f"{done}%: {total} | {child}" for done, total, child in samples)
    )
    clean()
