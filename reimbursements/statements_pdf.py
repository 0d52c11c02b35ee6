"""The monthly statement (relevé mensuel de remboursements) as a PDF, in the reader's language.

It lists the lines of the statements whose payment was made in the month, for the persons on
the holder's file today, with the month's totals: paid to the holder, paid to professionals
under tiers payant, and withheld (participations forfaitaires, franchises, flat fees). One
template per language, as affiliation's documents do, rendered by `cpam_portal.pdf` (static-only
fetcher, autoescaped: a professional's name typed by a person never becomes markup).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation

from affiliation.models import InsuredPerson
from cpam_portal.pdf import render_pdf
from cpam_portal.periods import add_months
from reimbursements.models import Payment, StatementLine

LANGUAGES = ("fr", "en")


def month_lines(lines: QuerySet[StatementLine], first_day: date) -> list[StatementLine]:
    """The lines of `lines` whose payment was made in the month starting on `first_day`."""
    selected = list(
        lines.filter(
            statement__payment__paid_on__gte=first_day,
            statement__payment__paid_on__lt=add_months(first_day, 1),
        )
        .select_related("statement__payment", "statement__beneficiary", "statement__care_sheet")
        .order_by("statement__payment__paid_on", "statement_id", "position")
    )
    for line in selected:
        line.withheld = withheld_on(line)
    return selected


def withheld_on(line: StatementLine) -> Decimal:
    """What the fund kept from the line: participation forfaitaire, franchise, flat fee."""
    return line.participation_forfaitaire + line.franchise + line.flat_fee


@dataclass(frozen=True)
class MonthTotals:
    to_holder: Decimal
    to_professionals: Decimal
    withheld: Decimal
    charged: Decimal


def totals_of(lines: list[StatementLine]) -> MonthTotals:
    to_holder = to_professionals = withheld = charged = Decimal("0.00")
    for line in lines:
        if line.statement.payment.payee == Payment.Payee.PROFESSIONAL:
            to_professionals += line.amo_paid
        else:
            to_holder += line.amo_paid
        withheld += withheld_on(line)
        charged += line.amount_charged
    return MonthTotals(to_holder, to_professionals, withheld, charged)


def render_monthly_statement(
    holder: InsuredPerson,
    first_day: date,
    lines: list[StatementLine],
    *,
    language: str,
    issued_on: date,
) -> bytes:
    language = language if language in LANGUAGES else "fr"
    context = {
        "holder": holder,
        "first_day": first_day,
        "lines": lines,
        "totals": totals_of(lines),
        "issued_on": issued_on,
    }
    with translation.override(language):
        return render_pdf(f"reimbursements/pdf/monthly_statement_{language}.html", context)
