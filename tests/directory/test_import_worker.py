"""The import through a real Celery worker: upload in the admin, the worker applies or rejects,
a lost message and a killed worker are made good by the sweep."""

from datetime import timedelta

import psycopg
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.groups import DIRECTORY_EDITORS
from directory import tasks
from directory.models import DirectoryImport, Office
from tests.accounts.factories import StaffFactory
from tests.conftest import wait_for
from tests.directory.factories import AIN, LYON, NICE, FundFactory, OfficeFactory, csv_text

pytestmark = pytest.mark.worker

Status = DirectoryImport.Status
FINISHED = {Status.APPLIED, Status.REJECTED, Status.FAILED}


@pytest.fixture
def directory():
    """Three funds; Nice is in the directory with an old phone number."""
    funds = {
        code: FundFactory(department_code=code, department_name=name)
        for code, name in [("01", "Ain"), ("06", "Alpes-Maritimes"), ("69", "Rhône")]
    }
    OfficeFactory(
        fund=funds["06"],
        address_line_1="48, avenue Roi Robert",
        postcode="06100",
        city="NICE",
        phone="04 92 00 00 00",
    )
    return funds


@pytest.fixture
def editor_client(client):
    # The worker fixture's database is flushed between tests, data migrations included: the
    # group of the migration is made again here with the same permissions.
    group, _ = Group.objects.get_or_create(name=DIRECTORY_EDITORS)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="directory"))
    editor = StaffFactory()
    editor.groups.add(group)
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)
    return client


def upload(client, text: str) -> DirectoryImport:
    response = client.post(
        reverse("admin:directory_directoryimport_add"),
        {"file": SimpleUploadedFile("accueils.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DirectoryImport.objects.latest("pk")


def finished(directory_import: DirectoryImport) -> DirectoryImport:
    def reload():
        row = DirectoryImport.objects.get(pk=directory_import.pk)
        return row if row.status in FINISHED else None

    return wait_for(reload, timeout=30, message=f"import {directory_import.pk} to finish")


def offices() -> set[tuple[str, str, str]]:
    return set(Office.objects.values_list("postcode", "city", "phone"))


def test_an_upload_in_the_admin_is_applied_by_the_worker(celery_worker, directory, editor_client):
    directory_import = upload(editor_client, csv_text(AIN, NICE, LYON))

    directory_import = finished(directory_import)

    assert directory_import.status == Status.APPLIED, celery_worker.log()
    assert (
        directory_import.created_count,
        directory_import.changed_count,
        directory_import.unchanged_count,
        directory_import.rejected_count,
        directory_import.attempts,
    ) == (2, 1, 0, 0, 1)
    assert offices() == {
        ("01015", "BOURG EN BRESSE CEDEX", "04 74 45 84 84"),
        ("06100", "NICE", "04 92 09 40 00"),
        ("69907", "LYON CEDEX 20", "36 46"),
    }
    page = editor_client.get(
        reverse("admin:directory_directoryimport_change", args=[directory_import.pk])
    )
    assert "Modifié : téléphone « 04 92 00 00 00 » → « 04 92 09 40 00 »." in page.content.decode()


def test_a_malformed_upload_is_rejected_by_the_worker_and_changes_nothing(
    celery_worker, directory, editor_client
):
    before = offices()
    directory_import = upload(
        editor_client,
        csv_text(AIN, NICE.replace("06100", "6100"), LYON.replace("69,Rhône", "01,Ain"), AIN),
    )

    directory_import = finished(directory_import)

    assert directory_import.status == Status.REJECTED, celery_worker.log()
    assert offices() == before
    assert [(e["line"], e["detail"]) for e in directory_import.report] == [
        (2, "Accueil en double : même code postal et même ville qu'à la ligne 5."),
        (3, "Code postal « 6100 » : il faut 5 chiffres (un tableur a pu ôter le zéro initial)."),
        (4, "Le code postal 69907 est dans le département 69, pas dans le 01."),
        (5, "Accueil en double : même code postal et même ville qu'à la ligne 2."),
    ]


def test_an_import_whose_message_was_lost_is_applied_after_the_sweep(celery_worker, directory):
    # The upload committed while the broker was down: the row is there, no message was sent.
    lost = DirectoryImport.objects.create(
        uploaded_by=StaffFactory(), file_name="accueils.csv", content=csv_text(LYON)
    )
    DirectoryImport.objects.filter(pk=lost.pk).update(
        uploaded_at=timezone.now() - timedelta(minutes=2)
    )

    tasks.sweep_directory_imports.delay()  # what beat sends every minute

    assert finished(lost).status == Status.APPLIED, celery_worker.log()
    assert ("69907", "LYON CEDEX 20", "36 46") in offices()


@pytest.fixture
def patient_worker_env(monkeypatch):
    """The worker started after this waits on locks for a minute instead of five seconds."""
    monkeypatch.setenv("DB_LOCK_TIMEOUT_MS", "60000")
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "60000")


@pytest.fixture
def lock_on_funds():
    """Another session holding the funds locked, as a long transaction would."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as other_session:
        other_session.execute("SELECT id FROM directory_fund FOR UPDATE")
        yield other_session
        other_session.rollback()


def worker_waits_for_the_funds() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            ['%FROM "directory_fund"%FOR UPDATE%'],
        )
        return cursor.fetchone()[0] == 1


def test_a_worker_killed_mid_import_leaves_it_running_and_the_lease_gets_it_redone(
    patient_worker_env, celery_worker, directory, lock_on_funds, settings
):
    directory_import = DirectoryImport.objects.create(
        uploaded_by=StaffFactory(), file_name="accueils.csv", content=csv_text(AIN, NICE, LYON)
    )
    tasks.run_directory_import_task.delay(directory_import.pk)
    # The worker claims the import, then waits for the funds inside its transaction.
    wait_for(worker_waits_for_the_funds, message="the worker to wait for the funds' lock")
    directory_import.refresh_from_db()
    assert (directory_import.status, directory_import.attempts) == (Status.RUNNING, 1)

    celery_worker.kill()
    lock_on_funds.rollback()  # the dead worker's transaction can only end in a rollback now

    directory_import.refresh_from_db()
    assert (directory_import.status, directory_import.attempts) == (Status.RUNNING, 1)
    assert offices() == {("06100", "NICE", "04 92 00 00 00")}

    # Twenty minutes later the lease has run out; a new worker starts and beat sweeps.
    expired = timezone.now() - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS + 60)
    DirectoryImport.objects.filter(pk=directory_import.pk).update(claimed_at=expired)
    celery_worker.start()
    tasks.sweep_directory_imports.delay()

    directory_import = finished(directory_import)
    assert (directory_import.status, directory_import.attempts) == (Status.APPLIED, 2), (
        celery_worker.log()
    )
    assert directory_import.created_count == 2
    assert offices() == {
        ("01015", "BOURG EN BRESSE CEDEX", "04 74 45 84 84"),
        ("06100", "NICE", "04 92 09 40 00"),
        ("69907", "LYON CEDEX 20", "36 46"),
    }
