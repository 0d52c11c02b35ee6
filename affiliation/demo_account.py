"""Demo data of the insured person's space, for `make run` (affiliation/demo.py calls it with
the demo insured person's account). Development only."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from affiliation.models import BankAccount, Beneficiary, InsuredPerson
from affiliation.rules.nir import NumberKind, control_key
from affiliation.services.records import Address, Identity, attach_dependant, create_insured_file

DEMO_ADDRESS = Address(line_1="12 rue des Lilas", postcode="75011", city="PARIS")


def _nir(sex: str, birth: date, serial: int) -> str:
    first_13 = f"{sex}{birth.year % 100:02d}{birth.month:02d}75{111:03d}{serial:03d}"
    return f"{first_13}{control_key(first_13):02d}"


def _person(last: str, first: str, sex: str, birth: date, serial: int) -> InsuredPerson:
    person, _created = InsuredPerson.objects.get_or_create(
        nir=_nir(sex, birth, serial),
        defaults={"last_name": last, "first_names": first, "sex": sex, "birth_date": birth},
    )
    return person


@transaction.atomic
def build_demo_account(user, *, on: date) -> InsuredPerson:
    """Camille Martin's file linked to `user`: a spouse, a child of 17 (autonomy possible), a
    child of 8, a declared médecin traitant and bank details (their complementary contracts
    are mutuelles' demo). Needs the funds directory (Paris)."""
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("Demo data is never created under production settings.")
    existing = InsuredPerson.objects.filter(user=user).first()
    if existing is not None:
        return existing
    birth = date(1985, 1, 15)
    holder = InsuredPerson.objects.filter(nir=_nir("2", birth, 1)).first() or create_insured_file(
        number=_nir("2", birth, 1),
        number_kind=NumberKind.NIR,
        identity=Identity(last_name="Martin", first_names="Camille", sex="2", birth_date=birth),
        address=DEMO_ADDRESS,
        coverage_basis="employment",
        rights_from=date(2010, 9, 1),
        email=user.email,
    )
    holder.user = user
    holder.attending_doctor_rpps = "10000000009"
    holder.attending_doctor_name = "Dr Claire Dupont"
    holder.attending_doctor_since = date(2021, 3, 2)
    holder.save()
    family = [
        (_person("Martin", "Dominique", "1", date(1983, 7, 4), 2), Beneficiary.Relationship.SPOUSE),
        (
            _person("Martin", "Léa", "2", date(on.year - 17, 4, 10), 3),
            Beneficiary.Relationship.CHILD,
        ),
        (
            _person("Martin", "Hugo", "1", date(on.year - 8, 9, 1), 4),
            Beneficiary.Relationship.CHILD,
        ),
    ]
    for person, relationship in family:
        if not Beneficiary.objects.filter(holder=holder, person=person).exists():
            attach_dependant(holder, person, relationship, rights_from=date(2020, 1, 1))
    BankAccount.objects.create(
        person=holder,
        iban="FR7630006000011234567890189",
        bic="AGRIFRPPXXX",
        holder_name="Camille Martin",
        needs_review=False,
    )
    return holder
