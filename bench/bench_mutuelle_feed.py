"""Requests per second of the mutuelle statement feed, against a bare DRF list of the same rows.

`run()` on PostgreSQL (what `make bench` provides):
1. writes BENCH_FEED_STATEMENTS care sheets (default 5 000, two lines each: a GP consultation
   and its coordination majoration) of persons whose contracts with one mutuelle are confirmed,
   runs them through the real pipeline in-process and releases the transmissions to the feed;
2. serves the project with gunicorn on loopback (gthread, BENCH_FEED_WORKERS processes,
   default 2, of 4 threads), with this module's URLconf: the project's routes plus the baseline;
3. walks both lists once to know their pages, then BENCH_FEED_CLIENTS client threads (default
   8) request those pages for BENCH_FEED_SECONDS (default 8) per round, two rounds each,
   alternating; the best round of each counts;
4. prints both speeds (requests and statements per second), their ratio, and the SQL queries
   of one page of each at two page sizes.

The feed (`GET /api/v1/mutuelle/statements/`) does all it does in production: bearer token and
client lookup, scope check, the per-client throttle (its rate raised so that it never refuses,
but its counter still kept in the project's cache), keyset page, statement documents, one row
in the client access log. The baseline is what DRF gives out of the box for the same rows: a
`ListAPIView` without authentication, permission or throttle, `CursorPagination` on
`feed_position` with the same page size, nested `ModelSerializer`s (transmission, statement,
lines) over a queryset with `select_related`/`prefetch_related` (no N+1: a fair baseline).
"""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_NAME = "BENCHFEED"
FEED_MUTUELLE = f"{BENCH_NAME} feed"
OTHER_MUTUELLE = f"{BENCH_NAME} other"
FEED_PATH = "/api/v1/mutuelle/statements/"
BASELINE_PATH = "/bench-baseline/transmissions/"
SHEETS_PER_PERSON = 5
RELEASED_AT = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
PROCESSED_AT = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)


# --- The baseline and the URLconf (this module is gunicorn's ROOT_URLCONF) ----------------------


def baseline_view():
    from django.db.models import Prefetch
    from rest_framework import generics, pagination, permissions, serializers

    from mutuelles.models import Transmission
    from reimbursements.models import Statement, StatementLine

    class LineSerializer(serializers.ModelSerializer):
        class Meta:
            model = StatementLine
            fields = [
                "position", "act_code", "quantity", "amount_charged", "base", "rate",
                "amo_gross", "participation_forfaitaire", "franchise", "franchise_kind",
                "flat_fee", "hospital_daily_charge", "amo_paid", "depassement",
                "ticket_moderateur", "css_part", "local_scheme_part",
            ]  # fmt: skip

    class StatementSerializer(serializers.ModelSerializer):
        lines = LineSerializer(many=True)

        class Meta:
            model = Statement
            fields = ["public_id", "holder", "beneficiary", "care_date", "issued_on",
                      "profession", "lines"]  # fmt: skip

    class TransmissionSerializer(serializers.ModelSerializer):
        statement = StatementSerializer()

        class Meta:
            model = Transmission
            fields = ["public_id", "feed_position", "released_at", "contract", "statement"]

    class Pages(pagination.CursorPagination):
        ordering = "feed_position"
        page_size = 100
        page_size_query_param = "page_size"
        max_page_size = 500

    class BaselineView(generics.ListAPIView):
        authentication_classes: list = []
        permission_classes = [permissions.AllowAny]
        throttle_classes: list = []
        pagination_class = Pages
        serializer_class = TransmissionSerializer

        def get_queryset(self):
            return (
                Transmission.objects.filter(
                    mutuelle__name=FEED_MUTUELLE, feed_position__isnull=False
                )
                .select_related("statement")
                .prefetch_related(
                    Prefetch("statement__lines", StatementLine.objects.order_by("position"))
                )
            )

    return BaselineView.as_view()


def __getattr__(name: str):
    # Django reads `urlpatterns` only once set up: built on first access, not at import.
    if name == "urlpatterns":
        from django.urls import path

        from cpam_portal.urls import urlpatterns as project_urlpatterns

        patterns = [*project_urlpatterns, path(BASELINE_PATH.strip("/") + "/", baseline_view())]
        globals()["urlpatterns"] = patterns
        return patterns
    raise AttributeError(name)


_application = None


def application(environ, start_response):
    """gunicorn's WSGI entry point: the project with this module as URLconf."""
    global _application
    if _application is None:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpam_portal.settings")
        django.setup()
        from django.core.wsgi import get_wsgi_application

        settings.ROOT_URLCONF = __name__
        _application = get_wsgi_application()
    return _application(environ, start_response)


# --- Data --------------------------------------------------------------------------------------


def clean() -> None:
    from oauth2_provider.models import AccessToken, Application

    from affiliation.models import InsuredPerson
    from mutuelles.models import ClientAccessLog, IdempotencyRecord, Mutuelle, MutuelleClient

    clients = MutuelleClient.objects.filter(mutuelle__name__startswith=BENCH_NAME)
    ClientAccessLog.objects.filter(client__in=clients).delete()
    IdempotencyRecord.objects.filter(client__in=clients).delete()
    applications = list(clients.values_list("application_id", flat=True))
    AccessToken.objects.filter(application_id__in=applications).delete()
    clients.delete()
    Application.objects.filter(pk__in=applications).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reimbursements_caresheet, reimbursements_caresheetline, "
            "reimbursements_historicalcaresheet, reimbursements_statement, "
            "reimbursements_statementline, reimbursements_payment, "
            "reimbursements_statementoutbox, mutuelles_transmission, "
            "reimbursements_withholdingyear, reimbursements_withholdingday CASCADE"
        )
    persons = InsuredPerson.objects.filter(last_name=BENCH_NAME)
    for model_name in ("beneficiary", "coverageperiod", "bankaccount", "mutuellecontract"):
        from django.apps import apps

        apps.get_model("affiliation", model_name).objects.filter(person__in=persons).delete()
    persons.delete()
    Mutuelle.objects.filter(name__startswith=BENCH_NAME).delete()


def create_data(statements: int) -> tuple[int, int]:
    """Persons with confirmed contracts, their sheets through the real pipeline, released.
    Returns (transmissions of the feed's mutuelle, of the other)."""
    from affiliation.models import Beneficiary, CoveragePeriod, InsuredPerson
    from mutuelles.models import Mutuelle, MutuelleContract, Transmission
    from mutuelles.services.release import release_transmissions
    from reimbursements.models import CareSheet, CareSheetLine
    from reimbursements.services.processing import process_received

    feed_mutuelle = Mutuelle.objects.create(name=FEED_MUTUELLE, amc_number="991000001")
    other = Mutuelle.objects.create(name=OTHER_MUTUELLE, amc_number="991000002")
    count = max(1, statements // SHEETS_PER_PERSON)
    gp = rpps(1)
    persons = InsuredPerson.objects.bulk_create(
        InsuredPerson(
            nir=f"7{index:014d}",
            last_name=BENCH_NAME,
            first_names=f"Personne {index}",
            sex="1" if index % 2 else "2",
            birth_date=datetime.date(1950 + index % 50, 1 + index % 12, 1 + index % 28),
            attending_doctor_rpps=gp,
            attending_doctor_name="Dr Bench",
            attending_doctor_since=datetime.date(2019, 1, 1),
        )
        for index in range(count)
    )
    Beneficiary.objects.bulk_create(
        Beneficiary(holder=p, person=p, rank=1, relationship=Beneficiary.Relationship.HOLDER)
        for p in persons
    )
    CoveragePeriod.objects.bulk_create(
        CoveragePeriod(person=p, basis="employment", valid_from=datetime.date(2018, 1, 1))
        for p in persons
    )
    # One person in ten with the other mutuelle: rows the feed must skip.
    MutuelleContract.objects.bulk_create(
        MutuelleContract(
            person=p,
            mutuelle=other if index % 10 == 9 else feed_mutuelle,
            member_number=f"M{p.pk}",
            valid_from=datetime.date(2024, 6, 1),
            status=MutuelleContract.Status.CONFIRMED,
        )
        for index, p in enumerate(persons)
    )
    sheets = CareSheet.objects.bulk_create(
        CareSheet(
            holder=persons[index % count],
            beneficiary=persons[index % count],
            channel="online",
            professional_name="Dr Bench",
            professional_number=gp,
            profession="general_practitioner",
            sector="1",
            pathway="declared_gp",
            care_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 600),
            fingerprint=uuid.uuid4().hex,
            status=CareSheet.Status.RECEIVED,
        )
        for index in range(statements)
    )
    CareSheetLine.objects.bulk_create(
        CareSheetLine(
            care_sheet=sheet, position=position, act_code=code, amount_charged=Decimal(amount)
        )
        for sheet in sheets
        for position, code, amount in ((1, "G", "30.00"), (2, "MCG", "3.00"))
    )
    process_received(now=PROCESSED_AT)
    release_transmissions(now=RELEASED_AT, limit=statements)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    released = Transmission.objects.filter(feed_position__isnull=False)
    return (
        released.filter(mutuelle=feed_mutuelle).count(),
        released.filter(mutuelle=other).count(),
    )


def rpps(serial: int) -> str:
    from stdnum import luhn

    first_10 = f"1{serial:09d}"
    return first_10 + luhn.calc_check_digit(first_10)


def bearer_token() -> str:
    """A fresh client of the feed's mutuelle and an hour-long token with statements:read."""
    import secrets

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, set_token_value

    from mutuelles.models import Mutuelle
    from mutuelles.scopes import STATEMENTS_READ
    from mutuelles.services.clients import create_client

    client, _secret = create_client(
        Mutuelle.objects.get(name=FEED_MUTUELLE), "bench", [STATEMENTS_READ]
    )
    raw = secrets.token_urlsafe(30)
    token = AccessToken(
        application=client.application,
        expires=timezone.now() + datetime.timedelta(hours=1),
        scope=STATEMENTS_READ,
    )
    set_token_value(token, raw)
    token.save()
    return raw


# --- Server and load ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    import requests

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpam_portal.settings",
        # Counted as in production, never refusing: the bench measures work, not the quota.
        "API_MUTUELLE_READ_RATE": "100000000/min",
    }
    log = log_path.open("ab")
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            sys.executable, "-m", "gunicorn", f"{__name__}:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4",
            "--worker-class", "gthread", "--log-level", "warning",
        ],
        cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{log_path.read_text()[-3000:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}{BASELINE_PATH}?page_size=1", timeout=30)
            return process
        except requests.RequestException:
            time.sleep(0.3)
    stop_server(process)  # never leave a server behind
    raise RuntimeError("gunicorn not ready after 60 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def page_urls(base: str, path: str, page_size: int, headers: dict) -> tuple[list[str], int]:
    """Every page's URL of one list, by following `next`; (urls, rows seen)."""
    import requests

    urls, rows = [], 0
    url = f"{base}{path}?page_size={page_size}"
    with requests.Session() as session:
        while url:
            response = session.get(url, headers=headers, timeout=60)
            response.raise_for_status()
            page = response.json()
            urls.append(url)
            rows += len(page["results"])
            url = page["next"]
    return urls, rows


def load(urls: list[str], headers: dict, clients: int, seconds: float) -> tuple[float, int]:
    """`clients` threads request `urls` round robin for `seconds`: (requests/s, failures)."""
    import requests

    done = [0] * clients
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = []

    def client(number: int) -> None:
        with requests.Session() as session:
            index = number * len(urls) // clients
            start.wait()
            while time.perf_counter() < stop_at[0]:
                response = session.get(urls[index % len(urls)], headers=headers, timeout=60)
                if response.status_code == 200:
                    done[number] += 1
                else:
                    failures[number] += 1
                index += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    stop_at.append(started + seconds)
    start.wait()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started), sum(failures)


def queries_per_page(token: str, page_size: int) -> dict[str, tuple[int, int]]:
    """SQL queries of one page of each list, in-process: {name: (all, of which the cache)}."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    counts = {}
    with override_settings(ROOT_URLCONF=__name__):
        client = Client(HTTP_HOST="127.0.0.1")
        for name, path, headers in (
            ("feed", FEED_PATH, {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
            ("baseline", BASELINE_PATH, {}),
        ):
            client.get(path, {"page_size": page_size}, **headers)  # warm: first-use caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, {"page_size": page_size}, **headers)
            if response.status_code != 200 or len(response.json()["results"]) != page_size:
                raise RuntimeError(f"{name}: {response.status_code} {response.content[:500]}")
            cache = sum("django_cache" in query["sql"] for query in queries.captured_queries)
            counts[name] = (len(queries), cache)
    return counts


def run() -> None:
    if connection.vendor != "postgresql":
        print("    skipped: needs PostgreSQL (run through `make bench`)")
        return
    statements = int(os.environ.get("BENCH_FEED_STATEMENTS", "5000"))
    clients = int(os.environ.get("BENCH_FEED_CLIENTS", "8"))
    seconds = float(os.environ.get("BENCH_FEED_SECONDS", "8"))
    workers = int(os.environ.get("BENCH_FEED_WORKERS", "2"))
    page_size = int(os.environ.get("BENCH_FEED_PAGE_SIZE", "100"))
    # The throttle's counters live in the database cache, whose table migrate does not create.
    call_command("createcachetable", verbosity=0)
    # whitenoise warns once per process when STATIC_ROOT has not been collected.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    clean()
    started = time.perf_counter()
    own, others = create_data(statements)
    print(
        f"    data: {statements} care sheets of 2 lines through the pipeline and released: "
        f"{own} statements in the feed's mutuelle, {others} in another "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    token = bearer_token()
    for size in (10, 100):
        counts = queries_per_page(token, size)
        print(
            f"    SQL queries per page of {size}: feed {counts['feed'][0]} "
            f"(of which {counts['feed'][1]} for the throttle's counter in the database cache), "
            f"baseline {counts['baseline'][0]}"
        )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    feed_headers = {"Authorization": f"Bearer {token}"}
    with tempfile.TemporaryDirectory(prefix="bench-feed-") as tmp:
        server = start_server(port, workers, Path(tmp) / "gunicorn.log")
        try:
            feed_urls, feed_rows = page_urls(base, FEED_PATH, page_size, feed_headers)
            baseline_urls, baseline_rows = page_urls(base, BASELINE_PATH, page_size, {})
            if not feed_rows == baseline_rows == own:
                raise RuntimeError(f"rows: feed {feed_rows}, baseline {baseline_rows}, {own}")
            best = {"feed": (0.0, 0), "baseline": (0.0, 0)}
            for _round in range(2):
                for name, urls, headers in (
                    ("baseline", baseline_urls, {}),
                    ("feed", feed_urls, feed_headers),
                ):
                    speed, failures = load(urls, headers, clients, seconds)
                    best[name] = max(best[name], (speed, failures))
        finally:
            stop_server(server)
    feed_speed, feed_failures = best["feed"]
    baseline_speed, baseline_failures = best["baseline"]
    per_page = own / len(feed_urls)
    setup = (
        f"{clients} client threads, gunicorn {workers} x 4 threads on loopback, "
        f"pages of {page_size}"
    )
    print(f"    {setup}, best of 2 rounds of {seconds:.0f} s:")
    print(
        f"    feed (token, scope, throttle, documents, access log): {feed_speed:,.1f} req/s = "
        f"{feed_speed * per_page:,.0f} statements/s ({feed_failures} failed)"
    )
    print(
        f"    bare DRF ListAPIView + nested ModelSerializers, no auth: {baseline_speed:,.1f} "
        f"req/s = {baseline_speed * per_page:,.0f} statements/s ({baseline_failures} failed)"
    )
    print(f"    ratio feed / baseline: {feed_speed / baseline_speed:.0%} (aim >= 50 %)")
    clean()
