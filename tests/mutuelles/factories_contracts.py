"""Mutuelles and the contracts that link a beneficiary to one."""

import datetime

import factory

from mutuelles.models import Mutuelle, MutuelleContract
from tests.affiliation.factories_account import LinkedPersonFactory


class MutuelleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mutuelle

    name = factory.Sequence(lambda n: f"Mutuelle {n}")
    amc_number = factory.Sequence(lambda n: f"{75000000 + n}")


class MutuelleContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MutuelleContract

    person = factory.SubFactory(LinkedPersonFactory)
    mutuelle = factory.SubFactory(MutuelleFactory)
    member_number = factory.Sequence(lambda n: f"ADH{n:06d}")
    valid_from = datetime.date(2025, 1, 1)
