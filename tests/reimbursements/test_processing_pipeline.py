"""The pipeline in-process: statements, payments, ledger, outbox, rejections, claims."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from affiliation.models import BankAccount, CoveragePeriod
from cpam_portal.models import OutgoingMail
from reimbursements.models import (
    CareSheet,
    Payment,
    Statement,
    StatementLine,
    StatementOutbox,
    WithholdingDay,
    WithholdingYear,
)
from reimbursements.services import claims, processing, statements
from reimbursements.services.claims import claim_batch, expired_claims_released
from reimbursements.services.processing import process_batch, process_received
from reimbursements.signals import statements_issued
from tests.accounts.factories import UserFactory
from tests.reimbursements.factories import (
    CARE_DATE,
    CareSheetFactory,
    dependant_of,
    insured,
    rpps,
    rules_from_files,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_from_files")]

NOW = datetime.datetime(2025, 3, 20, 10, tzinfo=datetime.UTC)


def with_bank_account(person):
    BankAccount.objects.create(
        person=person, iban="FR7630006000011234567890189", holder_name=str(person)
    )
    return person


def test_a_gp_consultation_is_paid_19_euros_to_the_holder_account():
    holder = with_bank_account(insured())
    sheet = CareSheetFactory(holder=holder)

    assert process_received(now=NOW) == 1

    sheet.refresh_from_db()
    assert (sheet.status, sheet.processed_at, sheet.claim_token) == (
        CareSheet.Status.PAID,
        NOW,
        None,
    )
    statement = sheet.statement
    assert (statement.base, statement.amo_gross, statement.amo_paid) == (
        Decimal("30.00"),
        Decimal("21.00"),
        Decimal("19.00"),
    )
    assert (statement.participation_forfaitaire, statement.patient_remainder) == (
        Decimal("2.00"),
        Decimal("11.00"),
    )
    line = statement.lines.get()
    assert (line.act_code, line.rate, line.amo_paid, line.family) == (
        "G",
        Decimal("0.70"),
        Decimal("19.00"),
        "doctor",
    )
    assert [step["rule"] for step in line.explanation][:2] == [
        "tariff",
        "rate.doctor",
    ]
    payment = statement.payment
    assert (payment.amount, payment.payee, payment.status, payment.paid_on) == (
        Decimal("19.00"),
        Payment.Payee.INSURED,
        Payment.Status.SCHEDULED,
        datetime.date(2025, 3, 20),
    )
    assert payment.bank_account == holder.bank_accounts.get()
    assert payment.reference == f"RB{statement.pk:012d}"
    year = WithholdingYear.objects.get(person=holder, year=2025)
    assert (year.participation_forfaitaire, year.franchises) == (Decimal("2.00"), Decimal("0"))
    day = WithholdingDay.objects.get(person=holder, day=CARE_DATE)
    assert (day.professional_number, day.participation_count) == (rpps(1), 1)


def test_a_dependant_s_care_is_paid_to_the_holder_and_counted_on_the_dependant():
    holder = with_bank_account(insured())
    child = dependant_of(holder, birth_date=datetime.date(2015, 6, 1))
    sheet = CareSheetFactory(holder=holder, beneficiary=child)

    process_received(now=NOW)

    statement = Statement.objects.get(care_sheet=sheet)
    assert (statement.holder, statement.beneficiary) == (holder, child)
    # Under 18: no participation forfaitaire (ameli.fr participation forfaitaire page): 21 € paid.
    assert statement.amo_paid == Decimal("21.00")
    assert statement.payment.holder == holder
    assert not WithholdingYear.objects.filter(participation_forfaitaire__gt=0).exists()


def test_processing_twice_changes_nothing():
    holder = with_bank_account(insured())
    CareSheetFactory.create_batch(3, holder=holder)
    process_received(now=NOW)
    counts = (Statement.objects.count(), StatementLine.objects.count(), Payment.objects.count())

    assert process_received(now=NOW) == 0
    assert (Statement.objects.count(), StatementLine.objects.count(), Payment.objects.count()) == (
        counts
    )
    assert counts == (3, 3, 3)
    assert WithholdingYear.objects.get().participation_forfaitaire == Decimal("6.00")


def test_a_batch_written_under_a_lost_claim_is_skipped():
    """A slow worker whose lease ran out and whose sheets were claimed again writes nothing."""
    sheet = CareSheetFactory()
    old_token, ids = claim_batch(now=NOW)
    later = NOW + claims.lease() + datetime.timedelta(seconds=1)
    assert expired_claims_released(now=later) == (1, 0)
    new_token, new_ids = claim_batch(now=later)
    assert new_ids == ids == [sheet.pk]

    outcome = process_batch(old_token, ids, now=later)
    assert (outcome.skipped, outcome.paid) == (1, 0)
    assert not Statement.objects.exists()

    assert process_batch(new_token, new_ids, now=later).paid == 1
    assert Statement.objects.count() == 1


def test_a_live_claim_is_not_released_before_its_lease_ends():
    CareSheetFactory()
    claim_batch(now=NOW)
    assert expired_claims_released(now=NOW + claims.lease()) == (0, 0)
    assert CareSheet.objects.get().status == CareSheet.Status.PROCESSING


def test_a_sheet_that_never_finishes_goes_to_staff_after_five_attempts():
    sheet = CareSheetFactory()
    moment = NOW
    for _ in range(claims.MAX_ATTEMPTS):
        claim_batch(now=moment)
        moment += claims.lease() + datetime.timedelta(seconds=1)
        expired_claims_released(now=moment)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.attempts) == (CareSheet.Status.IN_REVIEW, 5)


def test_a_batch_is_claimed_oldest_first_and_only_once():
    sheets = CareSheetFactory.create_batch(5)
    _, first = claim_batch(now=NOW, batch_size=3)
    _, second = claim_batch(now=NOW, batch_size=3)
    _, third = claim_batch(now=NOW, batch_size=3)
    assert first == [sheet.pk for sheet in sheets[:3]]
    assert second == [sheet.pk for sheet in sheets[3:]]
    assert third == []


def test_a_beneficiary_no_longer_covered_is_rejected_r01_and_not_paid():
    holder = insured()
    sheet = CareSheetFactory(holder=holder)
    CoveragePeriod.objects.filter(person=holder).update(valid_until=CARE_DATE)

    process_received(now=NOW)

    sheet.refresh_from_db()
    assert (sheet.status, sheet.rejection_code) == (CareSheet.Status.REJECTED, "R01")
    assert not Statement.objects.exists()
    assert not Payment.objects.exists()
    assert not WithholdingYear.objects.filter(participation_forfaitaire__gt=0).exists()


def test_an_act_code_the_engine_does_not_know_is_rejected_r02():
    sheet = CareSheetFactory(lines=[{"act_code": "ZZZ9"}])
    other = CareSheetFactory()

    process_received(now=NOW)

    sheet.refresh_from_db()
    assert (sheet.status, sheet.rejection_code) == (CareSheet.Status.REJECTED, "R02")
    assert "lines[0].act_code" in sheet.rejection_detail
    assert CareSheet.objects.get(pk=other.pk).status == CareSheet.Status.PAID


def test_participation_is_withheld_at_most_four_times_a_day_for_one_doctor():
    holder = with_bank_account(insured())
    CareSheetFactory.create_batch(3, holder=holder)
    process_received(now=NOW, batch_size=2)
    CareSheetFactory.create_batch(3, holder=holder)
    process_received(now=NOW, batch_size=2)

    withheld = sorted(Statement.objects.values_list("participation_forfaitaire", flat=True))
    assert withheld == [Decimal("0.00")] * 2 + [Decimal("2.00")] * 4
    day = WithholdingDay.objects.get(person=holder)
    assert (day.participation_count, day.participation_amount) == (4, Decimal("8.00"))
    assert WithholdingYear.objects.get(person=holder).participation_forfaitaire == Decimal("8.00")


def test_under_tiers_payant_the_professional_is_the_payee():
    holder = with_bank_account(insured())
    CareSheetFactory(holder=holder, has_tiers_payant=True)
    process_received(now=NOW)
    payment = Payment.objects.get()
    assert (payment.payee, payment.bank_account) == (Payment.Payee.PROFESSIONAL, None)


def test_without_bank_details_the_payment_waits_for_them():
    CareSheetFactory()
    process_received(now=NOW)
    assert Payment.objects.get().status == Payment.Status.AWAITING_BANK_DETAILS


def test_nothing_paid_means_a_statement_but_no_payment():
    free = {"act_code": "ZZZ9", "base": Decimal("0.00"), "amount_charged": Decimal("0.00")}
    sheet = CareSheetFactory(lines=[free])
    process_received(now=NOW)
    assert Statement.objects.get(care_sheet=sheet).amo_paid == Decimal("0.00")
    assert CareSheet.objects.get(pk=sheet.pk).status == CareSheet.Status.PAID
    assert not Payment.objects.exists()


def test_each_statement_waits_in_the_outbox_and_readers_are_woken_after_commit(
    django_capture_on_commit_callbacks,
):
    woken = []

    def receiver(sender, count, **kwargs):
        woken.append(count)

    statements_issued.connect(receiver)
    try:
        CareSheetFactory.create_batch(2)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert process_received(now=NOW) == 2
        assert set(StatementOutbox.objects.values_list("statement", flat=True)) == set(
            Statement.objects.values_list("pk", flat=True)
        )
        assert woken == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        statements_issued.disconnect(receiver)
    assert woken == [2]


def test_a_rejected_sheet_issues_nothing_to_follow():
    CareSheetFactory(lines=[{"act_code": "ZZZ9"}])
    process_received(now=NOW)
    assert not StatementOutbox.objects.exists()


def test_one_mail_per_holder_per_batch_without_amount(settings, django_capture_on_commit_callbacks):
    holder = with_bank_account(insured())
    holder.user = UserFactory(email="camille@exemple.fr")
    holder.first_names = "Camille"  # the factory's "Camille192" would read as an amount below
    holder.save()
    without_account = with_bank_account(insured())
    CareSheetFactory.create_batch(2, holder=holder)
    CareSheetFactory(holder=without_account)

    with django_capture_on_commit_callbacks(execute=True):
        process_received(now=NOW)

    assert OutgoingMail.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["camille@exemple.fr"]
    assert "19" not in message.body and "€" not in message.body
    assert settings.SITE_URL in message.body


def test_a_rolled_back_batch_leaves_the_sheets_received(monkeypatch):
    CareSheetFactory.create_batch(2)

    def broken_write(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(statements, "write_payments", broken_write)
    with pytest.raises(RuntimeError):
        processing.process_next_batch(now=timezone.now())

    assert set(CareSheet.objects.values_list("status", flat=True)) == {"received"}
    assert not Statement.objects.exists()
    # The ledger rows created ahead of the batch stay, empty.
    assert set(WithholdingYear.objects.values_list("participation_forfaitaire", "franchises")) == {
        (Decimal("0.00"), Decimal("0.00"))
    }
