"""What a batch writes for the sheets the engine computed: the statements and their lines, the
payments, the statements' outbox rows, and the payment e-mails. Called inside the batch's
transaction (reimbursements/services/processing.py), which also saves the ledger and the
sheets' status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from affiliation.models import BankAccount, InsuredPerson
from cpam_portal.mail import send_templated_mail
from reimbursements.explanations import steps_as_json
from reimbursements.models import (
    Payment,
    Statement,
    StatementLine,
    StatementOutbox,
    payment_reference,
)
from reimbursements.models.statements import TOTAL_AMOUNTS
from reimbursements.rules.types import SheetResult
from reimbursements.services import sql
from reimbursements.signals import statements_issued


class SheetRow(Protocol):
    """A care sheet as the pipeline reads it (processing.SHEET_FIELDS, a named tuple)."""

    id: int
    holder_id: int
    beneficiary_id: int
    care_date: date
    profession: str
    sector: str
    pathway: str
    professional_number: str
    has_tiers_payant: bool


class LineRow(Protocol):
    """A care-sheet line as the pipeline reads it (processing.LINE_FIELDS, a named tuple)."""

    id: int
    care_sheet_id: int
    position: int
    act_code: str
    quantity: Decimal
    amount_charged: Decimal
    base: Decimal | None
    is_ald_related: bool
    is_at_mp_related: bool
    admission: datetime | None
    discharge: datetime | None


# A computed sheet: its row and the engine's result.
Computed = tuple[SheetRow, SheetResult]

STATEMENT_LINE_COLUMNS = (
    "statement_id",
    "care_sheet_line_id",
    "position",
    "act_code",
    "family",
    "quantity",
    "amount_charged",
    "rate",
    "base",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "franchise_kind",
    "flat_fee",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "hospital_daily_charge",
    "hospital_days",
    "css_part",
    "local_scheme_part",
    "patient_remainder",
    "explanation",
)


def write_statements(
    computed: Sequence[Computed], lines_of: dict[int, list[LineRow]], today: date
) -> list[Statement]:
    """One statement per computed sheet, with its lines (COPY on PostgreSQL: the engine's
    output is wide), in the order of `computed`."""
    statements = sql.insert_rows(
        Statement,
        [
            Statement(
                care_sheet_id=sheet.id,
                holder_id=sheet.holder_id,
                beneficiary_id=sheet.beneficiary_id,
                care_date=sheet.care_date,
                profession=sheet.profession,
                issued_on=today,
                **{name: getattr(result.totals, name) for name in TOTAL_AMOUNTS},
            )
            for sheet, result in computed
        ],
    )
    rows = [
        (
            statement.pk,
            line.id,
            line.position,
            line_result.act_code,
            str(line_result.family),
            line_result.quantity,
            line.amount_charged,
            line_result.rate,
            line_result.base,
            line_result.amo_gross,
            line_result.participation_forfaitaire,
            line_result.franchise,
            str(line_result.franchise_kind) if line_result.franchise_kind else "",
            line_result.flat_fee,
            line_result.amo_paid,
            line_result.ticket_moderateur,
            line_result.depassement,
            line_result.hospital_daily_charge,
            line_result.hospital_days,
            line_result.css_part,
            line_result.local_scheme_part,
            line_result.patient_remainder,
            steps_as_json(line_result.explanation),
        )
        for statement, (sheet, result) in zip(statements, computed, strict=True)
        for line, line_result in zip(lines_of[sheet.id], result.lines, strict=True)
    ]
    sql.copy_rows(StatementLine, STATEMENT_LINE_COLUMNS, rows, json_columns=("explanation",))
    return statements


def write_payments(
    computed: Sequence[Computed], statements: Sequence[Statement], today: date
) -> list[Payment]:
    """A payment for each statement with something to pay: to the professional under tiers
    payant, otherwise to the holder's current account (or waiting for one)."""
    holders = {sheet.holder_id for sheet, _ in computed}
    accounts = dict(
        BankAccount.objects.filter(person_id__in=holders).current().values_list("person_id", "pk")
    )
    payments = []
    for statement, (sheet, result) in zip(statements, computed, strict=True):
        if result.totals.amo_paid <= 0:
            continue
        if sheet.has_tiers_payant:
            payee, account, status = Payment.Payee.PROFESSIONAL, None, Payment.Status.SCHEDULED
        else:
            payee, account = Payment.Payee.INSURED, accounts.get(sheet.holder_id)
            status = Payment.Status.SCHEDULED if account else Payment.Status.AWAITING_BANK_DETAILS
        payments.append(
            Payment(
                statement_id=statement.pk,
                holder_id=sheet.holder_id,
                payee=payee,
                bank_account_id=account,
                amount=result.totals.amo_paid,
                reference=payment_reference(statement.pk),
                paid_on=today,
                status=status,
            )
        )
    return sql.insert_rows(Payment, payments)


def record_issued(statements: Sequence[Statement]) -> None:
    """Leave the statements in the outbox for the apps that follow them, and wake those apps
    once the batch has committed (they work in their own tasks: a slow mutuelle never holds a
    batch). The outbox rows are the record; the wake-up only saves waiting for a sweep."""
    if not statements:
        return
    StatementOutbox.objects.bulk_create(
        StatementOutbox(statement_id=statement.pk) for statement in statements
    )
    count = len(statements)
    transaction.on_commit(lambda: statements_issued.send(sender=Statement, count=count))


def announce_payments(payments: Sequence[Payment]) -> None:
    """One e-mail per holder with an online account: no amount, a link to the account."""
    holders = {payment.holder_id for payment in payments}
    if not holders:
        return
    link = settings.SITE_URL + reverse("reimbursements:payments")
    for first_names, email in (
        InsuredPerson.objects.filter(pk__in=holders, user__isnull=False)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("first_names", "user__email")
    ):
        send_templated_mail(
            "reimbursements/mail/payment",
            {"first_names": first_names, "link_url": link},
            [email],
        )
