"""Factories and helpers for the insured person's space (account linking and life events)."""

import datetime

import factory

from affiliation.models import BankAccount, Beneficiary
from affiliation.services.records import attach_dependant
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import DependantFactory, InsuredPersonFactory

# A valid French IBAN (the ECBS example) and its bank's BIC; another for changes.
IBAN_FR = "FR7630006000011234567890189"
IBAN_FR_BIC = "AGRIFRPPXXX"
IBAN_DE = "DE89370400440532013000"


class LinkedPersonFactory(InsuredPersonFactory):
    """A file holder whose online account is linked to the file."""

    user = factory.SubFactory(UserFactory)


def add_family(holder, *, on=datetime.date(2024, 1, 1)) -> tuple[Beneficiary, Beneficiary]:
    """A spouse (rank 02, adult) and a child (rank 03, under 16) on `holder`'s file."""
    spouse = DependantFactory(birth_date=datetime.date(1984, 3, 2), sex="1")
    child = DependantFactory(birth_date=datetime.date(2016, 5, 20))
    return (
        attach_dependant(holder, spouse, Beneficiary.Relationship.SPOUSE, rights_from=on),
        attach_dependant(holder, child, Beneficiary.Relationship.CHILD, rights_from=on),
    )


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    person = factory.SubFactory(LinkedPersonFactory)
    iban = IBAN_FR
    bic = IBAN_FR_BIC
    holder_name = "Camille Martin"
    needs_review = False
