"""Demo data of daily allowances for `make run` (development only).

`build_demo_allowances(holder, agent, on=, now=)` gives the demo insured person:
- a sickness stoppage that ended ten days ago: accepted by the demo agent (the engine's result
  and explanation stored), paid in 14-day periods and closed;
- a payment attestation of those payments (French), whose verification code is returned;
- a stoppage that started five days ago, with its salary attestation waiting in the agents'
  review queue (admin › Indemnités journalières).
Running it again changes nothing once the person has stoppages.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from affiliation.models import InsuredPerson
from allowances.models import WorkStoppage
from allowances.services import payments, review
from allowances.services.attestations import AttestationPeriod, issue_payment_attestation
from allowances.services.stoppages import (
    NoticeInput,
    SalaryInput,
    StoppageInput,
    declare_stoppage,
)
from cpam_portal.periods import add_months

DEMO_RPPS = "10000000009"
DEMO_SIRET = "73282932000074"


def _salaries(start: date, gross: str) -> list[SalaryInput]:
    first = start.replace(day=1)
    return [
        SalaryInput(add_months(first, -offset), Decimal(gross), Decimal("151.67"))
        for offset in (3, 2, 1)
    ]


def _declare(holder, user, start: date, end: date, *, by_staff: bool, now: datetime):
    return declare_stoppage(
        holder,
        StoppageInput("sickness", "Boulangerie Dupont", DEMO_SIRET),
        NoticeInput(start, end, start, "Dr Claire Moreau", DEMO_RPPS),
        scan=None,
        salaries=_salaries(start, "2100.00"),
        by=user,
        now=now,
        by_staff=by_staff,
    )


def build_demo_allowances(holder: InsuredPerson, agent, *, on: date, now: datetime) -> dict:
    """Build the demo stoppages of `holder`; returns {label: printed verification code}."""
    if settings.IS_PRODUCTION:
        raise RuntimeError("demo allowances are for development only")
    if WorkStoppage.objects.filter(person=holder).exists():
        return {}
    with transaction.atomic():
        past = _declare(
            holder, agent, on - timedelta(days=45), on - timedelta(days=10), by_staff=True, now=now
        )
        review.accept_stoppage(past.pk, agent, now=now)
        payments.pay_stoppage(past.pk, on=on)
        attestation = issue_payment_attestation(
            holder,
            AttestationPeriod(on - timedelta(days=60), on),
            language="fr",
            on=on,
            now=now,
        )
        _declare(
            holder,
            holder.user or agent,
            on - timedelta(days=5),
            on + timedelta(days=10),
            by_staff=False,
            now=now,
        )
    return {"attestation de paiement des IJ": attestation.printed_code}
