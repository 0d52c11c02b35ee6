"""A family file for the documents tests, and helpers to read PDFs back."""

import datetime
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader

from affiliation.models import Beneficiary, CardOrder, Exemption, InsuredPerson
from affiliation.services.records import attach_dependant
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import DependantFactory, InsuredPersonFactory


def dependant(**fields) -> InsuredPerson:
    """A person with no file of their own."""
    return DependantFactory(**fields)


@dataclass
class Family:
    holder: InsuredPerson
    spouse: InsuredPerson
    child: InsuredPerson
    user: object


def family_file(**holder_fields) -> Family:
    """Holder (rank 01, ALD, médecin traitant), spouse (02, no doctor), child (03, maternity no)."""
    user = UserFactory()
    fields = {
        "last_name": "Lefèvre",
        "first_names": "Camille Anne",
        "birth_date": datetime.date(1985, 3, 14),
        "attending_doctor_rpps": "10003456789",
        "attending_doctor_name": "Dr Bernard",
        "attending_doctor_since": datetime.date(2021, 5, 2),
        "user": user,
        **holder_fields,
    }
    holder = InsuredPersonFactory(**fields)
    spouse = dependant(
        last_name="Moreau", first_names="Dominique", sex="1", birth_date=datetime.date(1983, 7, 9)
    )
    child = dependant(last_name="Lefèvre", first_names="Léa", birth_date=datetime.date(2016, 2, 29))
    attach_dependant(
        holder, spouse, Beneficiary.Relationship.SPOUSE, rights_from=datetime.date(2020, 1, 1)
    )
    attach_dependant(
        holder, child, Beneficiary.Relationship.CHILD, rights_from=datetime.date(2020, 1, 1)
    )
    Exemption.objects.create(
        person=holder,
        ground=Exemption.Ground.ALD,
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2028, 1, 1),
    )
    Exemption.objects.create(
        person=spouse, ground=Exemption.Ground.INVALIDITY, valid_from=datetime.date(2024, 6, 1)
    )
    return Family(holder=holder, spouse=spouse, child=child, user=user)


def sent_card(person: InsuredPerson, kind: str = CardOrder.Kind.CARTE_VITALE) -> CardOrder:
    return CardOrder.objects.create(
        person=person,
        ordered_by=person,
        kind=kind,
        reason=CardOrder.Reason.FIRST,
        status=CardOrder.Status.SENT,
    )


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace collapsed: what a reader of the PDF sees."""
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
