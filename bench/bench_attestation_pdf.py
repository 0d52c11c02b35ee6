"""The attestation de droits PDF: render and store time, against a bare WeasyPrint page.

The portal's target is a median under 0.5 s per attestation (docs/reliability.md#pdf-rendering).
The figure is measured here, not in a timed test: the demo family of `make run` is created in
the bench database, the attestation is issued (template, QR code, WeasyPrint, private storage,
database row) N times, and the baseline is WeasyPrint rendering a one-paragraph page in the same
process, so the ratio says what our template and bookkeeping cost on top of WeasyPrint's own
start-up per document.
"""

import os
import statistics
import tempfile
import time
from io import BytesIO

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from weasyprint import HTML

RUNS = int(os.environ.get("BENCH_PDF_RUNS", "7"))


def _median_seconds(action) -> float:
    durations = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def _bare_page() -> None:
    HTML(string="<p>Attestation</p>").write_pdf(BytesIO())


def run() -> None:
    from affiliation.demo import load_demo_affiliation
    from affiliation.services.documents import issue_attestation
    from directory.loading import load_directory

    with (
        tempfile.TemporaryDirectory() as private_root,
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
                "private": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": private_root},
                },
            }
        ),
    ):
        with transaction.atomic():
            load_directory()
            with open(os.devnull, "w") as quiet:
                call_command("load_demo", verbosity=0, stdout=quiet)
            holder = load_demo_affiliation().holder
            _bare_page()  # warm WeasyPrint's fonts and caches for both measures
            baseline = _median_seconds(_bare_page)
            attestation = _median_seconds(
                lambda: issue_attestation(
                    holder, language="fr", on=timezone.localdate(), now=timezone.now()
                )
            )
            transaction.set_rollback(True)
    print(f"    bare WeasyPrint page:       median {baseline * 1000:7.1f} ms  (baseline)")
    print(f"    attestation render + store: median {attestation * 1000:7.1f} ms  ({RUNS} runs)")
    print(f"    ratio attestation / bare page: {attestation / baseline:.1f}  (perf bar: < 0.5 s)")
