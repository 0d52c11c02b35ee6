import factory

from directory.imports import COLUMNS
from directory.models import Fund, Office

# Real codes, so that the rules and the URLs accept them.
DEPARTMENT_CODES = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
POSTCODE_HEADS = {"2A": "201", "2B": "202"}  # Corsica's postcodes start with 20, not 2A/2B


def postcode_in(department_code: str, n: int) -> str:
    head = POSTCODE_HEADS.get(department_code, department_code)
    width = 5 - len(head)
    return head + str(n % 10**width).zfill(width)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    department_code = factory.Sequence(lambda n: DEPARTMENT_CODES[n % len(DEPARTMENT_CODES)])
    department_name = factory.Sequence(lambda n: f"Département {n}")
    name = factory.LazyAttribute(lambda fund: f"CPAM du {fund.department_name}")
    kind = Fund.Kind.CPAM


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    fund = factory.SubFactory(FundFactory)
    address_line_1 = factory.Sequence(lambda n: f"{n}, rue de la Santé")
    postcode = factory.LazyAttributeSequence(
        lambda office, n: postcode_in(office.fund.department_code, n)
    )
    city = factory.Sequence(lambda n: f"VILLE {n} CEDEX")
    phone = "01 23 45 67 89"


# Lines of the import format (directory/data/seed_offices.csv), for the CSV import tests.
IMPORT_HEADER = ",".join(COLUMNS)
AIN = "01,Ain,place de la Grenouillère,,,01015,BOURG EN BRESSE CEDEX,04 74 45 84 84,"
NICE = '06,Alpes-Maritimes,"48, avenue Roi Robert",,,06100,NICE,04 92 09 40 00,'
LYON = "69,Rhône,rue Paul Lintier,,,69907,LYON CEDEX 20,36 46,prix d'un appel local"


def csv_text(*lines: str) -> str:
    return "\r\n".join([IMPORT_HEADER, *lines]) + "\r\n"
