"""Demo data of reimbursements for `make run`, on affiliation's demo family (Camille Martin).

`build_demo_reimbursements(holder, on=today)` sends a few paper sheets through the real
submission service, as the holder's account would, and processes them with the real pipeline,
so every amount and every "why this amount?" comes from the engine:
- paid: the holder's consultation at the médecin traitant 40 days ago (G, 30 €), a pharmacy
  sheet 25 days ago (two boxes at 65 %, with a franchise), the youngest child's consultation
  (under 18: no participation forfaitaire) 12 days ago;
- waiting for an agent: a specialist's sheet over the review threshold;
- rejected by the agent (when one is given): a sheet whose scan does not match (R09).
Sending the first consultation again is refused as a duplicate and saves nothing.
Development only. Running it again changes nothing once the holder has sheets.
"""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfWriter

from affiliation.models import Beneficiary, InsuredPerson
from cpam_portal.uploads import CheckedUpload
from reimbursements.models import CareSheet
from reimbursements.rejections import RejectionCode
from reimbursements.services.processing import process_received
from reimbursements.services.submission import (
    CareSheetInput,
    DuplicateCareSheet,
    LineInput,
    reject_in_review,
    submit_care_sheet,
)

DOCTOR = ("Dr Claire Dupont", "10000000009")  # the demo file's médecin traitant
PHARMACY = ("Pharmacie des Lilas", "751234561")  # ADELI-shaped number
SPECIALIST = ("Dr Marc Lefort", "10000000017")


def _scan() -> CheckedUpload:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    content = out.getvalue()
    return CheckedUpload(
        content=content,
        content_type="application/pdf",
        extension=".pdf",
        display_name="feuille.pdf",
        size=len(content),
        sha256=uuid.uuid4().hex * 2,
    )


def _line(code: str, amount: str, quantity: int = 1, base: str | None = None) -> LineInput:
    return LineInput(
        act_code=code,
        quantity=Decimal(quantity),
        amount_charged=Decimal(amount),
        base=Decimal(base) if base else None,
    )


def build_demo_reimbursements(holder: InsuredPerson, *, on: date, agent=None) -> list[CareSheet]:
    """The demo sheets of `holder`'s file (see the module's docstring); existing ones if any."""
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo data is never created under production settings.")
    existing = list(CareSheet.objects.filter(holder=holder).order_by("pk"))
    if existing:
        return existing
    entries = list(Beneficiary.objects.on_file_of(holder))
    youngest = max(entries, key=lambda entry: entry.person.birth_date).person
    account = holder.user

    def send(beneficiary, professional, profession, days_ago, lines, *, review=False):
        name, number = professional
        sheet = CareSheetInput(
            holder=holder,
            beneficiary=beneficiary,
            professional_name=name,
            professional_number=number,
            profession=profession,
            sector="1",
            care_date=on - timedelta(days=days_ago),
            lines=lines,
        )
        return submit_care_sheet(
            sheet,
            channel=CareSheet.Channel.ONLINE,
            submitted_by=account,
            on=on,
            idempotency_key=uuid.uuid4().hex,
            scan=_scan(),
            hold_for_review=review,
        ).care_sheet

    sheets = [
        send(holder, DOCTOR, "general_practitioner", 40, [_line("G", "30.00")]),
        send(holder, PHARMACY, "pharmacy", 25, [_line("PH7", "9.80", 2, base="4.90")]),
        send(youngest, DOCTOR, "general_practitioner", 12, [_line("G", "30.00")]),
        send(holder, SPECIALIST, "specialist", 8, [_line("APC", "350.00")], review=True),
    ]
    process_received()
    if agent is not None:
        refused = send(holder, SPECIALIST, "specialist", 5, [_line("APC", "60.00")], review=True)
        reject_in_review(
            refused.pk,
            staff=agent,
            code=RejectionCode.INCONSISTENT_LINES,
            detail="Le code de l'acte ne correspond pas à la feuille scannée.",
        )
        sheets.append(refused)
    try:
        send(holder, DOCTOR, "general_practitioner", 40, [_line("G", "30.00")])
    except DuplicateCareSheet:
        pass  # what the demo shows on the form; nothing is saved
    return sheets
