import datetime

import factory

from affiliation.models import Beneficiary, CoveragePeriod, Exemption, InsuredPerson
from affiliation.rules.nir import control_key
from directory.models import Fund


def nir_for(sex: str, birth_date: datetime.date, department: str = "75", serial: int = 1) -> str:
    """A valid NIR agreeing with the identity: commune and order taken from `serial`."""
    commune = f"{serial % 999 + 1:03d}"
    order = f"{serial // 999 % 999 + 1:03d}"
    first_13 = f"{sex}{birth_date.year % 100:02d}{birth_date.month:02d}{department}{commune}{order}"
    return f"{first_13}{control_key(first_13):02d}"


def paris_fund() -> Fund:
    fund, _ = Fund.objects.get_or_create(
        department_code="75",
        defaults={"department_name": "Paris", "name": "CPAM de Paris"},
    )
    return fund


class InsuredPersonFactory(factory.django.DjangoModelFactory):
    """A file holder with a NIR matching their identity, a fund, and rank 01 on their file."""

    class Meta:
        model = InsuredPerson
        skip_postgeneration_save = True

    last_name = factory.Sequence(lambda n: f"Martin{n}")
    first_names = factory.Sequence(lambda n: f"Camille{n}")
    sex = "2"
    birth_date = datetime.date(1985, 1, 15)
    nir = factory.LazyAttributeSequence(lambda p, n: nir_for(p.sex, p.birth_date, serial=n))
    email = factory.Sequence(lambda n: f"assure{n}@exemple.fr")
    address_line_1 = "12 rue des Lilas"
    postcode = "75011"
    city = "PARIS"
    fund = factory.LazyFunction(lambda: paris_fund())

    @factory.post_generation
    def holder_entry(person, create, extracted, **kwargs):
        if create and extracted is not False:
            Beneficiary.objects.create(
                holder=person, person=person, rank=1, relationship=Beneficiary.Relationship.HOLDER
            )
            CoveragePeriod.objects.create(
                person=person,
                basis=CoveragePeriod.Basis.EMPLOYMENT,
                valid_from=datetime.date(2020, 1, 1),
            )


class DependantFactory(InsuredPersonFactory):
    """A person with no file of their own (attach them with attach_dependant)."""

    # Overriding the hook itself: a plain False would reach the model as a field.
    holder_entry = factory.PostGeneration(lambda person, create, extracted, **kwargs: None)
    birth_date = datetime.date(2015, 6, 1)
    email = ""
    fund = None


class ExemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exemption

    person = factory.SubFactory(InsuredPersonFactory)
    ground = Exemption.Ground.ALD
    valid_from = datetime.date(2025, 1, 1)
