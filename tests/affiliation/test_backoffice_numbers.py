"""Staff record persons in the admin: numbers checked strictly; legacy NNPs only here."""

import datetime

import pytest
from django.urls import reverse

from affiliation.models import InsuredPerson
from affiliation.rules.nir import control_key
from tests.affiliation.factories import InsuredPersonFactory, nir_for, paris_fund
from tests.affiliation.factories_backoffice import counter_staff

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:affiliation_insuredperson_add")
BIRTH = datetime.date(1985, 1, 15)


@pytest.fixture
def staff_client(client):
    client.force_login(counter_staff())
    return client


def person_form(**overrides) -> dict:
    data = {
        "nir": nir_for("2", BIRTH, serial=77),
        "number_kind": "nir",
        "last_name": "Moreau",
        "first_names": "Inès",
        "sex": "2",
        "birth_date": "1985-01-15",
        "fund": paris_fund().pk,
        "postcode": "75011",
        "city": "PARIS",
        **{f"{prefix}-{key}": value for prefix in INLINE_PREFIXES for key, value in EMPTY},
    }
    data.update(overrides)
    return data


INLINE_PREFIXES = [
    "file_entries",
    "beneficiary_of",
    "coverage_periods",
    "exemptions",
    "css_applications",
]
EMPTY = [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0")]


def errors_of(response) -> str:
    assert response.status_code == 200, "the form should have been refused"
    return " ".join(str(error) for error in response.context["adminform"].form.errors.values())


def test_staff_record_a_person_with_a_valid_nir_typed_with_spaces(staff_client):
    number = nir_for("2", BIRTH, serial=77)
    spaced = " ".join([number[0], number[1:3], number[3:5], number[5:7], number[7:13], number[13:]])
    response = staff_client.post(ADD_URL, person_form(nir=spaced))
    assert response.status_code == 302
    assert InsuredPerson.objects.get().nir == number


def test_a_wrong_key_is_refused_with_its_reason(staff_client):
    number = nir_for("2", BIRTH, serial=77)
    wrong = number[:13] + f"{(int(number[13:]) % 97) + 1:02d}"
    errors = errors_of(staff_client.post(ADD_URL, person_form(nir=wrong)))
    assert "clé" in errors
    assert not InsuredPerson.objects.exists()


def test_the_nir_must_agree_with_the_identity(staff_client):
    errors = errors_of(staff_client.post(ADD_URL, person_form(sex="1", birth_date="1986-02-15")))
    assert "sexe" in errors and "année" in errors and "mois" in errors
    assert not InsuredPerson.objects.exists()


def test_a_legacy_provisional_number_is_accepted_here_and_flagged(staff_client):
    response = staff_client.post(ADD_URL, person_form(nir="8 1 013 12345678", number_kind="nir"))
    assert response.status_code == 302
    person = InsuredPerson.objects.get()
    assert (person.nir, person.number_kind) == ("8101312345678", "nnp")


def test_a_nir_cannot_be_called_a_legacy_number(staff_client):
    errors = errors_of(staff_client.post(ADD_URL, person_form(number_kind="nnp")))
    assert "NNP" in errors


def test_an_invalid_rpps_is_refused(staff_client):
    errors = errors_of(staff_client.post(ADD_URL, person_form(attending_doctor_rpps="10000000001")))
    assert "RPPS" in errors


def test_a_number_already_recorded_is_refused(staff_client):
    existing = InsuredPersonFactory()
    errors = errors_of(
        staff_client.post(
            ADD_URL,
            person_form(
                nir=existing.nir,
                sex=existing.sex,
                birth_date=existing.birth_date.isoformat(),
            ),
        )
    )
    assert "existe déjà" in errors


def test_corsica_before_1976_keeps_20(staff_client):
    first_13 = "2740520321025"
    number = f"{first_13}{control_key(first_13):02d}"
    response = staff_client.post(
        ADD_URL, person_form(nir=number, birth_date="1974-05-03", first_names="Marie")
    )
    assert response.status_code == 302
