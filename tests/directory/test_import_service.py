"""The import use case: upload, claim, all-or-nothing application, report, sweep."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from directory import imports, services, tasks
from directory.models import DirectoryImport, Office
from tests.accounts.factories import StaffFactory
from tests.directory.factories import (
    AIN,
    IMPORT_HEADER,
    LYON,
    NICE,
    FundFactory,
    OfficeFactory,
    csv_text,
)

pytestmark = pytest.mark.django_db

Status = DirectoryImport.Status


def csv_bytes(*lines: str) -> bytes:
    return csv_text(*lines).encode()


@pytest.fixture
def funds():
    return {
        code: FundFactory(department_code=code, department_name=name)
        for code, name in [("01", "Ain"), ("06", "Alpes-Maritimes"), ("69", "Rhône")]
    }


@pytest.fixture
def directory(funds):
    """Two offices of the directory: Bourg as the file says, Nice with an old phone number."""
    return [
        OfficeFactory(
            fund=funds["01"],
            address_line_1="place de la Grenouillère",
            postcode="01015",
            city="BOURG EN BRESSE CEDEX",
            phone="04 74 45 84 84",
        ),
        OfficeFactory(
            fund=funds["06"],
            address_line_1="48, avenue Roi Robert",
            postcode="06100",
            city="NICE",
            phone="04 92 00 00 00",
        ),
    ]


def pending_import(*lines: str, **fields) -> DirectoryImport:
    """An import as the upload leaves it, without sending its message."""
    return DirectoryImport.objects.create(
        uploaded_by=StaffFactory(),
        file_name="accueils.csv",
        content=csv_bytes(*lines).decode(),
        **fields,
    )


def offices_as_tuples() -> set[tuple]:
    return set(
        Office.objects.values_list(
            "fund__department_code", "address_line_1", "postcode", "city", "phone", "phone_note"
        )
    )


# --- Upload -----------------------------------------------------------------------------------


def test_upload_stores_the_file_and_the_worker_applies_it_after_commit(
    funds, django_capture_on_commit_callbacks
):
    user = StaffFactory()
    upload = SimpleUploadedFile("accueils.csv", b"\xef\xbb\xbf" + csv_bytes(AIN, LYON))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        directory_import = services.create_directory_import(user, upload)
    assert len(callbacks) == 1
    directory_import.refresh_from_db()
    assert directory_import.uploaded_by == user
    assert directory_import.file_name == "accueils.csv"
    assert directory_import.content.startswith(IMPORT_HEADER)  # the BOM is not stored
    assert directory_import.status == Status.APPLIED
    assert Office.objects.count() == 2


def test_upload_sends_nothing_before_commit(funds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        directory_import = services.create_directory_import(
            StaffFactory(), SimpleUploadedFile("a.csv", csv_bytes(AIN))
        )
    directory_import.refresh_from_db()
    assert directory_import.status == Status.PENDING
    assert directory_import.attempts == 0


def test_upload_too_big_is_refused_with_a_translated_error(settings):
    settings.DIRECTORY_CSV_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        services.create_directory_import(
            StaffFactory(), SimpleUploadedFile("a.csv", csv_bytes(AIN, LYON))
        )
    assert error.value.messages == ["Le fichier dépasse la taille maximale de 100\xa0octets."]
    assert not DirectoryImport.objects.exists()


def test_upload_not_in_utf8_is_refused_with_how_to_fix_it():
    latin1 = csv_bytes(AIN).decode().encode("latin-1")
    with pytest.raises(ValidationError, match="CSV UTF-8"):
        services.create_directory_import(StaffFactory(), SimpleUploadedFile("a.csv", latin1))
    assert not DirectoryImport.objects.exists()


def test_upload_of_a_binary_file_is_refused():
    with pytest.raises(ValidationError, match="pas un fichier texte"):
        services.create_directory_import(
            StaffFactory(), SimpleUploadedFile("a.xlsx", b"PK\x03\x04\x00\x00")
        )


# --- Running an import ------------------------------------------------------------------------


def test_good_file_is_applied_with_exact_counts_and_a_report_in_french(directory):
    directory_import = pending_import(AIN, NICE, LYON)

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == Status.APPLIED
    assert (
        directory_import.created_count,
        directory_import.changed_count,
        directory_import.unchanged_count,
        directory_import.rejected_count,
    ) == (1, 1, 1, 0)
    assert directory_import.attempts == 1
    assert directory_import.finished_at is not None
    assert [(e["line"], e["outcome"], e["detail"]) for e in directory_import.report] == [
        (2, "unchanged", "Déjà à jour."),
        (3, "changed", "Modifié : téléphone « 04 92 00 00 00 » → « 04 92 09 40 00 »."),
        (4, "created", "Accueil ajouté à l'annuaire."),
    ]
    assert offices_as_tuples() == {
        ("01", "place de la Grenouillère", "01015", "BOURG EN BRESSE CEDEX", "04 74 45 84 84", ""),
        ("06", "48, avenue Roi Robert", "06100", "NICE", "04 92 09 40 00", ""),
        ("69", "rue Paul Lintier", "69907", "LYON CEDEX 20", "36 46", "prix d'un appel local"),
    }


def test_moving_an_office_to_another_fund(directory, funds):
    directory[1].postcode = "69100"
    directory[1].city = "VILLEURBANNE"
    directory[1].save()
    line = NICE.replace("06,Alpes-Maritimes", "69,Rhône").replace(
        "06100,NICE", "69100,VILLEURBANNE"
    )
    directory_import = pending_import(line)

    services.run_directory_import(directory_import.pk)

    directory[1].refresh_from_db()
    assert directory[1].fund == funds["69"]
    assert directory[1].phone == "04 92 09 40 00"


def test_one_bad_line_changes_nothing_and_the_report_names_it(directory):
    before = offices_as_tuples()
    directory_import = pending_import(AIN, NICE, LYON.replace("69907", "01907"), LYON)

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == Status.REJECTED
    assert offices_as_tuples() == before
    assert (directory_import.created_count, directory_import.changed_count) == (0, 0)
    assert directory_import.rejected_count == 1
    [entry] = directory_import.report
    assert (entry["line"], entry["outcome"]) == (4, "rejected")
    assert entry["detail"] == "Le code postal 01907 est dans le département 01, pas dans le 69."


def test_a_malformed_file_is_rejected_with_a_report_naming_each_bad_line(directory):
    before = offices_as_tuples()
    directory_import = pending_import(
        AIN,
        "06,Alpes-Maritimes,48 avenue Roi Robert,,,6100,NICE,04 92 09 40 00,",  # lost zero
        "99,Nowhere,1 rue X,,,99000,NOWHERE,04 00 00 00 00,",  # unknown département
        NICE.replace("NICE", "nice"),  # written otherwise than in the directory
        LYON,
        LYON,  # duplicate office
    )

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == Status.REJECTED
    assert offices_as_tuples() == before
    assert {e["line"]: e["detail"] for e in directory_import.report} == {
        3: "Code postal « 6100 » : il faut 5 chiffres (un tableur a pu ôter le zéro initial).",
        4: "Code postal « 99000 » : aucun département ne lui correspond. "
        "Département « 99 » : aucune caisse de l'annuaire n'a ce code.",
        5: "L'annuaire a déjà l'accueil « 06100 NICE » : écrivez la ville exactement ainsi pour "
        "le modifier.",
        6: "Accueil en double : même code postal et même ville qu'à la ligne 7.",
        7: "Accueil en double : même code postal et même ville qu'à la ligne 6.",
    }
    assert directory_import.rejected_count == 5


def test_wrong_columns_reject_the_file_at_line_one(directory):
    directory_import = pending_import(AIN)
    directory_import.content = directory_import.content.replace("phone_note", "note")
    directory_import.save()

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == Status.REJECTED
    [entry] = directory_import.report
    assert entry["line"] == 1
    assert entry["detail"].startswith("Colonnes manquantes : phone_note. Colonnes attendues :")


def test_a_second_run_does_nothing(directory):
    directory_import = pending_import(NICE, LYON)
    services.run_directory_import(directory_import.pk)
    directory[1].refresh_from_db()
    directory[1].phone = "04 00 00 00 00"  # an editor changes the office afterwards
    directory[1].save()
    applied = DirectoryImport.objects.get(pk=directory_import.pk)

    services.run_directory_import(directory_import.pk)  # the same message delivered again

    again = DirectoryImport.objects.get(pk=directory_import.pk)
    assert (again.status, again.attempts, again.finished_at, again.report) == (
        applied.status,
        applied.attempts,
        applied.finished_at,
        applied.report,
    )
    directory[1].refresh_from_db()
    assert directory[1].phone == "04 00 00 00 00"
    assert Office.objects.count() == 3


def test_a_deleted_import_is_ignored():
    services.run_directory_import(123456789)  # no error: the row is gone, nothing to do


def test_an_import_held_by_a_live_worker_is_left_to_it(directory):
    directory_import = pending_import(LYON, status=Status.RUNNING, attempts=1)
    DirectoryImport.objects.filter(pk=directory_import.pk).update(claimed_at=timezone.now())

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert (directory_import.status, directory_import.attempts) == (Status.RUNNING, 1)
    assert not Office.objects.filter(city="LYON CEDEX 20").exists()


def test_an_import_whose_worker_died_is_taken_again_after_the_lease(directory, settings):
    directory_import = pending_import(LYON, status=Status.RUNNING, attempts=1)
    expired = timezone.now() - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS + 1)
    DirectoryImport.objects.filter(pk=directory_import.pk).update(claimed_at=expired)

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert (directory_import.status, directory_import.attempts) == (Status.APPLIED, 2)
    assert Office.objects.filter(city="LYON CEDEX 20").exists()


def test_an_import_that_used_up_its_attempts_is_not_taken_again(directory, settings):
    directory_import = pending_import(LYON, status=Status.RUNNING, attempts=services.MAX_ATTEMPTS)
    expired = timezone.now() - timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS + 1)
    DirectoryImport.objects.filter(pk=directory_import.pk).update(claimed_at=expired)

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == Status.RUNNING
    assert not Office.objects.filter(city="LYON CEDEX 20").exists()


def test_a_database_error_hands_the_import_back_for_the_retry(directory, monkeypatch):
    # A lock timeout inside the transaction; raising it from the pure planner is the simplest
    # way to have the database fail at that point.
    def lock_timeout(*args, **kwargs):
        raise OperationalError("canceling statement due to lock timeout")

    directory_import = pending_import(LYON)
    monkeypatch.setattr(imports, "plan_import", lock_timeout)

    with pytest.raises(OperationalError):
        services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert (directory_import.status, directory_import.claimed_at) == (Status.PENDING, None)
    assert directory_import.attempts == 1
    monkeypatch.undo()
    services.run_directory_import(directory_import.pk)  # what the task's retry does
    directory_import.refresh_from_db()
    assert (directory_import.status, directory_import.attempts) == (Status.APPLIED, 2)


# --- Sweep ------------------------------------------------------------------------------------


def age(directory_import: DirectoryImport, **fields) -> None:
    DirectoryImport.objects.filter(pk=directory_import.pk).update(**fields)


def test_sweep_returns_lost_and_abandoned_imports_and_gives_up_exhausted_ones(settings):
    now = timezone.now()
    lease = timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)
    lost = pending_import(AIN)
    age(lost, uploaded_at=now - timedelta(minutes=2))
    just_uploaded = pending_import(AIN)
    abandoned = pending_import(AIN, status=Status.RUNNING, attempts=1)
    age(
        abandoned,
        uploaded_at=now - timedelta(hours=1),
        claimed_at=now - lease - timedelta(seconds=1),
    )
    working = pending_import(AIN, status=Status.RUNNING, attempts=1)
    age(working, uploaded_at=now - timedelta(hours=1), claimed_at=now - timedelta(minutes=5))
    exhausted = pending_import(AIN, status=Status.RUNNING, attempts=services.MAX_ATTEMPTS)
    age(exhausted, claimed_at=now - lease - timedelta(seconds=1))
    done = pending_import(AIN, status=Status.APPLIED)
    age(done, uploaded_at=now - timedelta(hours=1))

    assert services.sweep_directory_imports(now=now) == [abandoned.pk, lost.pk]

    exhausted.refresh_from_db()
    assert (exhausted.status, exhausted.finished_at) == (Status.FAILED, now)
    for untouched in (just_uploaded, working, done):
        status = untouched.status
        untouched.refresh_from_db()
        assert untouched.status == status


def test_sweep_task_gets_a_lost_import_applied(directory):
    lost = pending_import(LYON)
    age(lost, uploaded_at=timezone.now() - timedelta(minutes=2))

    tasks.sweep_directory_imports()  # tasks run in-process here: the sweep enqueues, it runs

    lost.refresh_from_db()
    assert lost.status == Status.APPLIED
    assert Office.objects.filter(city="LYON CEDEX 20").exists()


# --- Export -----------------------------------------------------------------------------------


def test_export_is_the_import_format_and_imports_back_unchanged(directory):
    exported = services.export_offices_csv()
    assert exported.splitlines()[:2] == [
        "\ufeff" + IMPORT_HEADER,
        "01,Ain,place de la Grenouillère,,,01015,BOURG EN BRESSE CEDEX,04 74 45 84 84,",
    ]
    directory_import = pending_import()
    directory_import.content = exported
    directory_import.save()

    services.run_directory_import(directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == Status.APPLIED
    assert directory_import.unchanged_count == 2
