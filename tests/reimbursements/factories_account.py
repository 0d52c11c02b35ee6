"""Processed sheets for the account pages: a sheet, its statement, lines and payment as rows.

The pipeline writes these rows in production; here they are written directly with fixed
amounts (a G at 30 €: 70 %, 21 € less 2 € PF = 19 €), so the pages are tested without the
engine. `paid_sheet` returns the Statement.
"""

import datetime
import uuid
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission

from accounts.groups import COUNTER_STAFF
from affiliation.models import Beneficiary, InsuredPerson
from reimbursements.models import (
    CareSheet,
    CareSheetLine,
    Payment,
    Statement,
    StatementLine,
    WithholdingYear,
    payment_reference,
)
from reimbursements.permissions import COUNTER_STAFF_PERMISSIONS
from tests.accounts.factories import StaffFactory, UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.reimbursements.factories import dependant_of, rpps

GP_EXPLANATION = [
    {
        "rule": "tariff",
        "value": "30.00",
        "effective_from": "2024-12-22",
        "source": "ameli.fr actualité of 22/12/2024; service-public.fr F17042",
        "params": {},
    },
    {
        "rule": "rate.doctor",
        "value": "0.70",
        "effective_from": "2017-01-01",
        "source": "service-public.fr F17042 (vérifié le 22/12/2024)",
        "params": {},
    },
    {
        "rule": "pf.amount",
        "value": "2.00",
        "effective_from": "2024-05-15",
        "source": "Uncam decision of 21/03/2024 (Journal officiel)",
        "params": {},
    },
]


def counter_agent(*, with_reimbursements: bool = True):
    """A counter agent with a second factor, with or without the group's reimbursement
    permissions (COUNTER_STAFF_PERMISSIONS)."""
    group = Group.objects.get(name=COUNTER_STAFF)
    # The data migration grants them; a flushing test before this one may have removed them.
    permissions = Permission.objects.filter(
        content_type__app_label="reimbursements", codename__in=COUNTER_STAFF_PERMISSIONS
    )
    if with_reimbursements:
        group.permissions.add(*permissions)
    else:
        group.permissions.remove(*permissions)
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    user.groups.add(group)
    return user


def holder_with_account(**fields) -> InsuredPerson:
    return InsuredPersonFactory(user=UserFactory(), **fields)


def line_amounts(charged: str = "30.00") -> dict:
    return {
        "act_code": "G",
        "family": "doctor",
        "quantity": Decimal(1),
        "amount_charged": Decimal(charged),
        "rate": Decimal("0.70"),
        "base": Decimal("30.00"),
        "amo_gross": Decimal("21.00"),
        "participation_forfaitaire": Decimal("2.00"),
        "franchise": Decimal("0.00"),
        "flat_fee": Decimal("0.00"),
        "amo_paid": Decimal("19.00"),
        "ticket_moderateur": Decimal("9.00"),
        "depassement": Decimal(charged) - Decimal("30.00"),
        "patient_remainder": Decimal(charged) - Decimal("19.00"),
        "explanation": GP_EXPLANATION,
    }


def paid_sheet(
    holder: InsuredPerson,
    beneficiary: InsuredPerson | None = None,
    *,
    care_date: datetime.date = datetime.date(2025, 3, 4),
    paid_on: datetime.date = datetime.date(2025, 3, 10),
    lines: int = 1,
    professional_name: str = "Dr Anne Durand",
    profession: str = "general_practitioner",
    tiers_payant: bool = False,
) -> Statement:
    """A PAID sheet with `lines` G lines at 30 €, its statement and its payment."""
    beneficiary = beneficiary or holder
    sheet = CareSheet.objects.create(
        holder=holder,
        beneficiary=beneficiary,
        channel=CareSheet.Channel.ONLINE,
        professional_name=professional_name,
        professional_number=rpps(1),
        profession=profession,
        sector="1",
        care_date=care_date,
        has_tiers_payant=tiers_payant,
        fingerprint=uuid.uuid4().hex,
        status=CareSheet.Status.PAID,
    )
    amounts = line_amounts()
    statement = Statement.objects.create(
        care_sheet=sheet,
        holder=holder,
        beneficiary=beneficiary,
        care_date=care_date,
        profession=profession,
        issued_on=paid_on,
        **{
            name: amounts[name] * lines
            for name in (
                "amount_charged",
                "base",
                "amo_gross",
                "participation_forfaitaire",
                "franchise",
                "flat_fee",
                "amo_paid",
                "ticket_moderateur",
                "depassement",
                "patient_remainder",
            )
        },
    )
    for position in range(1, lines + 1):
        sheet_line = CareSheetLine.objects.create(
            care_sheet=sheet, position=position, act_code="G", amount_charged=Decimal("30.00")
        )
        StatementLine.objects.create(
            statement=statement, care_sheet_line=sheet_line, position=position, **amounts
        )
    Payment.objects.create(
        statement=statement,
        holder=holder,
        payee=Payment.Payee.PROFESSIONAL if tiers_payant else Payment.Payee.INSURED,
        amount=statement.amo_paid,
        reference=payment_reference(statement.pk),
        paid_on=paid_on,
        status=Payment.Status.SCHEDULED,
    )
    year, _created = WithholdingYear.objects.get_or_create(person=beneficiary, year=care_date.year)
    year.participation_forfaitaire += amounts["participation_forfaitaire"] * lines
    year.save()
    return statement


def sheet_in_state(
    holder, beneficiary=None, *, status=CareSheet.Status.RECEIVED, code="", scan_name=""
):
    """A sheet not paid (yet): received, in review, or rejected with `code`."""
    sheet = CareSheet.objects.create(
        holder=holder,
        beneficiary=beneficiary or holder,
        channel=CareSheet.Channel.ONLINE,
        professional_name="Dr Anne Durand",
        professional_number=rpps(1),
        profession="general_practitioner",
        sector="1",
        care_date=datetime.date(2025, 3, 4),
        fingerprint=uuid.uuid4().hex,
        status=status,
        rejection_code=code,
        scan_name=scan_name,
        scan_content_type="application/pdf" if scan_name else "",
    )
    CareSheetLine.objects.create(
        care_sheet=sheet, position=1, act_code="G", amount_charged=Decimal("30.00")
    )
    return sheet


def leave_file(holder: InsuredPerson, person: InsuredPerson) -> None:
    """`person` is no longer on `holder`'s file (an adult child with a file of their own)."""
    Beneficiary.objects.filter(holder=holder, person=person).delete()


__all__ = [
    "counter_agent",
    "dependant_of",
    "holder_with_account",
    "leave_file",
    "paid_sheet",
    "sheet_in_state",
]
