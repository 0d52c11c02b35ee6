"""Declaring stoppages and extensions: bad input gets a named, translated error; nothing saved."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from allowances.models import SalaryAttestation, StoppageNotice, WorkStoppage
from allowances.services.common import AllowanceError
from allowances.services.stoppages import (
    NoticeInput,
    SalaryInput,
    StoppageInput,
    declare_extension,
    declare_stoppage,
    submit_salary_attestation,
)
from cpam_portal.uploads import check_upload
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.allowances.factories import VALID_RPPS, VALID_SIRET, WorkStoppageFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def png_scan():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return check_upload(SimpleUploadedFile("avis.png", out.getvalue(), content_type="image/png"))


def notice(start, end) -> NoticeInput:
    return NoticeInput(start, end, start, "Dr Claire Moreau", VALID_RPPS)


def sickness() -> StoppageInput:
    return StoppageInput("sickness", "Boulangerie Dupont", VALID_SIRET)


def stored_files() -> list[str]:
    storage = storages["private"]
    try:
        _dirs, files = storage.listdir("allowances/notices")
    except FileNotFoundError:
        return []
    return files


def declare(person, start, end, **kwargs):
    return declare_stoppage(
        person,
        sickness(),
        notice(start, end),
        scan=kwargs.pop("scan", png_scan()),
        by=kwargs.pop("by", None) or UserFactory(),
        now=NOW,
        **kwargs,
    )


def test_a_declared_stoppage_has_its_notice_and_scan():
    person = InsuredPersonFactory()
    stoppage = declare(person, date(2026, 2, 2), date(2026, 2, 15))

    notice_row = stoppage.notices.get()
    assert (stoppage.status, stoppage.start_date, stoppage.end_date) == (
        WorkStoppage.Status.RECEIVED,
        date(2026, 2, 2),
        date(2026, 2, 15),
    )
    assert (notice_row.sequence, notice_row.prescriber_rpps, notice_row.original_name) == (
        0,
        VALID_RPPS,
        "avis.png",
    )
    assert storages["private"].exists(notice_row.stored_name)
    assert stoppage.history.count() == 1


def test_an_end_before_the_start_is_refused_on_the_end_date():
    person = InsuredPersonFactory()
    with pytest.raises(AllowanceError) as error:
        declare(person, date(2026, 2, 15), date(2026, 2, 2))
    assert error.value.field == "end_date"
    assert "ne peut pas précéder" in str(error.value.message)
    assert not WorkStoppage.objects.exists()
    assert stored_files() == []


def test_a_start_before_2017_says_the_rules_are_not_held():
    person = InsuredPersonFactory()
    with pytest.raises(AllowanceError) as error:
        declare(person, date(2016, 12, 31), date(2017, 1, 10))
    assert (error.value.field, error.value.code) == ("start_date", "rules_not_held")
    assert "ne sont pas tenues" in str(error.value.message)
    assert not WorkStoppage.objects.exists()


def test_a_start_on_1_january_2017_is_accepted():
    stoppage = declare(InsuredPersonFactory(), date(2017, 1, 1), date(2017, 1, 10))
    assert stoppage.pk


def test_an_overlapping_stoppage_is_refused_and_nothing_is_stored():
    person = InsuredPersonFactory()
    declare(person, date(2026, 2, 2), date(2026, 2, 15))
    files_before = stored_files()

    with pytest.raises(AllowanceError) as error:
        declare(person, date(2026, 2, 15), date(2026, 2, 20))

    assert error.value.code == "overlap"
    assert "02/02/2026" in str(error.value.message)
    assert WorkStoppage.objects.count() == 1
    assert StoppageNotice.objects.count() == 1
    assert stored_files() == files_before


def test_another_person_may_be_off_work_on_the_same_days():
    declare(InsuredPersonFactory(), date(2026, 2, 2), date(2026, 2, 15))
    declare(InsuredPersonFactory(), date(2026, 2, 2), date(2026, 2, 15))
    assert WorkStoppage.objects.count() == 2


def test_a_refused_stoppage_does_not_block_new_dates():
    person = InsuredPersonFactory()
    WorkStoppageFactory(
        person=person,
        start_date=date(2026, 2, 2),
        end_date=date(2026, 2, 15),
        status=WorkStoppage.Status.REFUSED,
    )
    assert declare(person, date(2026, 2, 2), date(2026, 2, 15)).pk


def test_an_extension_starts_the_day_after_and_lengthens_the_stoppage():
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 15))

    extension = declare_extension(
        stoppage,
        notice(date(2026, 2, 16), date(2026, 3, 1)),
        scan=png_scan(),
        by=stoppage.declared_by,
        now=NOW,
    )

    stoppage.refresh_from_db()
    assert (extension.sequence, extension.status) == (1, StoppageNotice.Status.PENDING)
    assert stoppage.end_date == date(2026, 3, 1)


@pytest.mark.parametrize("start", [date(2026, 2, 15), date(2026, 2, 17), date(2026, 1, 1)])
def test_an_extension_that_does_not_follow_its_stoppage_is_refused(start):
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 15))

    with pytest.raises(AllowanceError) as error:
        declare_extension(
            stoppage,
            notice(start, date(2026, 3, 31)),
            scan=png_scan(),
            by=stoppage.declared_by,
            now=NOW,
        )

    assert (error.value.field, error.value.code) == ("start_date", "not_following")
    assert "16/02/2026" in str(error.value.message)
    stoppage.refresh_from_db()
    assert stoppage.end_date == date(2026, 2, 15)
    assert stoppage.notices.count() == 1
    assert stored_files() == []


def test_an_extension_of_another_kind_is_refused():
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 15))
    with pytest.raises(AllowanceError) as error:
        declare_extension(
            stoppage,
            notice(date(2026, 2, 16), date(2026, 2, 20)),
            scan=None,
            by=stoppage.declared_by,
            now=NOW,
            kind="maternity",
        )
    assert error.value.code == "other_kind"


def test_an_extension_running_into_the_next_stoppage_is_refused():
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2), end_date=date(2026, 2, 15))
    WorkStoppageFactory(
        person=stoppage.person, start_date=date(2026, 3, 1), end_date=date(2026, 3, 10)
    )
    with pytest.raises(AllowanceError) as error:
        declare_extension(
            stoppage,
            notice(date(2026, 2, 16), date(2026, 3, 2)),
            scan=None,
            by=stoppage.declared_by,
            now=NOW,
        )
    assert error.value.code == "overlap"


def test_an_extension_of_a_refused_stoppage_is_refused():
    stoppage = WorkStoppageFactory(status=WorkStoppage.Status.REFUSED)
    with pytest.raises(AllowanceError) as error:
        declare_extension(
            stoppage,
            notice(date(2026, 3, 16), date(2026, 3, 20)),
            scan=None,
            by=stoppage.declared_by,
            now=NOW,
        )
    assert error.value.code == "refused"


def month(year, number, gross="2000.00", hours="151.67"):
    return SalaryInput(date(year, number, 1), Decimal(gross), Decimal(hours))


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([], "missing"),
        ([month(2025, 12, gross="-1.00")], "negative"),
        ([month(2025, 12, hours="-5")], "negative"),
        ([month(2025, 12), month(2025, 12)], "duplicate"),
        ([month(2026, 2)], "too_late"),
        ([SalaryInput(date(2025, 12, 1), None, Decimal(1))], "missing"),
    ],
)
def test_bad_salaries_are_refused_and_nothing_is_saved(lines, code):
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2))
    with pytest.raises(AllowanceError) as error:
        submit_salary_attestation(
            stoppage, lines, document=png_scan(), by=stoppage.declared_by, now=NOW
        )
    assert (error.value.field, error.value.code) == ("months", code)
    assert not SalaryAttestation.objects.exists()


def test_salaries_given_with_the_declaration_are_saved_with_it_or_not_at_all():
    person = InsuredPersonFactory()
    with pytest.raises(AllowanceError):
        declare(person, date(2026, 2, 2), date(2026, 2, 15), salaries=[month(2025, 12, "-3")])
    assert not WorkStoppage.objects.exists()

    stoppage = declare(
        person,
        date(2026, 2, 2),
        date(2026, 2, 15),
        salaries=[month(2025, 11), month(2025, 12), month(2026, 1)],
        salary_document=png_scan(),
    )
    attestation = stoppage.salary_attestations.get()
    assert attestation.status == SalaryAttestation.Status.RECEIVED
    assert [m.month.month for m in attestation.months.all()] == [11, 12, 1]


def test_the_insured_person_must_join_the_employer_s_document():
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2))
    with pytest.raises(AllowanceError) as error:
        submit_salary_attestation(
            stoppage, [month(2026, 1)], document=None, by=stoppage.declared_by, now=NOW
        )
    assert error.value.field == "document"


def test_staff_keyed_salaries_are_accepted_at_once():
    stoppage = WorkStoppageFactory(start_date=date(2026, 2, 2))
    attestation = submit_salary_attestation(
        stoppage,
        [month(2026, 1)],
        document=None,
        by=stoppage.declared_by,
        now=NOW,
        by_staff=True,
    )
    assert (attestation.source, attestation.status) == ("staff", "accepted")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_declarations_at_the_same_time_keep_one():
    """The person's row is locked before the overlap check: the second declaration waits, then
    sees the first (and on PostgreSQL the exclusion constraint would catch it anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (make test uses it)")
    person = InsuredPersonFactory()
    user = UserFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def run(start, end):
        try:
            barrier.wait()
            declare(person, start, end, scan=None, by=user)
            outcomes.append("declared")
        except AllowanceError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(date(2026, 2, 2), date(2026, 2, 15))),
        threading.Thread(target=run, args=(date(2026, 2, 10), date(2026, 2, 20))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["declared", "overlap"]
    assert WorkStoppage.objects.filter(person=person).count() == 1
