"""Use cases of the directory: importing a CSV of offices uploaded by a directory editor.

The upload only stores the file and nudges a worker. The worker claims the import with a
conditional update, checks the whole file and, in one transaction, applies every line or none.
The row is the record: a lost message or a dead worker is made good by the sweep, and running
an import twice changes nothing the second time (docs/reliability.md#claims-leases-and-sweeps).
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cpam_portal.background import enqueue_on_commit
from directory import imports, tasks
from directory.imports import ImportPlan, Outcome
from directory.models import DirectoryImport, Fund, Office

logger = logging.getLogger(__name__)

Status = DirectoryImport.Status
# Each claim counts one attempt. An import whose worker keeps dying (or keeps meeting a database
# error) is given up as failed after this many, instead of being retried for ever.
MAX_ATTEMPTS = 5
# A pending import older than this lost its message (the broker was down at upload time).
PENDING_GRACE = timedelta(minutes=1)
# The language of the report stored with the import; the admin shows it in the reader's.
REPORT_LANGUAGE = "fr"


def read_uploaded_csv(uploaded_file: UploadedFile) -> str:
    """The text of an uploaded CSV; ValidationError when too big or not UTF-8 text."""
    max_bytes = settings.DIRECTORY_CSV_MAX_BYTES
    too_big = ValidationError(
        _("Le fichier dépasse la taille maximale de %(max)s."),
        code="too_big",
        params={"max": filesizeformat(max_bytes)},
    )
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise too_big
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "Le fichier n'est pas un texte encodé en UTF-8 : dans votre tableur, "
                "enregistrez-le au format « CSV UTF-8 »."
            ),
            code="not_utf8",
        ) from None
    # PostgreSQL cannot store a NUL character in a text column; no CSV has one anyway.
    if "\x00" in text:
        raise ValidationError(
            _("Le fichier n'est pas un fichier texte : envoyez un fichier CSV."), code="not_text"
        )
    return text


def create_directory_import(user: User, uploaded_file: UploadedFile) -> DirectoryImport:
    """Store an uploaded CSV as a pending import; a worker applies it once this commits.

    Raises ValidationError (translated) when the file is too big or not UTF-8 text. What is
    wrong inside the CSV is not an error here: it goes in the import's report.
    """
    content = read_uploaded_csv(uploaded_file)
    with transaction.atomic():
        directory_import = DirectoryImport.objects.create(
            uploaded_by=user, file_name=uploaded_file.name or "", content=content
        )
        enqueue_on_commit(tasks.run_directory_import_task, directory_import.pk)
    return directory_import


def run_directory_import(import_id: int) -> None:
    """Apply an import all or nothing, and record the report; nothing if it is not ours to run.

    An import already applied, rejected or failed, held by a worker whose lease still runs, or
    deleted, is left alone: a second delivery of the same message is harmless.
    """
    claimed_at = _claim(import_id)
    if claimed_at is None:
        return
    try:
        _check_and_apply(import_id, claimed_at)
    except (OperationalError, IntegrityError):
        # Nothing was written. Hand the import back now rather than after the lease, so the
        # task's retry (OperationalError) or the next sweep (IntegrityError: an editor added
        # the same office meanwhile) takes it again with fresh data.
        _release(import_id, claimed_at)
        raise


def _claim(import_id: int) -> datetime | None:
    """Mark the import running for this call; its claim time, or None if someone else has it."""
    now = timezone.now()
    lease_start = now - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)
    claimed = DirectoryImport.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.RUNNING, claimed_at__lt=lease_start),
        pk=import_id,
        attempts__lt=MAX_ATTEMPTS,
    ).update(status=Status.RUNNING, claimed_at=now, attempts=F("attempts") + 1)
    return now if claimed else None


def _release(import_id: int, claimed_at: datetime) -> None:
    try:
        DirectoryImport.objects.filter(
            pk=import_id, status=Status.RUNNING, claimed_at=claimed_at
        ).update(status=Status.PENDING, claimed_at=None)
    except DatabaseError:
        logger.warning("directory import %s left running: the lease will free it", import_id)


def _check_and_apply(import_id: int, claimed_at: datetime) -> None:
    with transaction.atomic():
        directory_import = (
            DirectoryImport.objects.select_for_update()
            .filter(pk=import_id, status=Status.RUNNING, claimed_at=claimed_at)
            .first()
        )
        if directory_import is None:
            return  # deleted meanwhile, or taken over by another worker after a lease ran out
        # Funds and offices are locked so that the plan still holds when it is applied; a
        # second import waits here for the first to finish.
        funds = {fund.department_code: fund for fund in Fund.objects.select_for_update()}
        code_of_fund = {fund.pk: code for code, fund in funds.items()}
        offices = {
            (office.postcode, office.city): office
            for office in Office.objects.select_for_update().order_by()
        }
        existing = {
            key: {
                "department_code": code_of_fund[office.fund_id],
                **{
                    name: getattr(office, name)
                    for name in imports.COMPARED_FIELDS
                    if name != "department_code"
                },
            }
            for key, office in offices.items()
        }
        plan = imports.plan_import(directory_import.content, set(funds), existing)
        if plan.is_applicable:
            _apply(plan, funds, offices)
        directory_import.status = Status.APPLIED if plan.is_applicable else Status.REJECTED
        directory_import.created_count = plan.count(Outcome.CREATED)
        directory_import.changed_count = plan.count(Outcome.CHANGED)
        directory_import.unchanged_count = plan.count(Outcome.UNCHANGED)
        directory_import.rejected_count = plan.count(Outcome.REJECTED)
        directory_import.report = _report_entries(plan)
        directory_import.finished_at = timezone.now()
        directory_import.save(
            update_fields=[
                "status",
                "created_count",
                "changed_count",
                "unchanged_count",
                "rejected_count",
                "report",
                "finished_at",
            ]
        )
    logger.info(
        "directory import %s %s: %s created, %s changed, %s unchanged, %s rejected",
        import_id,
        directory_import.status,
        directory_import.created_count,
        directory_import.changed_count,
        directory_import.unchanged_count,
        directory_import.rejected_count,
    )


def _apply(plan: ImportPlan, funds: dict[str, Fund], offices: dict[tuple, Office]) -> None:
    Office.objects.bulk_create(
        Office(
            fund=funds[line.department_code],
            address_line_1=line.address_line_1,
            address_line_2=line.address_line_2,
            address_line_3=line.address_line_3,
            postcode=line.postcode,
            city=line.city,
            phone=line.phone,
            phone_note=line.phone_note,
        )
        for line in plan.created()
    )
    for line, changed_fields in plan.changed():
        office = offices[line.key]
        update_fields = []
        for name in changed_fields:
            if name == "department_code":
                office.fund = funds[line.department_code]
                update_fields.append("fund")
            else:
                setattr(office, name, getattr(line, name))
                update_fields.append(name)
        office.save(update_fields=update_fields)


def _report_entries(plan: ImportPlan) -> list[dict[str, Any]]:
    """The report as stored: French text in "detail", and the messages to translate it later."""
    with translation.override(REPORT_LANGUAGE):
        return [
            {
                "line": result.line,
                "outcome": str(result.outcome),
                "detail": " ".join(imports.describe(message) for message in result.messages),
                "messages": [message.as_json() for message in result.messages],
            }
            for result in plan.lines
        ]


def sweep_directory_imports(now: datetime) -> list[int]:
    """Ids of the imports a worker should take again, oldest first.

    Those are the imports pending for more than PENDING_GRACE (their message was lost) and
    those running past the lease (their worker died). An import that has used up its
    MAX_ATTEMPTS is marked failed instead, with a log line for whoever watches the logs.
    """
    lease_start = now - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)
    stalled = DirectoryImport.objects.filter(
        Q(status=Status.PENDING, uploaded_at__lt=now - PENDING_GRACE)
        | Q(status=Status.RUNNING, claimed_at__lt=lease_start)
    )
    exhausted = list(stalled.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True))
    if exhausted:
        stalled.filter(pk__in=exhausted).update(status=Status.FAILED, finished_at=now)
        logger.error("directory imports %s failed after %s attempts", exhausted, MAX_ATTEMPTS)
    return list(stalled.order_by("uploaded_at", "pk").values_list("pk", flat=True))


def export_offices_csv(offices: Iterable[Office] | None = None) -> str:
    """The offices (all of them by default) as a CSV that the import takes back unchanged."""
    if offices is None:
        offices = Office.objects.select_related("fund")
    return imports.offices_csv(
        {
            "department_code": office.fund.department_code,
            "department_label": office.fund.department_name,
            "address_line_1": office.address_line_1,
            "address_line_2": office.address_line_2,
            "address_line_3": office.address_line_3,
            "postcode": office.postcode,
            "city": office.city,
            "phone": office.phone,
            "phone_note": office.phone_note,
        }
        for office in offices
    )
