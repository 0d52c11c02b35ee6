"""The pipeline: claim RECEIVED care sheets in batches, compute them, write the results.

1. Claim (its own short transaction, reimbursements/services/claims.py): up to a batch of
   RECEIVED sheets become PROCESSING under a fresh claim token.
2. Read (no transaction): the lines of the batch, a handful of queries whatever its size.
3. Decide and write (one transaction per batch): lock the sheets still claimed with OUR token
   (a sheet taken back by the sweep and claimed by someone else is skipped), lock the persons'
   ledger rows of the year (reimbursements/services/ledger.py: a person whose ledger another
   batch holds has their sheets given back rather than waited for), run the pure engine sheet
   after sheet with the ledger as it stands, then write statements and their lines, payments,
   the statements' outbox rows, the ledger, the sheets' new status and the payment e-mails
   together (reimbursements/services/statements.py).

Processing a sheet twice changes nothing: only a sheet PROCESSING under our token is written,
one statement per sheet and one payment per statement are unique in the database.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reimbursements.models import CareSheet, CareSheetLine
from reimbursements.rejections import RejectionCode
from reimbursements.rules import RuleSnapshot, compute_sheet
from reimbursements.rules.types import (
    CareLine,
    ErrorCode,
    InvalidSheet,
    Pathway,
    Professional,
    Sector,
    SheetInput,
    SheetResult,
)
from reimbursements.services import statements
from reimbursements.services.claims import DEFAULT_BATCH_SIZE, claim_batch, release_claim
from reimbursements.services.ledger import Ledger, ensure_year_rows, lock_ledger
from reimbursements.services.statements import Computed, LineRow, SheetRow
from reimbursements.situation import PersonRecord, person_records

logger = logging.getLogger(__name__)

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
# Rows are read as named tuples, not model instances: a batch reads a few thousand of them.
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
Engine = Callable[[SheetInput, RuleSnapshot], SheetResult]


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


@dataclass
class Decisions:
    """What becomes of each sheet of a batch."""

    computed: list[Computed] = field(default_factory=list)  # to pay
    rejected: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    to_staff: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    deferred: list[int] = field(default_factory=list)  # another batch holds the person's ledger


def engine_input(
    sheet: SheetRow, lines: Sequence[LineRow], record: PersonRecord, ledger: Ledger
) -> SheetInput:
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


def decide(
    sheets: Sequence[SheetRow],
    lines_of: dict[int, list[LineRow]],
    records: dict[int, PersonRecord],
    ledger: Ledger,
    rules: RuleSnapshot,
    engine: Engine,
) -> Decisions:
    """Run the engine on each sheet in turn, the ledger counting what each one withheld."""
    decisions = Decisions()
    for sheet in sheets:
        if not ledger.holds(sheet.beneficiary_id, sheet.care_date):
            decisions.deferred.append(sheet.id)
            continue
        record = records[sheet.beneficiary_id]
        if not record.is_covered(sheet.care_date):
            decisions.rejected[(RejectionCode.NOT_COVERED.value, "")].append(sheet.id)
            continue
        try:
            result = engine(engine_input(sheet, lines_of[sheet.id], record, ledger), rules)
        except InvalidSheet as error:
            codes = [ENGINE_REJECTIONS.get(e.code) for e in error.errors]
            first = codes[0]
            if first is None or None in codes:  # parameters missing that day: not the sheet's fault
                detail = f"{RejectionCode.RULES_UNAVAILABLE.value} {error}"[:200]
                decisions.to_staff[detail].append(sheet.id)
            else:
                decisions.rejected[(first.value, str(error)[:200])].append(sheet.id)
            continue
        except Exception as error:  # a bug must not block the batch: staff look at it
            logger.exception("engine failed on care sheet %s", sheet.id)
            decisions.to_staff[f"engine error: {type(error).__name__}"[:200]].append(sheet.id)
            continue
        ledger.add(sheet.beneficiary_id, sheet.care_date, sheet.professional_number, result)
        decisions.computed.append((sheet, result))
    return decisions


def settle_statuses(decisions: Decisions, *, now: datetime) -> None:
    """Each sheet's new status: PAID, REJECTED with its reason, IN_REVIEW for staff, or back
    to RECEIVED (not an attempt: first in line for the next claim) when it was deferred."""
    released = {"claim_token": None, "claimed_at": None}
    CareSheet.objects.filter(id__in=[sheet.id for sheet, _ in decisions.computed]).update(
        status=CareSheet.Status.PAID, processed_at=now, **released
    )
    for (code, detail), sheet_ids in decisions.rejected.items():
        CareSheet.objects.filter(id__in=sheet_ids).update(
            status=CareSheet.Status.REJECTED,
            rejection_code=code,
            rejection_detail=detail,
            processed_at=now,
            **released,
        )
    for detail, sheet_ids in decisions.to_staff.items():
        CareSheet.objects.filter(id__in=sheet_ids).update(
            status=CareSheet.Status.IN_REVIEW, rejection_detail=detail, **released
        )
    if decisions.deferred:
        CareSheet.objects.filter(id__in=decisions.deferred).update(
            status=CareSheet.Status.RECEIVED, attempts=F("attempts") - 1, **released
        )


def read_lines(ids: Sequence[int]) -> dict[int, list[LineRow]]:
    """The lines of the sheets `ids`, per sheet, in their order (rows of LINE_FIELDS)."""
    lines_of: dict[int, list[LineRow]] = defaultdict(list)
    for line in (
        CareSheetLine.objects.filter(care_sheet_id__in=ids)
        .order_by("care_sheet_id", "position")
        .values_list(*LINE_FIELDS, named=True)
    ):
        lines_of[line.care_sheet_id].append(line)
    return lines_of


def process_batch(
    token: uuid.UUID,
    ids: Sequence[int],
    *,
    now: datetime,
    rules: RuleSnapshot | None = None,
    engine: Engine = compute_sheet,
) -> BatchOutcome:
    """Compute and write the claimed sheets `ids` (claim `token`) in one transaction."""
    outcome = BatchOutcome(claimed=len(ids))
    if not ids:
        return outcome
    if rules is None:
        from reimbursements.nomenclature import rule_snapshot

        rules = rule_snapshot()
    today = timezone.localdate(now)
    lines_of = read_lines(ids)
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
        decisions = decide(sheets, lines_of, records, ledger, rules, engine)

        issued = statements.write_statements(decisions.computed, lines_of, today)
        payments = statements.write_payments(decisions.computed, issued, today)
        statements.record_issued(issued)
        ledger.save(now=now)
        settle_statuses(decisions, now=now)
        statements.announce_payments(payments)

    outcome.statement_ids = [statement.pk for statement in issued]
    outcome.payments = len(payments)
    outcome.deferred = len(decisions.deferred)
    outcome.paid = len(decisions.computed)
    outcome.rejected = sum(len(v) for v in decisions.rejected.values())
    outcome.to_staff = sum(len(v) for v in decisions.to_staff.values())
    return outcome


def process_next_batch(
    *,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    rules: RuleSnapshot | None = None,
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
    *,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    rules: RuleSnapshot | None = None,
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
