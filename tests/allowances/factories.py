"""Stoppages, salary attestations and payments for tests (owner: ij-records)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from allowances.data import allowance_parameter_rows
from allowances.models import (
    SalaryAttestation,
    SalaryMonth,
    StoppageKind,
    StoppageNotice,
    WorkStoppage,
)
from allowances.services import review
from cpam_portal.models import RuleParameter, load_parameter_rows
from cpam_portal.periods import add_months
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory

VALID_RPPS = "10000000009"  # Luhn-valid (affiliation demo's doctor)
VALID_SIRET = "73282932000074"  # Luhn-valid SIRET


def insured_with_account(**fields):
    """An insured person whose account is linked (they log in with tests' PASSWORD)."""
    user = UserFactory()
    return InsuredPersonFactory(user=user, **fields)


class WorkStoppageFactory(factory.django.DjangoModelFactory):
    """A received sickness stoppage with its initial notice (no scan)."""

    class Meta:
        model = WorkStoppage
        skip_postgeneration_save = True

    person = factory.SubFactory(InsuredPersonFactory)
    kind = StoppageKind.SICKNESS
    start_date = datetime.date(2026, 2, 2)
    end_date = datetime.date(2026, 3, 15)
    employer_name = "Boulangerie Dupont"
    employer_siret = VALID_SIRET
    declared_by = factory.LazyAttribute(lambda s: s.person.user or StaffFactory())
    declared_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def notice(stoppage, create, extracted, **kwargs):
        if create and extracted is not False:
            StoppageNotice.objects.create(
                stoppage=stoppage,
                sequence=0,
                start_date=stoppage.start_date,
                end_date=stoppage.end_date,
                prescribed_on=stoppage.start_date,
                prescriber_name="Dr Claire Moreau",
                prescriber_rpps=VALID_RPPS,
                declared_by=stoppage.declared_by,
                received_at=stoppage.declared_at,
            )


def salary_attestation(
    stoppage: WorkStoppage,
    gross: str = "2000.00",
    *,
    months: int = 3,
    hours: str = "151.67",
    status: str = SalaryAttestation.Status.ACCEPTED,
) -> SalaryAttestation:
    """`months` months of the same pay just before the stoppage."""
    attestation = SalaryAttestation.objects.create(
        stoppage=stoppage,
        source=SalaryAttestation.Source.STAFF,
        status=status,
        submitted_by=stoppage.declared_by,
        submitted_at=timezone.now(),
        reviewed_at=timezone.now() if status == SalaryAttestation.Status.ACCEPTED else None,
    )
    first = stoppage.start_date.replace(day=1)
    for offset in range(months, 0, -1):
        SalaryMonth.objects.create(
            attestation=attestation,
            month=add_months(first, -offset),
            gross_amount=Decimal(gross),
            hours_worked=Decimal(hours),
        )
    return attestation


def ensure_allowance_parameters() -> None:
    """The rows of migration 0004, again: a transactional test before this one (a live server,
    a worker) flushes the database, data migrations included."""
    load_parameter_rows(RuleParameter, allowance_parameter_rows())


def accepted_stoppage(gross: str = "2000.00", staff=None, **fields) -> WorkStoppage:
    """A stoppage accepted by staff through the service: the engine's result is stored."""
    ensure_allowance_parameters()
    stoppage = WorkStoppageFactory(**fields)
    salary_attestation(stoppage, gross)
    return review.accept_stoppage(stoppage.pk, staff or StaffFactory(), now=timezone.now())


def stoppage_with_segments(segments, *, end_date=None, **fields) -> WorkStoppage:
    """An accepted stoppage whose stored result pays `segments` [(start, end, daily)], without
    running the engine (for tests whose database has no parameters, like the worker's)."""
    start = fields.pop("start_date", segments[0][0])
    end = end_date or segments[-1][1]
    stoppage = WorkStoppageFactory(start_date=start, end_date=end, **fields)
    stoppage.status = WorkStoppage.Status.ACCEPTED
    stoppage.accepted_end_date = end
    stoppage.computed_at = timezone.now()
    stoppage.computation_number = 1
    stoppage.daily_amount = Decimal(segments[0][2])
    stoppage.computation = {
        "segments": [
            {"start": s.isoformat(), "end": e.isoformat(), "daily_amount": str(d)}
            for s, e, d in segments
        ],
        "explanation": [],
    }
    stoppage.save()
    return stoppage


def expected_daily_amount(gross: str, start, end, kind=StoppageKind.SICKNESS) -> Decimal:
    """What the pure engine gives for `gross` a month over the 3 months before (DB-free), so
    that tests of records and payments do not restate the engine's rounding."""
    from allowances.rules.engine import compute_allowance
    from allowances.rules.types import AllowanceKind
    from tests.allowances.rules_helpers import TABLE, claim

    return compute_allowance(
        claim(AllowanceKind(kind), start, end, gross, months=3, hours="151.67"), TABLE
    ).daily_amount
