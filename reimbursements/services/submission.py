"""Receiving a care sheet: checks, the idempotency key, the duplicate rule, then RECEIVED.

Called by the insured person's form (channel "online") and by staff keying a scan in the admin
(channel "staff"). A refused sheet saves nothing, not even its scan. A sheet accepted here is
only RECEIVED: the pipeline (`services/processing.py`) computes and pays it. Whatever the
number of submissions of the same sheet, at most one is ever alive (database constraint on the
fingerprint among sheets not rejected), so it is never paid twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from affiliation.models import Beneficiary, CoveragePeriod, InsuredPerson
from cpam_portal.background import enqueue_on_commit
from cpam_portal.history import note_change
from cpam_portal.models import in_force_on
from cpam_portal.money import CENT
from cpam_portal.professional_numbers import InvalidProfessionalNumber, parse_professional_number
from cpam_portal.uploads import CheckedUpload, atomic_with_uploads
from reimbursements.models import CareSheet, CareSheetLine, Pathway, Profession, Sector
from reimbursements.rejections import RejectionCode
from reimbursements.rules.limits import ACT_CODE, MAX_LINE_AMOUNT, MAX_LINES, MAX_QUANTITY

# Code de la sécurité sociale L332-1: the insured person has two years to claim.
CLAIM_PERIOD_YEARS = 2
SCANS_FOLDER = "reimbursements/scans"


@dataclass(frozen=True)
class LineInput:
    act_code: str
    quantity: Decimal
    amount_charged: Decimal
    base: Decimal | None = None  # per unit, as the engine reads it
    is_ald_related: bool = False
    is_at_mp_related: bool = False
    admission: datetime | None = None
    discharge: datetime | None = None


@dataclass(frozen=True)
class CareSheetInput:
    """What a care sheet says, as typed (forms have already parsed numbers and dates)."""

    holder: InsuredPerson  # whose file: statements and payments go to this person
    beneficiary: InsuredPerson  # who received the care (the holder or a dependant)
    professional_name: str
    professional_number: str  # RPPS (11 digits) or ADELI (9 digits)
    profession: str  # Profession value (the engine's `professional`)
    sector: str  # Sector value
    care_date: date
    lines: Sequence[LineInput]
    pathway: str = Pathway.DECLARED_GP
    has_tiers_payant: bool = False


@dataclass(frozen=True)
class SubmissionError:
    """One reason a sheet is refused: the field it is about ("care_date", "lines[2].act_code",
    "beneficiary"...), the stable code of the published list, and a translated message."""

    field: str
    code: RejectionCode
    message: str


class CareSheetRefused(Exception):
    """Nothing was saved; `errors` names every reason (all of them, not only the first)."""

    def __init__(self, errors: Sequence[SubmissionError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.code}" for error in errors))
        self.errors = tuple(errors)


class DuplicateCareSheet(CareSheetRefused):
    """The same sheet (beneficiary, professional, date, lines) is already received or paid."""

    def __init__(self, existing: CareSheet) -> None:
        super().__init__(
            [
                SubmissionError(
                    "__all__",
                    RejectionCode.DUPLICATE,
                    str(
                        _(
                            "Cette feuille de soins a déjà été reçue le %(date)s : elle ne sera "
                            "pas payée deux fois."
                        )
                        % {"date": existing.created_at.strftime("%d/%m/%Y")}
                    ),
                )
            ]
        )
        self.existing = existing


class IdempotencyKeyReused(Exception):
    """The key was already used for a different sheet (a form posted twice with other data)."""

    def __init__(self, existing: CareSheet) -> None:
        super().__init__("idempotency key already used for another care sheet")
        self.existing = existing


@dataclass(frozen=True)
class Submission:
    care_sheet: CareSheet
    is_replay: bool = False  # True: the same key was sent before; nothing new was saved
    warnings: tuple[str, ...] = field(default=())


# --- Pure checks -------------------------------------------------------------------------------


def sheet_fingerprint(
    beneficiary_id: int, professional_number: str, care_date: date, lines: Sequence[LineInput]
) -> str:
    """ "The same sheet": beneficiary, professional, date and lines (in any order)."""
    parts = sorted(
        "|".join(
            (
                line.act_code.strip().upper(),
                _money_text(line.quantity),
                _money_text(line.amount_charged),
                "" if line.base is None else _money_text(line.base),
            )
        )
        for line in lines
    )
    text = "\n".join([str(beneficiary_id), professional_number, care_date.isoformat(), *parts])
    return hashlib.sha256(text.encode()).hexdigest()


def _money_text(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def _is_money(value: object) -> bool:
    try:
        return isinstance(value, Decimal) and value.is_finite() and value == value.quantize(CENT)
    except InvalidOperation:
        return False


def form_errors(sheet: CareSheetInput, *, on: date) -> list[SubmissionError]:
    """What is wrong with the sheet by itself (no database): dates, amounts, choices."""
    errors: list[SubmissionError] = []

    def refuse(field_name: str, code: RejectionCode, message: object) -> None:
        errors.append(SubmissionError(field_name, code, str(message)))

    if sheet.care_date > on:
        refuse("care_date", RejectionCode.FUTURE_DATE, _("La date des soins est dans le futur."))
    elif sheet.care_date < _years_before(on, CLAIM_PERIOD_YEARS):
        refuse(
            "care_date",
            RejectionCode.TOO_OLD,
            _("Les soins datent de plus de deux ans : ils ne peuvent plus être remboursés."),
        )
    if sheet.care_date < sheet.beneficiary.birth_date:
        refuse(
            "care_date",
            RejectionCode.INCONSISTENT_LINES,
            _("La date des soins est antérieure à la naissance du bénéficiaire."),
        )
    try:
        parse_professional_number(sheet.professional_number)
    except InvalidProfessionalNumber:
        refuse(
            "professional_number",
            RejectionCode.INVALID_PROFESSIONAL,
            _(
                "Indiquez le numéro RPPS (11 chiffres) ou ADELI (9 chiffres) du professionnel, "
                "tel qu'il figure sur la feuille de soins."
            ),
        )
    if not sheet.professional_name.strip():
        refuse(
            "professional_name",
            RejectionCode.INVALID_PROFESSIONAL,
            _("Indiquez le nom du professionnel."),
        )
    if sheet.profession not in Profession.values:
        refuse("profession", RejectionCode.INCONSISTENT_LINES, _("Choisissez une profession."))
    if sheet.sector not in Sector.values:
        refuse("sector", RejectionCode.INCONSISTENT_LINES, _("Choisissez un secteur."))
    if sheet.pathway not in Pathway.values:
        refuse("pathway", RejectionCode.INCONSISTENT_LINES, _("Choisissez un parcours de soins."))
    if not sheet.lines:
        refuse("lines", RejectionCode.INCONSISTENT_LINES, _("Ajoutez au moins un acte."))
    if len(sheet.lines) > MAX_LINES:
        refuse(
            "lines",
            RejectionCode.INCONSISTENT_LINES,
            _("Une feuille de soins compte au plus %(max)s actes.") % {"max": MAX_LINES},
        )
    for index, line in enumerate(sheet.lines):
        prefix = f"lines[{index}]"
        if not ACT_CODE.fullmatch(line.act_code.strip().upper()):
            refuse(
                f"{prefix}.act_code",
                RejectionCode.UNKNOWN_ACT,
                _("Le code de l'acte (ligne %(n)s) ne contient que des lettres et des chiffres.")
                % {"n": index + 1},
            )
        if not (_is_money(line.quantity) and Decimal(0) < line.quantity <= MAX_QUANTITY):
            refuse(
                f"{prefix}.quantity",
                RejectionCode.INCONSISTENT_LINES,
                _("La quantité (ligne %(n)s) doit être positive.") % {"n": index + 1},
            )
        for name, amount in (("amount_charged", line.amount_charged), ("base", line.base)):
            if amount is None:
                continue
            if not (_is_money(amount) and Decimal(0) <= amount <= MAX_LINE_AMOUNT):
                refuse(
                    f"{prefix}.{name}",
                    RejectionCode.ABSURD_AMOUNT,
                    _(
                        "Le montant (ligne %(n)s) doit être compris entre 0 et %(max)s €, "
                        "au centime près."
                    )
                    % {"n": index + 1, "max": MAX_LINE_AMOUNT},
                )
        if (line.admission is None) != (line.discharge is None) or (
            line.admission and line.discharge and line.discharge < line.admission
        ):
            refuse(
                f"{prefix}.discharge",
                RejectionCode.INCONSISTENT_LINES,
                _("Indiquez l'entrée et la sortie (ligne %(n)s), la sortie après l'entrée.")
                % {"n": index + 1},
            )
    return errors


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


# --- Checks against the database ---------------------------------------------------------------


def is_covered(person: InsuredPerson, on: date) -> bool:
    return CoveragePeriod.objects.filter(in_force_on(on), person=person).exists()


def act_code_errors(sheet: CareSheetInput) -> list[SubmissionError]:
    """Lines without a base whose act code the nomenclature does not hold on the date, or holds
    without a national tariff (medicines, transport, stays: the base is on the sheet)."""
    from reimbursements.nomenclature import rule_snapshot

    held = rule_snapshot().acts_on(sheet.care_date)
    errors = []
    for index, line in enumerate(sheet.lines):
        code = line.act_code.strip().upper()
        if line.base is not None:
            continue
        if code not in held:
            message = _(
                "Le code %(code)s (ligne %(n)s) n'existe pas à la date des soins : vérifiez-le "
                "ou indiquez la base de remboursement imprimée sur la feuille."
            )
        elif held[code].tariff is None:
            message = _(
                "Le code %(code)s (ligne %(n)s) n'a pas de tarif national : indiquez la base de "
                "remboursement imprimée sur la feuille."
            )
        else:
            continue
        errors.append(
            SubmissionError(
                f"lines[{index}].base" if code in held else f"lines[{index}].act_code",
                RejectionCode.UNKNOWN_ACT,
                str(message % {"code": code, "n": index + 1}),
            )
        )
    return errors


def file_errors(sheet: CareSheetInput) -> list[SubmissionError]:
    """The beneficiary must be on the holder's file, with rights open on the date of care."""
    if not Beneficiary.objects.filter(holder=sheet.holder, person=sheet.beneficiary).exists():
        message = _("Cette personne n'est pas rattachée à votre dossier.")
        return [SubmissionError("beneficiary", RejectionCode.NOT_ON_FILE, str(message))]
    if not is_covered(sheet.beneficiary, sheet.care_date):
        not_covered = _("%(name)s n'avait pas de droits ouverts le %(date)s.") % {
            "name": sheet.beneficiary.first_names,
            "date": sheet.care_date.strftime("%d/%m/%Y"),
        }
        return [SubmissionError("beneficiary", RejectionCode.NOT_COVERED, str(not_covered))]
    return []


def _write(
    sheet: CareSheetInput,
    *,
    channel: str,
    submitted_by: User | None,
    professional_number: str,
    fingerprint: str,
    idempotency_key: str,
    scan: CheckedUpload | None,
    status: str,
) -> CareSheet:
    """The sheet, its lines and its scan, in one transaction (the scan is removed if it rolls
    back); the pipeline is woken after commit for a RECEIVED sheet."""
    with atomic_with_uploads() as store_upload:
        care_sheet = CareSheet.objects.create(
            holder=sheet.holder,
            beneficiary=sheet.beneficiary,
            channel=channel,
            submitted_by=submitted_by,
            professional_name=sheet.professional_name.strip(),
            professional_number=professional_number,
            profession=sheet.profession,
            sector=sheet.sector,
            pathway=sheet.pathway,
            care_date=sheet.care_date,
            has_tiers_payant=sheet.has_tiers_payant,
            scan_name=store_upload(SCANS_FOLDER, scan) if scan is not None else "",
            scan_content_type=scan.content_type if scan else "",
            scan_sha256=scan.sha256 if scan else "",
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            status=status,
        )
        CareSheetLine.objects.bulk_create(
            CareSheetLine(
                care_sheet=care_sheet,
                position=position,
                act_code=line.act_code.strip().upper(),
                quantity=line.quantity,
                amount_charged=line.amount_charged,
                base=line.base,
                is_ald_related=line.is_ald_related,
                is_at_mp_related=line.is_at_mp_related,
                admission=line.admission,
                discharge=line.discharge,
            )
            for position, line in enumerate(sheet.lines, start=1)
        )
        if status == CareSheet.Status.RECEIVED:
            _wake_the_pipeline()
    return care_sheet


def submit_care_sheet(
    sheet: CareSheetInput,
    *,
    channel: str,
    submitted_by: User | None,
    on: date,
    idempotency_key: str = "",
    scan: CheckedUpload | None = None,
    hold_for_review: bool = False,
) -> Submission:
    """Record a care sheet as RECEIVED (or IN_REVIEW for staff to check), or refuse it.

    `submitted_by` is the account that sent it (the insured person's user, or the staff user);
    `idempotency_key` (e.g. a UUID in the form) is unique per account: the same key again
    returns the first sheet with `is_replay=True`, or raises IdempotencyKeyReused when the
    content differs. Raises CareSheetRefused (all reasons) or DuplicateCareSheet; nothing is
    saved then. The scan is stored in the private storage in the same step.
    """
    if channel not in CareSheet.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    replay = _replay(submitted_by, idempotency_key, sheet)
    if replay is not None:
        return replay

    errors = form_errors(sheet, on=on) + file_errors(sheet)
    if not any(error.field.endswith(".act_code") or error.field == "care_date" for error in errors):
        errors.extend(act_code_errors(sheet))
    if errors:
        raise CareSheetRefused(errors)

    number = parse_professional_number(sheet.professional_number)
    fingerprint = sheet_fingerprint(sheet.beneficiary.pk, number, sheet.care_date, sheet.lines)
    existing = _alive_with(fingerprint)
    if existing is not None:
        # The same click sent twice may have been committed since the first look: a replay.
        replay = _replay(submitted_by, idempotency_key, sheet)
        if replay is not None:
            return replay
        raise DuplicateCareSheet(existing)

    status = CareSheet.Status.IN_REVIEW if hold_for_review else CareSheet.Status.RECEIVED
    try:
        care_sheet = _write(
            sheet,
            channel=channel,
            submitted_by=submitted_by,
            professional_number=number,
            fingerprint=fingerprint,
            idempotency_key=idempotency_key,
            scan=scan,
            status=status,
        )
    except IntegrityError:
        # Another request with the same key or the same sheet committed first.
        replay = _replay(submitted_by, idempotency_key, sheet)
        if replay is not None:
            return replay
        existing = _alive_with(fingerprint)
        if existing is not None:
            raise DuplicateCareSheet(existing) from None
        raise
    return Submission(care_sheet)


def release_for_processing(care_sheet_id: int, *, staff: User) -> CareSheet:
    """Staff checked an IN_REVIEW sheet against its scan: it becomes RECEIVED for the pipeline.

    Raises DuplicateCareSheet when another live sheet has the same content (database rule).
    """
    try:
        with transaction.atomic():
            care_sheet = CareSheet.objects.select_for_update(of=("self",)).get(pk=care_sheet_id)
            if care_sheet.status != CareSheet.Status.IN_REVIEW:
                return care_sheet
            care_sheet.status = CareSheet.Status.RECEIVED
            care_sheet.attempts = 0
            note_change(care_sheet, reason=f"released by staff {staff.pk}")
            care_sheet.save(update_fields=["status", "attempts"])
            _wake_the_pipeline()
    except IntegrityError:
        care_sheet = CareSheet.objects.get(pk=care_sheet_id)
        raise DuplicateCareSheet(_alive_with(care_sheet.fingerprint) or care_sheet) from None
    return care_sheet


def reject_in_review(
    care_sheet_id: int, *, staff: User, code: RejectionCode, detail: str = ""
) -> None:
    """Staff refuse an IN_REVIEW sheet with a published reason code."""
    with transaction.atomic():
        care_sheet = CareSheet.objects.select_for_update(of=("self",)).get(pk=care_sheet_id)
        if care_sheet.status != CareSheet.Status.IN_REVIEW:
            return
        care_sheet.status = CareSheet.Status.REJECTED
        care_sheet.rejection_code = RejectionCode(code).value
        care_sheet.rejection_detail = detail[:200]
        note_change(care_sheet, reason=f"rejected by staff {staff.pk}")
        care_sheet.save(update_fields=["status", "rejection_code", "rejection_detail"])


def _replay(
    submitted_by: User | None, idempotency_key: str, sheet: CareSheetInput
) -> Submission | None:
    if not idempotency_key or submitted_by is None:
        return None
    first = CareSheet.objects.filter(
        submitted_by=submitted_by, idempotency_key=idempotency_key
    ).first()
    if first is None:
        return None
    try:
        number = parse_professional_number(sheet.professional_number)
    except InvalidProfessionalNumber:
        raise IdempotencyKeyReused(first) from None
    if first.fingerprint != sheet_fingerprint(
        sheet.beneficiary.pk, number, sheet.care_date, sheet.lines
    ):
        raise IdempotencyKeyReused(first)
    return Submission(first, is_replay=True)


def _alive_with(fingerprint: str) -> CareSheet | None:
    return (
        CareSheet.objects.filter(fingerprint=fingerprint)
        .exclude(status=CareSheet.Status.REJECTED)
        .first()
    )


def _wake_the_pipeline() -> None:
    from reimbursements.tasks import process_care_sheets_task

    enqueue_on_commit(process_care_sheets_task)
