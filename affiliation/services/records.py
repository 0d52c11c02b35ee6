"""Creating and changing insured files: the one place that writes persons and ranks."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max

from affiliation.models import Beneficiary, CoveragePeriod, InsuredPerson
from affiliation.rules.nir import NumberKind
from directory.models import Fund
from directory.rules import UnknownPostcode, department_for_postcode


class NoFundForPostcode(ValueError):
    """No fund of the directory covers this postcode."""


@dataclass(frozen=True)
class Identity:
    last_name: str
    first_names: str
    sex: str  # "1" man, "2" woman, as in the NIR
    birth_date: date
    birth_name: str = ""


@dataclass(frozen=True)
class Address:
    line_1: str
    postcode: str
    city: str
    line_2: str = ""


def fund_for_postcode(postcode: str) -> Fund:
    """The fund of the residence département: it manages the file (a move to another
    département changes fund: aide-sociale.fr/changer-cpam, secondary)."""
    try:
        return Fund.objects.get(department_code=department_for_postcode(postcode))
    except (UnknownPostcode, Fund.DoesNotExist) as error:
        raise NoFundForPostcode(postcode) from error


def create_insured_file(
    *,
    number: str,
    number_kind: NumberKind,
    identity: Identity,
    address: Address,
    coverage_basis: str,
    rights_from: date,
    email: str = "",
    phone: str = "",
    is_alsace_moselle: bool = False,
) -> InsuredPerson:
    """A new holder with their rank-01 entry and an open coverage period, all or nothing."""
    fund = fund_for_postcode(address.postcode)
    with transaction.atomic():
        person = InsuredPerson.objects.create(
            nir=number,
            number_kind=number_kind.value,
            last_name=identity.last_name,
            birth_name=identity.birth_name,
            first_names=identity.first_names,
            sex=identity.sex,
            birth_date=identity.birth_date,
            email=email,
            phone=phone,
            address_line_1=address.line_1,
            address_line_2=address.line_2,
            postcode=address.postcode,
            city=address.city,
            fund=fund,
            is_alsace_moselle=is_alsace_moselle,
        )
        Beneficiary.objects.create(
            holder=person, person=person, rank=1, relationship=Beneficiary.Relationship.HOLDER
        )
        CoveragePeriod.objects.create(person=person, basis=coverage_basis, valid_from=rights_from)
    return person


def attach_dependant(
    holder: InsuredPerson, person: InsuredPerson, relationship: str, *, rights_from: date
) -> Beneficiary:
    """Put `person` on `holder`'s file with the next free rank (02, 03…).

    The holder's row is locked so that two attachments at once cannot take the same rank; the
    unique constraint on (holder, rank) is the backstop.
    """
    with transaction.atomic():
        InsuredPerson.objects.select_for_update(of=("self",)).get(pk=holder.pk)
        highest = Beneficiary.objects.filter(holder=holder).aggregate(Max("rank"))["rank__max"]
        entry = Beneficiary.objects.create(
            holder=holder, person=person, rank=(highest or 1) + 1, relationship=relationship
        )
        if not person.coverage_periods.filter(valid_until__isnull=True).exists():
            CoveragePeriod.objects.create(
                person=person, basis=CoveragePeriod.Basis.DEPENDANT, valid_from=rights_from
            )
    return entry
