"""Declaring a work stoppage or an extension, and the salary attestation that goes with it.

One transaction per use case: the person's row is locked first, so two declarations of one
person are checked for overlaps one after the other (SQLite has no exclusion constraint; on
PostgreSQL the constraint of migration 0002 is the backstop). A scan is stored only once every
check has passed, and removed again if the rows cannot be written: nothing is saved half-way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from affiliation.models import InsuredPerson
from allowances.models import SalaryAttestation, SalaryMonth, StoppageNotice, WorkStoppage
from allowances.models.stoppages import EARLIEST_START, StoppageKind
from allowances.services.common import (
    NOTICES_FOLDER,
    SALARIES_FOLDER,
    AllowanceError,
    scan_fields,
)
from cpam_portal.uploads import CheckedUpload, atomic_with_uploads

# The engine accepts the 12 months before the stoppage; more than that is a typing error.
MAX_SALARY_MONTHS = 12


@dataclass(frozen=True)
class NoticeInput:
    start_date: date
    end_date: date
    prescribed_on: date
    prescriber_name: str
    prescriber_rpps: str  # checked 11 digits (cpam_portal.professional_numbers.parse_rpps)


@dataclass(frozen=True)
class StoppageInput:
    kind: str
    employer_name: str
    employer_siret: str  # checked 14 digits (stdnum.fr.siret)
    is_ald: bool = False


@dataclass(frozen=True)
class SalaryInput:
    month: date  # first day of the month
    gross_amount: Decimal
    hours_worked: Decimal


def check_notice_dates(start: date, end: date) -> None:
    if end < start:
        raise AllowanceError(
            _("Le dernier jour d'arrêt ne peut pas précéder le premier."), "end_date", "end_order"
        )
    if start < EARLIEST_START:
        raise AllowanceError(
            _(
                "Les règles d'indemnisation antérieures au %(day)s ne sont pas tenues par ce "
                "portail : adressez cet arrêt à votre caisse par courrier."
            )
            % {"day": date_format(EARLIEST_START, "j F Y")},
            "start_date",
            "rules_not_held",
        )


def overlapping(
    person: InsuredPerson, start: date, end: date, *, exclude_pk: int | None = None
) -> WorkStoppage | None:
    """The person's stoppages (not refused) that share a day with [start, end]."""
    others = WorkStoppage.objects.filter(
        person=person, start_date__lte=end, end_date__gte=start
    ).exclude(status=WorkStoppage.Status.REFUSED)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.order_by("start_date").first()


def overlap_error(other: WorkStoppage) -> AllowanceError:
    return AllowanceError(
        _(
            "Ces dates chevauchent un arrêt déjà déclaré (du %(start)s au %(end)s). S'il "
            "continue, déclarez une prolongation de cet arrêt."
        )
        % {
            "start": date_format(other.start_date, "d/m/Y"),
            "end": date_format(other.end_date, "d/m/Y"),
        },
        "start_date",
        "overlap",
    )


def generic_overlap_error() -> AllowanceError:
    return AllowanceError(
        _("Ces dates chevauchent un autre arrêt déjà déclaré."), "start_date", "overlap"
    )


def check_salaries(months: list[SalaryInput], *, before: date) -> None:
    """Salaries given, each one positive or zero, one line per month, months before the stop."""
    if not months:
        raise AllowanceError(
            _("Indiquez le salaire brut d'au moins un mois avant l'arrêt."), "months", "missing"
        )
    if len(months) > MAX_SALARY_MONTHS:
        raise AllowanceError(
            _("Indiquez au plus %(max)s mois de salaire.") % {"max": MAX_SALARY_MONTHS},
            "months",
            "too_many",
        )
    seen = set()
    for line in months:
        if line.gross_amount is None or line.hours_worked is None:
            raise AllowanceError(
                _("Indiquez le salaire brut et les heures de chaque mois."), "months", "missing"
            )
        if line.gross_amount < 0 or line.hours_worked < 0:
            raise AllowanceError(
                _("Un salaire ou un nombre d'heures ne peut pas être négatif (%(month)s).")
                % {"month": date_format(line.month, "F Y")},
                "months",
                "negative",
            )
        if line.month in seen:
            raise AllowanceError(
                _("Le mois %(month)s figure deux fois.")
                % {"month": date_format(line.month, "F Y")},
                "months",
                "duplicate",
            )
        seen.add(line.month)
        if line.month >= before.replace(day=1):
            raise AllowanceError(
                _("Seuls les mois précédant l'arrêt comptent (%(month)s est trop tard).")
                % {"month": date_format(line.month, "F Y")},
                "months",
                "too_late",
            )


def _locked_person(person: InsuredPerson) -> InsuredPerson:
    return InsuredPerson.objects.select_for_update(of=("self",)).get(pk=person.pk)


def declare_stoppage(
    person: InsuredPerson,
    stoppage: StoppageInput,
    notice: NoticeInput,
    *,
    scan: CheckedUpload | None,
    salaries: list[SalaryInput] | None = None,
    salary_document: CheckedUpload | None = None,
    by: User,
    now: datetime,
    by_staff: bool = False,
) -> WorkStoppage:
    """Record a new stoppage with its initial notice (and the salary attestation, if given).

    Raises AllowanceError (dates, overlap, salaries) and saves nothing then.
    """
    StoppageKind(stoppage.kind)
    check_notice_dates(notice.start_date, notice.end_date)
    if salaries is not None:
        check_salaries(salaries, before=notice.start_date)
    with atomic_with_uploads() as store_upload:
        person = _locked_person(person)
        other = overlapping(person, notice.start_date, notice.end_date)
        if other is not None:
            raise overlap_error(other)
        try:
            with transaction.atomic():
                created = WorkStoppage.objects.create(
                    person=person,
                    kind=stoppage.kind,
                    start_date=notice.start_date,
                    end_date=notice.end_date,
                    is_ald=stoppage.is_ald and stoppage.kind == StoppageKind.SICKNESS,
                    employer_name=stoppage.employer_name,
                    employer_siret=stoppage.employer_siret,
                    declared_by=by,
                    declared_at=now,
                )
        except IntegrityError as error:  # the exclusion constraint (PostgreSQL)
            raise generic_overlap_error() from error
        _add_notice(created, 0, notice, scan, by=by, now=now, store_upload=store_upload)
        if salaries is not None:
            _add_attestation(
                created,
                salaries,
                salary_document,
                by=by,
                now=now,
                by_staff=by_staff,
                store_upload=store_upload,
            )
    return created


def declare_extension(
    stoppage: WorkStoppage,
    notice: NoticeInput,
    *,
    scan: CheckedUpload | None,
    by: User,
    now: datetime,
    kind: str | None = None,
) -> StoppageNotice:
    """Chain an extension to `stoppage`: it starts the day after the stoppage's last day.

    Raises AllowanceError (not following, other kind, refused stoppage, overlap).
    """
    check_notice_dates(notice.start_date, notice.end_date)
    with atomic_with_uploads() as store_upload:
        _locked_person(stoppage.person)
        stoppage = WorkStoppage.objects.select_for_update(of=("self",)).get(pk=stoppage.pk)
        if stoppage.status == WorkStoppage.Status.REFUSED:
            raise AllowanceError(
                _("Cet arrêt a été refusé : il ne peut pas être prolongé."),
                "stoppage",
                "refused",
            )
        if kind is not None and kind != stoppage.kind:
            raise AllowanceError(
                _(
                    "Une prolongation a la même nature que l'arrêt qu'elle prolonge "
                    "(%(kind)s) : pour un autre motif, déclarez un nouvel arrêt."
                )
                % {"kind": stoppage.get_kind_display()},
                "kind",
                "other_kind",
            )
        expected = stoppage.end_date + timedelta(days=1)
        if notice.start_date != expected:
            raise AllowanceError(
                _(
                    "Une prolongation commence le lendemain du dernier jour de l'arrêt "
                    "qu'elle prolonge : le %(day)s."
                )
                % {"day": date_format(expected, "d/m/Y")},
                "start_date",
                "not_following",
            )
        other = overlapping(
            stoppage.person, notice.start_date, notice.end_date, exclude_pk=stoppage.pk
        )
        if other is not None:
            raise overlap_error(other)
        stoppage.end_date = notice.end_date
        try:
            with transaction.atomic():
                stoppage.save(update_fields=["end_date", "updated_at"])
        except IntegrityError as error:
            raise generic_overlap_error() from error
        sequence = stoppage.notices.aggregate(last=Max("sequence"))["last"] + 1
        return _add_notice(
            stoppage, sequence, notice, scan, by=by, now=now, store_upload=store_upload
        )


def _add_notice(
    stoppage: WorkStoppage,
    sequence: int,
    notice: NoticeInput,
    scan: CheckedUpload | None,
    *,
    by: User,
    now: datetime,
    store_upload: Callable[[str, CheckedUpload], str],
) -> StoppageNotice:
    stored = store_upload(NOTICES_FOLDER, scan) if scan else ""
    return StoppageNotice.objects.create(
        stoppage=stoppage,
        sequence=sequence,
        start_date=notice.start_date,
        end_date=notice.end_date,
        prescribed_on=notice.prescribed_on,
        prescriber_name=notice.prescriber_name,
        prescriber_rpps=notice.prescriber_rpps,
        declared_by=by,
        received_at=now,
        **scan_fields(scan, stored),
    )


def _add_attestation(
    stoppage: WorkStoppage,
    salaries: list[SalaryInput],
    document: CheckedUpload | None,
    *,
    by: User,
    now: datetime,
    by_staff: bool,
    store_upload: Callable[[str, CheckedUpload], str],
) -> SalaryAttestation:
    stored = store_upload(SALARIES_FOLDER, document) if document else ""
    attestation = SalaryAttestation.objects.create(
        stoppage=stoppage,
        source=SalaryAttestation.Source.STAFF if by_staff else SalaryAttestation.Source.INSURED,
        status=(
            SalaryAttestation.Status.ACCEPTED if by_staff else SalaryAttestation.Status.RECEIVED
        ),
        reviewed_by=by if by_staff else None,
        reviewed_at=now if by_staff else None,
        submitted_by=by,
        submitted_at=now,
        **scan_fields(document, stored),
    )
    SalaryMonth.objects.bulk_create(
        SalaryMonth(
            attestation=attestation,
            month=line.month,
            gross_amount=line.gross_amount,
            hours_worked=line.hours_worked,
        )
        for line in sorted(salaries, key=lambda line: line.month)
    )
    return attestation


def submit_salary_attestation(
    stoppage: WorkStoppage,
    salaries: list[SalaryInput],
    *,
    document: CheckedUpload | None,
    by: User,
    now: datetime,
    by_staff: bool = False,
) -> SalaryAttestation:
    """Add the salaries of the months before `stoppage` (the insured's, to be checked, or
    keyed by staff and accepted at once). Raises AllowanceError."""
    check_salaries(salaries, before=stoppage.start_date)
    if not by_staff and document is None:
        raise AllowanceError(
            _("Joignez l'attestation de salaire remplie par votre employeur."),
            "document",
            "missing",
        )
    with atomic_with_uploads() as store_upload:
        stoppage = WorkStoppage.objects.select_for_update(of=("self",)).get(pk=stoppage.pk)
        if stoppage.status in (WorkStoppage.Status.REFUSED, WorkStoppage.Status.CLOSED):
            raise AllowanceError(
                _("Cet arrêt est clos ou refusé : aucune attestation ne peut y être ajoutée."),
                None,
                "closed",
            )
        return _add_attestation(
            stoppage,
            salaries,
            document,
            by=by,
            now=now,
            by_staff=by_staff,
            store_upload=store_upload,
        )
