"""The pipeline: claim RECEIVED care sheets in batches, compute them, write the results.

1. Claim (own short transaction): up to `batch_size` RECEIVED sheets, oldest first, with
   `SELECT … FOR UPDATE SKIP LOCKED`, become PROCESSING with a fresh claim token, the claim time
   and one more attempt. Two workers never claim the same sheet; a worker killed after this
   leaves the sheets PROCESSING until the lease runs out and the sweep gives them back.
2. Read (no transaction): lines, the beneficiaries' affiliation records, bank accounts and
   complementary contracts of the whole batch, a handful of queries whatever its size.
3. Write (one transaction per batch): lock the sheets still claimed with OUR token (a sheet
   taken back by the sweep and claimed by someone else is skipped), lock the persons' ledger
   rows of the year with SKIP LOCKED (a person whose ledger another batch holds has their
   sheets given back to the queue rather than waited for), run the engine sheet after sheet
   with the ledger as it stands, and write statements, statement lines (COPY on PostgreSQL),
   payments, the ledger, the statements' outbox rows (for the apps that follow statements:
   the routing to mutuelles), the sheets' new status and the payment e-mails together.

Processing a sheet twice changes nothing: only a sheet PROCESSING under our token is written,
one statement per sheet and one payment per statement are unique in the database.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from affiliation.models import BankAccount, InsuredPerson
from cpam_portal.mail import send_templated_mail
from reimbursements.models import (
    CareSheet,
    CareSheetLine,
    Payment,
    Statement,
    StatementLine,
    StatementOutbox,
    WithholdingDay,
    WithholdingYear,
    payment_reference,
)
from reimbursements.rejections import RejectionCode
from reimbursements.rules import compute_sheet
from reimbursements.rules.types import (
    AlreadyWithheld,
    CareLine,
    ErrorCode,
    ExplanationStep,
    InvalidSheet,
    ParticipationCount,
    Pathway,
    Professional,
    Sector,
    SheetInput,
    SheetResult,
)
from reimbursements.signals import statements_issued
from reimbursements.situation import PersonRecord, person_records

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
# A sheet whose processing was started this many times without finishing goes to staff.
MAX_ATTEMPTS = 5
ZERO = Decimal("0.00")

# Engine error → published reason (rejections.py). Missing parameters are not the sheet's
# fault: such a sheet goes to staff instead of being rejected.
ENGINE_REJECTIONS = {
    ErrorCode.UNKNOWN_ACT_CODE: RejectionCode.UNKNOWN_ACT,
    ErrorCode.BASE_REQUIRED: RejectionCode.UNKNOWN_ACT,
    ErrorCode.QUANTITY_INVALID: RejectionCode.INCONSISTENT_LINES,
    ErrorCode.AMOUNT_NEGATIVE: RejectionCode.ABSURD_AMOUNT,
    ErrorCode.AMOUNT_TOO_LARGE: RejectionCode.ABSURD_AMOUNT,
    ErrorCode.STAY_DATES_REQUIRED: RejectionCode.INCONSISTENT_LINES,
    ErrorCode.STAY_DATES_INVALID: RejectionCode.INCONSISTENT_LINES,
    ErrorCode.NO_LINES: RejectionCode.INCONSISTENT_LINES,
    ErrorCode.BIRTH_AFTER_CARE: RejectionCode.INCONSISTENT_LINES,
}

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
SHEET_FIELDS = (
    "id",
    "holder_id",
    "beneficiary_id",
    "care_date",
    "profession",
    "sector",
    "pathway",
    "professional_number",
    "has_tiers_payant",
)
LINE_FIELDS = (
    "id",
    "care_sheet_id",
    "position",
    "act_code",
    "quantity",
    "amount_charged",
    "base",
    "is_ald_related",
    "is_at_mp_related",
    "admission",
    "discharge",
)
DAY_FIELDS = [
    "participation_count",
    "participation_amount",
    "franchise_paramedical",
    "franchise_transport",
    "franchise_medicine",
]
TOTAL_FIELDS = (
    "amount_charged",
    "base",
    "amo_gross",
    "participation_forfaitaire",
    "franchise",
    "flat_fee",
    "hospital_daily_charge",
    "amo_paid",
    "ticket_moderateur",
    "depassement",
    "css_part",
    "local_scheme_part",
    "patient_remainder",
)


@dataclass
class BatchOutcome:
    claimed: int = 0
    paid: int = 0
    rejected: int = 0
    to_staff: int = 0
    skipped: int = 0  # no longer ours when we came to write (lease expired, taken again)
    deferred: int = 0  # given back: another batch held the person's ledger
    payments: int = 0
    statement_ids: list[int] = field(default_factory=list)


# --- 1. Claim ------------------------------------------------------------------------------------


def lease() -> timedelta:
    return timedelta(seconds=settings.CELERY_CLAIM_LEASE_SECONDS)


def claim_batch(*, now: datetime, batch_size: int = DEFAULT_BATCH_SIZE) -> tuple[uuid.UUID, list]:
    """Claim up to `batch_size` RECEIVED sheets, oldest first: (token, ids), ids possibly empty."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            CareSheet.objects.filter(status=CareSheet.Status.RECEIVED)
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",), no_key=True)
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            CareSheet.objects.filter(id__in=ids).update(
                status=CareSheet.Status.PROCESSING,
                claim_token=token,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
    return token, ids


# --- 2./3. Compute and write ------------------------------------------------------------------


@dataclass
class YearCounter:
    participation: Decimal
    franchises: Decimal
    pk: int


@dataclass
class DayCounter:
    participation_count: int = 0
    participation_amount: Decimal = ZERO
    franchise_paramedical: Decimal = ZERO
    franchise_transport: Decimal = ZERO
    franchise_medicine: Decimal = ZERO
    pk: int | None = None
    changed: bool = False


class Ledger:
    """The locked ledger rows of a batch, kept in memory while the batch is computed."""

    def __init__(
        self,
        years: dict[tuple[int, int], YearCounter],
        days: dict[tuple[int, date], dict[str, DayCounter]],
    ) -> None:
        self.years = years
        self.days = days  # (person, day) → professional number → counters
        self.changed_years: set[tuple[int, int]] = set()

    def already_withheld(self, person_id: int, on: date) -> AlreadyWithheld:
        year = self.years[(person_id, on.year)]
        of_day = self.days.get((person_id, on), {})
        return AlreadyWithheld(
            participation_year=year.participation,
            franchise_year=year.franchises,
            participation_day={
                number: ParticipationCount(c.participation_count, c.participation_amount)
                for number, c in of_day.items()
                if c.participation_count
            },
            franchise_paramedical_day=sum((c.franchise_paramedical for c in of_day.values()), ZERO),
            franchise_transport_day=sum((c.franchise_transport for c in of_day.values()), ZERO),
        )

    def _day(self, person_id: int, on: date, number: str) -> DayCounter:
        counter = self.days.setdefault((person_id, on), {}).setdefault(number, DayCounter())
        counter.changed = True
        return counter

    def add(self, person_id: int, on: date, professional_number: str, result: SheetResult):
        withheld = result.withheld
        year = self.years[(person_id, on.year)]
        year.participation += withheld.participation
        year.franchises += withheld.franchise
        self.changed_years.add((person_id, on.year))
        for number, count in withheld.participation_by_professional.items():
            day = self._day(person_id, on, number)
            day.participation_count += count.count
            day.participation_amount += count.amount
        if withheld.franchise:
            day = self._day(person_id, on, professional_number)
            day.franchise_paramedical += withheld.franchise_paramedical
            day.franchise_transport += withheld.franchise_transport
            day.franchise_medicine += withheld.franchise_medicine

    def save(self, *, now: datetime) -> None:
        years = [(self.years[key].pk, self.years[key]) for key in sorted(self.changed_years)]
        days = [
            (person_id, day, number, counter)
            for (person_id, day), by_number in sorted(self.days.items())
            for number, counter in sorted(by_number.items())
            if counter.changed
        ]
        # Absolute values computed under the persons' year locks: no other transaction writes
        # these rows meanwhile, so plain overwrites are exact.
        if connection.vendor == "postgresql":
            _save_ledger_postgresql(years, days, now)
            return
        WithholdingYear.objects.bulk_update(
            [
                WithholdingYear(
                    pk=pk,
                    participation_forfaitaire=year.participation,
                    franchises=year.franchises,
                    updated_at=now,
                )
                for pk, year in years
            ],
            ["participation_forfaitaire", "franchises", "updated_at"],
        )
        rows = [
            WithholdingDay(
                pk=counter.pk,
                person_id=person_id,
                day=day,
                professional_number=number,
                **{name: getattr(counter, name) for name in DAY_FIELDS},
            )
            for person_id, day, number, counter in days
        ]
        WithholdingDay.objects.bulk_create([row for row in rows if row.pk is None])
        WithholdingDay.objects.bulk_update([row for row in rows if row.pk is not None], DAY_FIELDS)


def _save_ledger_postgresql(years, days, now: datetime) -> None:
    """One UPDATE for the years, one upsert for the days (Django's bulk_update builds a CASE
    per row and field: seconds for a batch, against milliseconds here)."""
    year_table = WithholdingYear._meta.db_table
    day_table = WithholdingDay._meta.db_table
    with connection.cursor() as cursor:
        if years:
            cursor.execute(
                f"UPDATE {year_table} AS w SET participation_forfaitaire = v.pf, "  # noqa: S608
                "franchises = v.fr, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS v(id, pf, fr) "
                "WHERE w.id = v.id",
                [
                    now,
                    [pk for pk, _ in years],
                    [year.participation for _, year in years],
                    [year.franchises for _, year in years],
                ],
            )
        if days:
            columns = ", ".join(DAY_FIELDS)
            cursor.execute(
                f"INSERT INTO {day_table} (person_id, day, professional_number, {columns}) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::varchar[], %s::smallint[], "
                "%s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[]) "
                "ON CONFLICT (person_id, day, professional_number) DO UPDATE SET "
                + ", ".join(f"{name} = EXCLUDED.{name}" for name in DAY_FIELDS),
                [
                    [row[0] for row in days],
                    [row[1] for row in days],
                    [row[2] for row in days],
                    *([getattr(row[3], name) for row in days] for name in DAY_FIELDS),
                ],
            )


def ensure_year_rows(keys: Iterable[tuple[int, int]]) -> None:
    """Create the missing (person, year) ledger rows, committed at once (zeros: harmless if the
    batch then fails), so that the batch's transaction only has rows to lock, never to create."""
    keys = sorted(set(keys))
    if connection.vendor != "postgresql":
        WithholdingYear.objects.bulk_create(
            [WithholdingYear(person_id=person_id, year=year) for person_id, year in keys],
            ignore_conflicts=True,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WithholdingYear._meta.db_table} "  # noqa: S608
            "(person_id, year, participation_forfaitaire, franchises, updated_at) "
            "SELECT person_id, year, 0, 0, now() "
            "FROM unnest(%s::bigint[], %s::int[]) AS k(person_id, year) "
            "ON CONFLICT (person_id, year) DO NOTHING",
            [[key[0] for key in keys], [key[1] for key in keys]],
        )


def lock_ledger(keys: Iterable[tuple[int, int]], days: Iterable[tuple[int, date]]) -> Ledger:
    """Lock the batch's (person, year) ledger rows that no other batch holds, and read them.

    Rows held by another batch are SKIPPED, not waited for: their persons' sheets are given
    back for a later batch (`Ledger.years` lacks them). Two workers sharing persons thus never
    wait for each other's whole transaction, and never deadlock.
    """
    keys = sorted(set(keys))
    wanted = set(keys)
    years = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = WithholdingYear._meta.db_table
            cursor.execute(
                "SELECT id, person_id, year, participation_forfaitaire, franchises "  # noqa: S608
                f"FROM {table} "
                "WHERE (person_id, year) IN (SELECT * FROM unnest(%s::bigint[], %s::int[])) "
                "ORDER BY person_id, year FOR NO KEY UPDATE SKIP LOCKED",
                [[key[0] for key in keys], [key[1] for key in keys]],
            )
            rows = cursor.fetchall()
    else:
        rows = (
            WithholdingYear.objects.filter(
                person_id__in={key[0] for key in keys}, year__in={key[1] for key in keys}
            )
            .order_by("person_id", "year")
            .select_for_update(no_key=True, skip_locked=True)
            .values_list("id", "person_id", "year", "participation_forfaitaire", "franchises")
        )
    for pk, person_id, year, participation, franchises in rows:
        if (person_id, year) in wanted:
            years[(person_id, year)] = YearCounter(participation, franchises, pk)
    wanted_days = {(person_id, day) for person_id, day in days if (person_id, day.year) in years}
    found: dict[tuple[int, date], dict[str, DayCounter]] = {}
    for row in WithholdingDay.objects.filter(
        person_id__in={person_id for person_id, _ in wanted_days},
        day__in={day for _, day in wanted_days},
    ):
        if (row.person_id, row.day) in wanted_days:
            found.setdefault((row.person_id, row.day), {})[row.professional_number] = DayCounter(
                row.participation_count,
                row.participation_amount,
                row.franchise_paramedical,
                row.franchise_transport,
                row.franchise_medicine,
                pk=row.pk,
            )
    return Ledger(years, found)


def engine_input(sheet, lines: Sequence, record: PersonRecord, ledger: Ledger) -> SheetInput:
    """The engine's input for one sheet (`sheet` and `lines`: rows of SHEET_FIELDS and
    LINE_FIELDS)."""
    professional = Professional(sheet.profession)
    return SheetInput(
        care_date=sheet.care_date,
        beneficiary=record.situation(sheet.care_date),
        lines=tuple(
            CareLine(
                act_code=line.act_code,
                amount_charged=line.amount_charged,
                professional=professional,
                quantity=line.quantity,
                base=line.base,
                sector=Sector(sheet.sector),
                pathway=Pathway(sheet.pathway),
                ald_related=line.is_ald_related,
                at_mp_related=line.is_at_mp_related,
                professional_id=sheet.professional_number,
                admission=line.admission,
                discharge=line.discharge,
            )
            for line in lines
        ),
        already_withheld=ledger.already_withheld(sheet.beneficiary_id, sheet.care_date),
    )


def explanation_json(steps: Iterable[ExplanationStep]) -> list[dict]:
    return [
        {
            "rule": step.rule,
            "value": step.value,
            "effective_from": step.effective_from.isoformat() if step.effective_from else None,
            "source": step.source,
            "params": dict(step.params),
        }
        for step in steps
    ]


def explanation_steps(data: Iterable[dict]) -> tuple[ExplanationStep, ...]:
    """The engine's steps back from a statement line's `explanation` JSON."""
    return tuple(
        ExplanationStep(
            rule=item["rule"],
            value=item["value"],
            effective_from=date.fromisoformat(item["effective_from"])
            if item.get("effective_from")
            else None,
            source=item.get("source", ""),
            params=tuple((item.get("params") or {}).items()),
        )
        for item in data
    )


def process_batch(
    token: uuid.UUID, ids: Sequence[int], *, now: datetime, rules=None, engine=compute_sheet
) -> BatchOutcome:
    """Compute and write the claimed sheets `ids` (claim `token`) in one transaction."""
    outcome = BatchOutcome(claimed=len(ids))
    if not ids:
        return outcome
    if rules is None:
        from reimbursements.nomenclature import rule_snapshot

        rules = rule_snapshot()
    today = timezone.localdate(now)

    # Rows as named tuples, not model instances: a batch reads a few thousand of them.
    lines_of: dict[int, list] = defaultdict(list)
    for line in (
        CareSheetLine.objects.filter(care_sheet_id__in=ids)
        .order_by("care_sheet_id", "position")
        .values_list(*LINE_FIELDS, named=True)
    ):
        lines_of[line.care_sheet_id].append(line)
    ensure_year_rows(
        (person_id, care_date.year)
        for person_id, care_date in CareSheet.objects.filter(id__in=ids).values_list(
            "beneficiary_id", "care_date"
        )
    )

    with transaction.atomic():
        sheets = list(
            CareSheet.objects.filter(
                id__in=ids, claim_token=token, status=CareSheet.Status.PROCESSING
            )
            .order_by("id")
            .select_for_update(of=("self",), no_key=True)
            .values_list(*SHEET_FIELDS, named=True)
        )
        outcome.skipped = len(ids) - len(sheets)
        if not sheets:
            return outcome
        records = person_records(sheet.beneficiary_id for sheet in sheets)
        ledger = lock_ledger(
            ((sheet.beneficiary_id, sheet.care_date.year) for sheet in sheets),
            ((sheet.beneficiary_id, sheet.care_date) for sheet in sheets),
        )

        results: list[tuple] = []
        rejected: dict[tuple[str, str], list[int]] = defaultdict(list)
        to_staff: dict[str, list[int]] = defaultdict(list)
        deferred: list[int] = []
        for sheet in sheets:
            if (sheet.beneficiary_id, sheet.care_date.year) not in ledger.years:
                deferred.append(sheet.id)  # another batch holds this person's ledger
                continue
            record = records[sheet.beneficiary_id]
            if not record.is_covered(sheet.care_date):
                rejected[(RejectionCode.NOT_COVERED.value, "")].append(sheet.id)
                continue
            try:
                result = engine(engine_input(sheet, lines_of[sheet.id], record, ledger), rules)
            except InvalidSheet as error:
                codes = [ENGINE_REJECTIONS.get(e.code) for e in error.errors]
                if None in codes:  # parameters missing on that date: not the sheet's fault
                    to_staff[f"{RejectionCode.RULES_UNAVAILABLE.value} {error}"[:200]].append(
                        sheet.id
                    )
                else:
                    rejected[(codes[0].value, str(error)[:200])].append(sheet.id)
                continue
            except Exception as error:  # a bug must not block the batch: staff look at it
                logger.exception("engine failed on care sheet %s", sheet.id)
                to_staff[f"engine error: {type(error).__name__}"[:200]].append(sheet.id)
                continue
            ledger.add(sheet.beneficiary_id, sheet.care_date, sheet.professional_number, result)
            results.append((sheet, result))

        statements = _write_statements(results, lines_of, today)
        outcome.statement_ids = [statement.pk for statement in statements]
        payments = _write_payments(results, statements, today)
        outcome.payments = len(payments)
        StatementOutbox.objects.bulk_create(
            StatementOutbox(statement_id=statement.pk) for statement in statements
        )
        if statements:
            # Readers of new statements (the routing to mutuelles) start after our commit, in
            # their own tasks: a slow mutuelle never holds a batch.
            count = len(statements)
            transaction.on_commit(lambda: statements_issued.send(sender=Statement, count=count))
        ledger.save(now=now)

        CareSheet.objects.filter(id__in=[sheet.id for sheet, _ in results]).update(
            status=CareSheet.Status.PAID, processed_at=now, claim_token=None, claimed_at=None
        )
        for (code, detail), sheet_ids in rejected.items():
            CareSheet.objects.filter(id__in=sheet_ids).update(
                status=CareSheet.Status.REJECTED,
                rejection_code=code,
                rejection_detail=detail,
                processed_at=now,
                claim_token=None,
                claimed_at=None,
            )
        for detail, sheet_ids in to_staff.items():
            CareSheet.objects.filter(id__in=sheet_ids).update(
                status=CareSheet.Status.IN_REVIEW,
                rejection_detail=detail,
                claim_token=None,
                claimed_at=None,
            )
        if deferred:  # not an attempt: back in the queue, first in line for the next claim
            CareSheet.objects.filter(id__in=deferred).update(
                status=CareSheet.Status.RECEIVED,
                claim_token=None,
                claimed_at=None,
                attempts=F("attempts") - 1,
            )
        _announce_payments(payments)

    outcome.deferred = len(deferred)
    outcome.paid = len(results)
    outcome.rejected = sum(len(v) for v in rejected.values())
    outcome.to_staff = sum(len(v) for v in to_staff.values())
    return outcome


def _write_statements(results, lines_of, today: date) -> list[Statement]:
    statements = [
        Statement(
            care_sheet_id=sheet.id,
            holder_id=sheet.holder_id,
            beneficiary_id=sheet.beneficiary_id,
            care_date=sheet.care_date,
            profession=sheet.profession,
            issued_on=today,
            **{name: getattr(result.totals, name) for name in TOTAL_FIELDS},
        )
        for sheet, result in results
    ]
    statements = insert_rows(Statement, statements)
    rows = []
    for statement, (sheet, result) in zip(statements, results, strict=True):
        for line, computed in zip(lines_of[sheet.id], result.lines, strict=True):
            rows.append(
                (
                    statement.pk,
                    line.id,
                    line.position,
                    computed.act_code,
                    str(computed.family),
                    computed.quantity,
                    line.amount_charged,
                    computed.rate,
                    computed.base,
                    computed.amo_gross,
                    computed.participation_forfaitaire,
                    computed.franchise,
                    str(computed.franchise_kind) if computed.franchise_kind else "",
                    computed.flat_fee,
                    computed.amo_paid,
                    computed.ticket_moderateur,
                    computed.depassement,
                    computed.hospital_daily_charge,
                    computed.hospital_days,
                    computed.css_part,
                    computed.local_scheme_part,
                    computed.patient_remainder,
                    json.dumps(explanation_json(computed.explanation)),
                )
            )
    insert_statement_lines(rows)
    return statements


def insert_rows(model, objects: list) -> list:
    """Insert `objects` and give them their ids: COPY with ids taken from the table's sequence
    on PostgreSQL (the engine's output is wide; COPY is several times faster than INSERT),
    bulk_create elsewhere."""
    if not objects or connection.vendor != "postgresql":
        return model.objects.bulk_create(objects)
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(field.column for field in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = []
                for field in fields:
                    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                        setattr(obj, field.attname, now)
                    row.append(getattr(obj, field.attname))
                copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
    return objects


def insert_statement_lines(rows: Sequence[tuple]) -> None:
    """COPY on PostgreSQL (the fastest way in), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = StatementLine._meta.db_table
        columns = ", ".join(STATEMENT_LINE_COLUMNS)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    StatementLine.objects.bulk_create(
        StatementLine(
            **dict(zip(STATEMENT_LINE_COLUMNS, row[:-1], strict=False)),
            explanation=json.loads(row[-1]),
        )
        for row in rows
    )


def _write_payments(results, statements, today: date) -> list[Payment]:
    holders = {sheet.holder_id for sheet, _ in results}
    accounts = dict(
        BankAccount.objects.filter(person_id__in=holders).current().values_list("person_id", "pk")
    )
    payments = []
    for statement, (sheet, result) in zip(statements, results, strict=True):
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
    return insert_rows(Payment, payments)


def _announce_payments(payments: Sequence[Payment]) -> None:
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


# --- Entry points ----------------------------------------------------------------------------


def release_claim(token: uuid.UUID, ids: Sequence[int]) -> int:
    """Give back sheets still claimed under `token` (after an error before the write)."""
    return CareSheet.objects.filter(
        id__in=ids, claim_token=token, status=CareSheet.Status.PROCESSING
    ).update(status=CareSheet.Status.RECEIVED, claim_token=None, claimed_at=None)


def process_next_batch(
    *, now: datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE, rules=None
) -> BatchOutcome:
    """Claim one batch and process it; on an error the claim is given back and it re-raises."""
    now = now or timezone.now()
    token, ids = claim_batch(now=now, batch_size=batch_size)
    if not ids:
        return BatchOutcome()
    try:
        return process_batch(token, ids, now=now, rules=rules)
    except BaseException:
        release_claim(token, ids)
        raise


def process_received(
    *, now: datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE, rules=None
) -> int:
    """Process every RECEIVED sheet now, batch after batch (tests, demo, the admin's button).
    Returns the number of sheets claimed."""
    total = 0
    while True:
        outcome = process_next_batch(now=now, batch_size=batch_size, rules=rules)
        if not outcome.claimed:
            return total
        total += outcome.claimed - outcome.deferred
        if outcome.deferred == outcome.claimed:
            time.sleep(0.05)  # every person's ledger held by other batches: let them finish


def expired_claims_released(*, now: datetime) -> tuple[int, int]:
    """Sheets left PROCESSING by a dead worker: back to RECEIVED, or to staff after
    MAX_ATTEMPTS (a sheet that kills its worker every time must not loop). (released, to staff)"""
    stale = Q(status=CareSheet.Status.PROCESSING, claimed_at__lt=now - lease())
    to_staff = CareSheet.objects.filter(stale, attempts__gte=MAX_ATTEMPTS).update(
        status=CareSheet.Status.IN_REVIEW,
        rejection_detail="processing did not finish after several attempts",
        claim_token=None,
        claimed_at=None,
    )
    released = CareSheet.objects.filter(stale).update(
        status=CareSheet.Status.RECEIVED, claim_token=None, claimed_at=None
    )
    return released, to_staff


def waiting_count(*, now: datetime, grace: timedelta) -> int:
    """RECEIVED sheets older than `grace` (younger ones are left to the message sent at commit)."""
    return CareSheet.objects.filter(
        status=CareSheet.Status.RECEIVED, created_at__lt=now - grace
    ).count()
