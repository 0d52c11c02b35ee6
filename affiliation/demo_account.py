"""Demo data of the insured person's space, for `make run` (the lead calls it from
accounts/demo.py with the demo insured person's account). Development only."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from affiliation.models import BankAccount, Beneficiary, InsuredPerson, Mutuelle, MutuelleContract
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
    child of 8, a declared médecin traitant, bank details, two mutuelles and, for the older
    child, two overlapping contracts to show a conflict. Needs the funds directory (Paris)."""
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
    entries = [
        attach_dependant(holder, person, relationship, rights_from=date(2020, 1, 1))
        for person, relationship in family
        if not Beneficiary.objects.filter(holder=holder, person=person).exists()
    ]
    BankAccount.objects.create(
        person=holder,
        iban="FR7630006000011234567890189",
        bic="AGRIFRPPXXX",
        holder_name="Camille Martin",
        needs_review=False,
    )
    lilas, _ = Mutuelle.objects.get_or_create(
        amc_number="75000001", defaults={"name": "Mutuelle des Lilas"}
    )
    etudiants, _ = Mutuelle.objects.get_or_create(
        amc_number="75000002", defaults={"name": "Mutuelle étudiante de Paris"}
    )
    for person in [holder, *(entry.person for entry in entries)]:
        MutuelleContract.objects.create(
            person=person, mutuelle=lilas, member_number="LIL-0042", valid_from=date(2022, 1, 1)
        )
    if len(entries) == 3:
        MutuelleContract.objects.create(
            person=entries[1].person,
            mutuelle=etudiants,
            member_number="ETU-7781",
            valid_from=date(on.year, 9, 1) if on.month >= 9 else date(on.year - 1, 9, 1),
        )
    return holder
