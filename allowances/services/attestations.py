"""The attestation de paiement des indemnités journalières: the payments of a chosen period.

Issued like the attestation de droits (affiliation.services.documents): an IssuedDocument with
an 80-bit verification code printed on the PDF with its QR code, checked on /verifier/. It
lists the payments made (paid_on) between two dates chosen by the person, with each period,
days, daily amount and amount, and the total. The document stays verifiable for one year.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from affiliation.models import InsuredPerson, IssuedDocument
from affiliation.rules.documents import spaced_nir
from affiliation.services.documents import NewDocument, issue_document
from allowances.models import AllowancePayment
from allowances.services.common import AllowanceError
from cpam_portal.periods import Period, add_years

VALIDITY_YEARS = 1
MAX_PERIOD_YEARS = 3


@dataclass(frozen=True)
class AttestationPeriod:
    first_day: date
    last_day: date  # inclusive


def payments_between(
    person: InsuredPerson, period: AttestationPeriod
) -> QuerySet[AllowancePayment]:
    return (
        AllowancePayment.objects.filter(
            stoppage__person=person,
            paid_on__gte=period.first_day,
            paid_on__lte=period.last_day,
        )
        .select_related("stoppage")
        .order_by("paid_on", "period_start", "pk")
    )


def check_period(period: AttestationPeriod, *, on: date) -> None:
    if period.last_day < period.first_day:
        raise AllowanceError(
            _("La fin de la période ne peut pas précéder son début."), "last_day", "order"
        )
    if period.first_day > on:
        raise AllowanceError(_("La période ne peut pas commencer après aujourd'hui."), "first_day")
    if period.first_day < add_years(period.last_day, -MAX_PERIOD_YEARS):
        raise AllowanceError(
            _("Choisissez une période de %(years)s ans au plus.") % {"years": MAX_PERIOD_YEARS},
            "first_day",
            "too_long",
        )


def issue_payment_attestation(
    person: InsuredPerson, period: AttestationPeriod, *, language: str, on: date, now: datetime
) -> IssuedDocument:
    """Issue the PDF for the payments made to `person` in `period`. Raises AllowanceError."""
    check_period(period, on=on)
    with transaction.atomic():
        person = InsuredPerson.objects.select_related("fund").get(pk=person.pk)
        payments = list(payments_between(person, period))
        if not payments:
            raise AllowanceError(
                _("Aucun paiement d'indemnités journalières sur cette période."),
                "first_day",
                "no_payment",
            )
        total = sum((p.amount for p in payments), Decimal("0.00"))
        # Numbers and dates are formatted in the document's language, whatever the page's.
        with translation.override(language):
            return issue_document(
                NewDocument(
                    kind=IssuedDocument.Kind.ALLOWANCE_PAYMENT_ATTESTATION,
                    holder=person,
                    requested_by=person,
                    validity=Period(on, add_years(on, VALIDITY_YEARS)),
                    language=language,
                    context={
                        "person": person,
                        "nir_display": spaced_nir(person.nir),
                        "period": period,
                        "payments": payments,
                        "total": total,
                        "days": sum(
                            p.days for p in payments if p.kind == AllowancePayment.Kind.REGULAR
                        ),
                    },
                ),
                now=now,
            )
