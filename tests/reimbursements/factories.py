"""Care sheets for tests: what a submission says (`sheet_input`) and rows (`CareSheetFactory`)."""

import datetime
import uuid
from decimal import Decimal

import factory
import pytest
from stdnum import luhn

from affiliation.models import Beneficiary, CoveragePeriod, InsuredPerson
from reimbursements.models import CareSheet, CareSheetLine
from reimbursements.services.submission import CareSheetInput, LineInput
from tests.affiliation.factories import DependantFactory, InsuredPersonFactory

CARE_DATE = datetime.date(2025, 3, 4)  # a G at 30 € in force (ameli.fr actualité of 22/12/2024)
TODAY = datetime.date(2025, 3, 20)


def rpps(serial: int = 1) -> str:
    """A valid RPPS number (11 digits, Luhn key)."""
    first_10 = f"1{serial:09d}"
    return first_10 + luhn.calc_check_digit(first_10)


def insured(**fields) -> InsuredPerson:
    """A file holder covered since 2020 whose médecin traitant is Dr Durand (rpps(1))."""
    values = {
        "attending_doctor_rpps": rpps(1),
        "attending_doctor_name": "Dr Anne Durand",
        "attending_doctor_since": datetime.date(2020, 1, 1),
    }
    values.update(fields)
    return InsuredPersonFactory(**values)


def dependant_of(holder: InsuredPerson, **fields) -> InsuredPerson:
    """A child on `holder`'s file (rank 02 or next), covered since 2020."""
    person = DependantFactory(**fields)
    rank = Beneficiary.objects.filter(holder=holder).count() + 1
    Beneficiary.objects.create(
        holder=holder, person=person, rank=rank, relationship=Beneficiary.Relationship.CHILD
    )
    CoveragePeriod.objects.create(
        person=person, basis=CoveragePeriod.Basis.DEPENDANT, valid_from=datetime.date(2020, 1, 1)
    )
    return person


def gp_line(amount: str = "30.00", **fields) -> LineInput:
    return LineInput(act_code="G", quantity=Decimal(1), amount_charged=Decimal(amount), **fields)


def sheet_input(holder: InsuredPerson, *lines: LineInput, **fields) -> CareSheetInput:
    """A GP consultation at the declared doctor on CARE_DATE, unless told otherwise."""
    values = {
        "holder": holder,
        "beneficiary": holder,
        "professional_name": "Dr Anne Durand",
        "professional_number": rpps(1),
        "profession": "general_practitioner",
        "sector": "1",
        "care_date": CARE_DATE,
        "lines": lines or (gp_line(),),
        "pathway": "declared_gp",
    }
    values.update(fields)
    return CareSheetInput(**values)


class CareSheetFactory(factory.django.DjangoModelFactory):
    """A RECEIVED sheet with one G line at 30 € (add lines with CareSheetLineFactory)."""

    class Meta:
        model = CareSheet
        skip_postgeneration_save = True

    holder = factory.LazyFunction(insured)
    beneficiary = factory.SelfAttribute("holder")
    channel = CareSheet.Channel.ONLINE
    professional_name = "Dr Anne Durand"
    professional_number = factory.LazyFunction(lambda: rpps(1))
    profession = "general_practitioner"
    sector = "1"
    pathway = "declared_gp"
    care_date = CARE_DATE
    fingerprint = factory.LazyFunction(lambda: uuid.uuid4().hex)
    status = CareSheet.Status.RECEIVED

    @factory.post_generation
    def lines(sheet, create, extracted, **kwargs):
        if not create:
            return
        for position, line in enumerate(extracted or [{"act_code": "G"}], start=1):
            CareSheetLineFactory(care_sheet=sheet, position=position, **line)


class CareSheetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareSheetLine

    care_sheet = factory.SubFactory(CareSheetFactory)
    position = 1
    act_code = "G"
    quantity = Decimal(1)
    amount_charged = Decimal("30.00")


@pytest.fixture
def rules_from_files(monkeypatch):
    """The engine's rules from the shipped CSV files instead of the database (same content)."""
    from reimbursements import nomenclature

    monkeypatch.setattr(nomenclature, "rule_snapshot", nomenclature.rule_snapshot_from_files)
    return nomenclature.rule_snapshot_from_files()


def ensure_shipped_rules() -> None:
    """The nomenclature and parameters the data migration ships, again if a flushing test
    removed them, and no rule snapshot cached from before: the tests that hand sheets to a
    real worker or a live server read them from the database."""
    from cpam_portal.models import RuleParameter
    from reimbursements.models import ActCode, ActTariff
    from reimbursements.nomenclature import (
        clear_rule_snapshot,
        load_shipped_nomenclature,
        load_shipped_parameters,
    )

    load_shipped_nomenclature(ActCode, ActTariff)
    load_shipped_parameters(RuleParameter)
    clear_rule_snapshot()
