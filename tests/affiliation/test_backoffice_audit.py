"""Every staff read of a person's data leaves exactly one trace; other pages leave none."""

import pytest
from django.urls import reverse

from cpam_portal.audit import mask_numbers
from cpam_portal.models import AccessLog
from tests.affiliation.factories import InsuredPersonFactory
from tests.affiliation.factories_backoffice import CSSApplicationFactory, counter_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    staff = counter_staff()
    client.force_login(staff)
    return staff


def person_url(name, person, *args):
    return reverse(f"admin:affiliation_insuredperson_{name}", args=[person.pk, *args])


def test_opening_a_fiche_is_one_trace(client, staff):
    person = InsuredPersonFactory()
    assert client.get(person_url("change", person)).status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id, log.insured_person_id) == (
        staff,
        "view",
        "affiliation.insuredperson",
        str(person.pk),
        person.pk,
    )


def test_the_history_and_a_historical_version_are_one_trace_each(client, staff):
    person = InsuredPersonFactory()
    client.get(person_url("history", person))
    version = person.history.earliest()
    assert client.get(person_url("simple_history", person, version.history_id)).status_code == 200
    assert list(AccessLog.objects.order_by("pk").values_list("detail", "insured_person_id")) == [
        ("history", person.pk),
        ("history version", person.pk),
    ]


def test_a_css_application_page_is_traced_against_its_holder(client, staff):
    application = CSSApplicationFactory()
    url = reverse("admin:affiliation_cssapplication_change", args=[application.pk])
    assert client.get(url).status_code == 200
    log = AccessLog.objects.get()
    assert (log.object_type, log.insured_person_id) == (
        "affiliation.cssapplication",
        application.holder_id,
    )


def test_a_search_is_one_trace_and_never_keeps_a_full_nir(client, staff):
    person = InsuredPersonFactory()
    client.get(reverse("admin:affiliation_insuredperson_changelist"), {"q": person.nir})
    log = AccessLog.objects.get()
    assert log.action == "search"
    assert log.object_type == "affiliation.insuredperson"
    assert person.nir not in log.detail
    assert log.detail == person.nir[:3] + "*" * 12


def test_a_name_search_keeps_the_name(client, staff):
    client.get(reverse("admin:affiliation_insuredperson_changelist"), {"q": "Dupont"})
    assert AccessLog.objects.get().detail == "Dupont"


def test_autocomplete_searches_are_traced(client, staff):
    InsuredPersonFactory(last_name="Dupont")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Dupont",
            "app_label": "affiliation",
            "model_name": "beneficiary",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    assert AccessLog.objects.get().action == "search"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("2 85 01 75 001 001 42", "285************"),
        ("284052a32102552", "284************"),
        ("Dupont 1850175", "Dupont 185****"),
        ("15/01/1985", "15/01/1985"),
        ("Martin", "Martin"),
    ],
)
def test_numbers_are_masked(text, masked):
    assert mask_numbers(text) == masked


def test_pages_without_a_person_leave_no_trace(client, staff):
    InsuredPersonFactory()
    client.get(reverse("admin:index"))
    client.get(reverse("admin:affiliation_insuredperson_changelist"))  # no search
    client.get(reverse("admin:affiliation_cssapplication_changelist"))
    client.get(reverse("home"))
    assert not AccessLog.objects.exists()


def test_saving_a_fiche_is_history_not_a_read_trace(client, staff):
    person = InsuredPersonFactory()
    client.post(person_url("change", person), {})  # invalid form: nothing saved, nothing read
    assert not AccessLog.objects.exists()


def test_anonymous_visitors_and_insured_persons_leave_no_trace(client):
    person = InsuredPersonFactory()
    client.get(person_url("change", person))
    client.get(reverse("affiliation:css_simulator"))
    assert not AccessLog.objects.exists()


def test_staff_without_the_permission_see_nothing_and_leave_no_trace(client):
    from tests.affiliation.factories_backoffice import staff_without_group

    client.force_login(staff_without_group())
    person = InsuredPersonFactory()
    assert client.get(person_url("change", person)).status_code == 403
    assert client.get(person_url("history", person)).status_code == 403
    assert not AccessLog.objects.exists()
