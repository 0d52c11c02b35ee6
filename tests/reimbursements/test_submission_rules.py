"""Submitting a care sheet: what is refused, with which published code, and nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import storages

from affiliation.models import CoveragePeriod
from cpam_portal.uploads import CheckedUpload
from reimbursements.models import CareSheet, CareSheetLine
from reimbursements.rejections import RejectionCode, rejection_codes
from reimbursements.services.submission import (
    CareSheetRefused,
    LineInput,
    form_errors,
    submit_care_sheet,
)
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.reimbursements.factories import (
    CARE_DATE,
    TODAY,
    dependant_of,
    gp_line,
    rules_from_files,  # noqa: F401
    sheet_input,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]


@pytest.fixture
def holder():
    person = InsuredPersonFactory()
    person.user = UserFactory()
    person.save()
    return person


def submit(sheet, holder, **kwargs):
    kwargs.setdefault("channel", CareSheet.Channel.ONLINE)
    kwargs.setdefault("submitted_by", holder.user)
    kwargs.setdefault("on", TODAY)
    return submit_care_sheet(sheet, **kwargs)


def refusal(sheet, holder, **kwargs) -> dict[str, RejectionCode]:
    with pytest.raises(CareSheetRefused) as caught:
        submit(sheet, holder, **kwargs)
    assert not CareSheet.objects.exists()
    assert not CareSheetLine.objects.exists()
    return {error.field: error.code for error in caught.value.errors}


def test_a_valid_sheet_is_received_with_its_lines(holder):
    submission = submit(sheet_input(holder, gp_line("30.00"), gp_line("35.00")), holder)

    sheet = submission.care_sheet
    assert not submission.is_replay
    assert (sheet.status, sheet.channel, sheet.holder, sheet.beneficiary) == (
        CareSheet.Status.RECEIVED,
        CareSheet.Channel.ONLINE,
        holder,
        holder,
    )
    assert [(line.position, line.act_code, line.amount_charged) for line in sheet.lines.all()] == [
        (1, "G", Decimal("30.00")),
        (2, "G", Decimal("35.00")),
    ]


def test_a_dependant_on_the_file_may_be_the_beneficiary(holder):
    child = dependant_of(holder)
    sheet = submit(sheet_input(holder, beneficiary=child), holder).care_sheet
    assert (sheet.holder, sheet.beneficiary) == (holder, child)


def test_a_date_in_the_future_is_refused(holder):
    errors = refusal(sheet_input(holder, care_date=TODAY + datetime.timedelta(days=1)), holder)
    assert errors == {"care_date": RejectionCode.FUTURE_DATE}


def test_care_older_than_two_years_is_refused(holder):
    errors = refusal(sheet_input(holder, care_date=datetime.date(2023, 3, 19)), holder)
    assert errors == {"care_date": RejectionCode.TOO_OLD}


def test_care_on_the_last_day_of_the_two_years_is_accepted(holder):
    assert submit(sheet_input(holder, care_date=datetime.date(2023, 3, 20)), holder)


@pytest.mark.parametrize("amount", ["-1.00", "100000.01", "12.345"])
def test_negative_or_absurd_amounts_are_refused_naming_the_line(holder, amount):
    errors = refusal(sheet_input(holder, gp_line("30.00"), gp_line(amount)), holder)
    assert errors == {"lines[1].amount_charged": RejectionCode.ABSURD_AMOUNT}


def test_a_code_unknown_on_the_date_without_a_base_is_refused(holder):
    # G did not exist before 2017-05-01 (C was the GP's consultation).
    errors = refusal(
        sheet_input(holder, gp_line(), LineInput("ZZZ9", Decimal(1), Decimal("10.00"))), holder
    )
    assert errors == {"lines[1].act_code": RejectionCode.UNKNOWN_ACT}


def test_a_medicine_without_the_base_printed_on_the_sheet_is_refused(holder):
    errors = refusal(
        sheet_input(holder, LineInput("PH7", Decimal(2), Decimal("9.80")), profession="pharmacy"),
        holder,
    )
    assert errors == {"lines[0].base": RejectionCode.UNKNOWN_ACT}


def test_a_medicine_with_its_base_is_accepted(holder):
    line = LineInput("PH7", Decimal(2), Decimal("9.80"), base=Decimal("4.90"))
    assert submit(sheet_input(holder, line, profession="pharmacy"), holder)


def test_a_code_outside_the_nomenclature_is_accepted_with_its_base(holder):
    line = LineInput("ZZZ9", Decimal(1), Decimal("10.00"), base=Decimal("10.00"))
    assert submit(sheet_input(holder, line), holder).care_sheet.lines.get().base == Decimal("10")


def test_a_person_not_on_the_file_is_refused(holder):
    stranger = InsuredPersonFactory()
    errors = refusal(sheet_input(holder, beneficiary=stranger), holder)
    assert errors == {"beneficiary": RejectionCode.NOT_ON_FILE}


def test_a_beneficiary_not_covered_on_the_date_of_care_is_refused(holder):
    CoveragePeriod.objects.filter(person=holder).update(valid_until=CARE_DATE)
    errors = refusal(sheet_input(holder), holder)
    assert errors == {"beneficiary": RejectionCode.NOT_COVERED}


def test_coverage_ending_the_day_after_the_care_is_enough(holder):
    CoveragePeriod.objects.filter(person=holder).update(
        valid_until=CARE_DATE + datetime.timedelta(days=1)
    )
    assert submit(sheet_input(holder), holder)


def test_every_reason_is_given_at_once(holder):
    sheet = sheet_input(
        holder,
        gp_line("-5.00"),
        care_date=TODAY + datetime.timedelta(days=3),
        professional_number="123",
    )
    errors = refusal(sheet, holder)
    assert errors == {
        "care_date": RejectionCode.FUTURE_DATE,
        "professional_number": RejectionCode.INVALID_PROFESSIONAL,
        "lines[0].amount_charged": RejectionCode.ABSURD_AMOUNT,
    }


def test_stay_dates_must_come_in_order(holder):
    admission = datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC)
    line = LineInput(
        "GHS",
        Decimal(1),
        Decimal("1000.00"),
        base=Decimal("1000.00"),
        admission=admission,
        discharge=admission - datetime.timedelta(hours=1),
    )
    errors = form_errors(sheet_input(holder, line, profession="hospital"), on=TODAY)
    assert [(error.field, error.code) for error in errors] == [
        ("lines[0].discharge", RejectionCode.INCONSISTENT_LINES)
    ]


def test_the_scan_is_stored_privately_with_the_sheet(holder):
    scan = CheckedUpload(
        content=b"%PDF-1.4 scan",
        content_type="application/pdf",
        extension=".pdf",
        display_name="feuille.pdf",
        size=13,
        sha256="a" * 64,
    )
    sheet = submit(sheet_input(holder), holder, scan=scan).care_sheet
    assert sheet.scan_name.startswith("reimbursements/scans/")
    with storages["private"].open(sheet.scan_name) as stored:
        assert stored.read() == b"%PDF-1.4 scan"


def test_a_refused_sheet_leaves_no_scan_behind(holder, tmp_path):
    scan = CheckedUpload(
        content=b"%PDF-1.4 scan",
        content_type="application/pdf",
        extension=".pdf",
        display_name="feuille.pdf",
        size=13,
        sha256="a" * 64,
    )
    refusal(sheet_input(holder, care_date=TODAY + datetime.timedelta(days=1)), holder, scan=scan)
    private = tmp_path / "private"
    assert not private.exists() or not any(path.is_file() for path in private.rglob("*"))


def test_the_published_list_has_stable_codes_and_labels():
    codes = dict(rejection_codes())
    assert list(codes)[:5] == ["R01", "R02", "R03", "R04", "R05"]
    assert all(label for label in codes.values())
    assert RejectionCode("R03").label.startswith("Cette feuille de soins a déjà été reçue")
