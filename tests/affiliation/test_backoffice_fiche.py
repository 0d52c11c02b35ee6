"""The fiche assuré: staff find a person by NIR, name or birth date and see their whole file."""

import datetime

import pytest
from django.urls import reverse

from affiliation.admin import insured as insured_admin
from affiliation.models import Beneficiary
from affiliation.services.records import attach_dependant
from tests.affiliation.factories import ExemptionFactory, InsuredPersonFactory, nir_for
from tests.affiliation.factories_backoffice import CSSApplicationFactory, counter_staff, dependant

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:affiliation_insuredperson_changelist")


def change_url(person):
    return reverse("admin:affiliation_insuredperson_change", args=[person.pk])


@pytest.fixture
def staff_client(client):
    client.force_login(counter_staff())
    return client


def found(client, query: str) -> set:
    response = client.get(CHANGELIST, {"q": query})
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.fixture
def people():
    alice = InsuredPersonFactory(
        last_name="Dupont",
        birth_name="Lefèvre",
        first_names="Alice",
        birth_date=datetime.date(1985, 1, 15),
    )
    bruno = InsuredPersonFactory(
        last_name="Durand", first_names="Bruno", sex="1", birth_date=datetime.date(1972, 11, 3)
    )
    return alice, bruno


def spaced(nir: str) -> str:
    """As printed on a card: '2 85 01 75 001 001 xx'."""
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def test_search_by_full_nir_with_spaces(staff_client, people):
    alice, _bruno = people
    assert found(staff_client, spaced(alice.nir)) == {alice}


def test_search_by_the_start_of_a_nir(staff_client, people):
    alice, bruno = people
    assert found(staff_client, alice.nir[:7]) == {alice}
    assert found(staff_client, bruno.nir[:5]) == {bruno}


def test_search_by_a_corsican_nir_in_lower_case(staff_client):
    corsican = InsuredPersonFactory(nir="284052A32102552", birth_date=datetime.date(1984, 5, 2))
    assert found(staff_client, "2 84 05 2a 321 025 52") == {corsican}


@pytest.mark.parametrize("query", ["dupont", "DUPONT", "Lefèvre", "alice dupont"])
def test_search_by_name_or_birth_name(staff_client, people, query):
    alice, _bruno = people
    assert found(staff_client, query) == {alice}


@pytest.mark.parametrize("query", ["15/01/1985", "1985-01-15", " 15/01/1985 "])
def test_search_by_birth_date(staff_client, people, query):
    alice, _bruno = people
    assert found(staff_client, query) == {alice}


def test_a_date_that_does_not_exist_is_searched_as_text(staff_client, people):
    assert found(staff_client, "31/02/1985") == set()


def test_list_filters(staff_client, people):
    alice, bruno = people
    bruno.is_alsace_moselle = True
    bruno.number_kind = "nia"
    bruno.save()
    assert set(
        staff_client.get(CHANGELIST, {"is_alsace_moselle__exact": "1"}).context["cl"].result_list
    ) == {bruno}
    assert set(
        staff_client.get(CHANGELIST, {"number_kind__exact": "nia"}).context["cl"].result_list
    ) == {bruno}
    assert set(
        staff_client.get(CHANGELIST, {"fund__id__exact": alice.fund_id}).context["cl"].result_list
    ) == {alice, bruno}


def test_the_changelist_query_count_does_not_grow_with_the_rows(
    staff_client, django_assert_num_queries
):
    InsuredPersonFactory.create_batch(3)
    staff_client.get(CHANGELIST)
    # 7 for the session, the user and allauth's user sessions, 1 for the second factor, 2 for
    # permissions, the fund filter's choices, the count twice (filtered, total), the page with
    # its funds, and 3 to save the session (renewed at each request).
    with django_assert_num_queries(17):
        assert staff_client.get(CHANGELIST).status_code == 200
    InsuredPersonFactory.create_batch(10)
    with django_assert_num_queries(17):
        assert staff_client.get(CHANGELIST).status_code == 200


def test_the_fiche_shows_the_file_the_files_the_person_is_on_and_more(staff_client):
    mother = InsuredPersonFactory(first_names="Marie")
    father = InsuredPersonFactory(first_names="Paul")
    child = dependant(first_names="Léa")
    attach_dependant(
        mother, child, Beneficiary.Relationship.CHILD, rights_from=datetime.date(2020, 1, 1)
    )
    attach_dependant(
        father, child, Beneficiary.Relationship.CHILD, rights_from=datetime.date(2020, 1, 1)
    )
    ExemptionFactory(person=mother, note="ALD diabète")
    CSSApplicationFactory(holder=mother)

    body = staff_client.get(change_url(mother)).content.decode()
    assert "personnes sur ce dossier (bénéficiaires et rangs)" in body.lower()
    assert "ALD diabète" in body
    assert "demandes de complémentaire santé solidaire" in body.lower()
    assert "activité professionnelle" in body  # the coverage period's basis
    assert (
        reverse("admin:cpam_portal_accesslog_changelist") + f"?insured_person_id={mother.pk}"
        in body
    )

    child_page = staff_client.get(change_url(child)).content.decode()
    assert change_url(mother) in child_page and change_url(father) in child_page


def test_links_to_areas_that_are_not_installed_are_left_out(staff_client, monkeypatch):
    person = InsuredPersonFactory()
    monkeypatch.setattr(
        insured_admin,
        "FICHE_LINKS",
        [insured_admin.FicheLink("Lien absent", "admin:affiliation_nothing_changelist", "p={pk}")],
    )
    response = staff_client.get(change_url(person))
    assert response.status_code == 200
    assert "Lien absent" not in response.content.decode()


def test_the_history_of_every_change_is_shown(staff_client):
    person = InsuredPersonFactory(city="PARIS")
    person.city = "LYON"
    person.save()
    response = staff_client.get(
        reverse("admin:affiliation_insuredperson_history", args=[person.pk])
    )
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 2


def test_the_fiche_query_count_does_not_grow_with_the_file(staff_client, django_assert_num_queries):
    holder = InsuredPersonFactory()
    url = change_url(holder)
    staff_client.get(url)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    empty = count()
    for _ in range(3):
        attach_dependant(
            holder,
            dependant(),
            Beneficiary.Relationship.CHILD,
            rights_from=datetime.date(2020, 1, 1),
        )
        ExemptionFactory(person=holder)
        CSSApplicationFactory(holder=holder, status="refused", refusal_reason="Non")
    assert count() == empty


def attach_url(person):
    return reverse("admin:affiliation_insuredperson_attach", args=[person.pk])


def test_staff_put_a_person_on_a_file_with_the_next_rank(staff_client):
    holder = InsuredPersonFactory()
    child = dependant()
    assert attach_url(holder) in staff_client.get(change_url(holder)).content.decode()
    response = staff_client.post(
        attach_url(holder),
        {"nir": spaced(child.nir), "relationship": "child", "rights_from": "01/09/2025"},
    )
    assert response.status_code == 302
    entry = Beneficiary.objects.get(holder=holder, person=child)
    assert (entry.rank, entry.relationship) == (2, "child")
    assert child.coverage_periods.get().valid_from == datetime.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("nir", "message"),
    [
        ("123", "Le numéro de sécurité sociale compte 15 caractères"),
        (
            nir_for("2", datetime.date(1985, 1, 15), serial=900),
            "Aucune personne n&#x27;a ce numéro",
        ),
    ],
)
def test_a_wrong_number_is_refused_with_its_reason(staff_client, nir, message):
    holder = InsuredPersonFactory()
    response = staff_client.post(
        attach_url(holder), {"nir": nir, "relationship": "child", "rights_from": "2025-09-01"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Beneficiary.objects.filter(holder=holder).count() == 1


def test_a_person_already_on_the_file_is_not_added_twice(staff_client):
    holder = InsuredPersonFactory()
    child = dependant()
    attach_dependant(
        holder, child, Beneficiary.Relationship.CHILD, rights_from=datetime.date(2020, 1, 1)
    )
    for nir in (child.nir, holder.nir):
        response = staff_client.post(
            attach_url(holder), {"nir": nir, "relationship": "child", "rights_from": "2025-09-01"}
        )
        assert "Cette personne figure déjà sur ce dossier." in response.content.decode()
    assert Beneficiary.objects.filter(holder=holder).count() == 2


def test_staff_without_the_permission_cannot_attach(client):
    from tests.affiliation.factories_backoffice import staff_without_group

    client.force_login(staff_without_group())
    holder = InsuredPersonFactory()
    child = dependant()
    response = client.post(
        attach_url(holder), {"nir": child.nir, "relationship": "child", "rights_from": "2025-09-01"}
    )
    assert response.status_code == 403
    assert not Beneficiary.objects.filter(person=child).exists()


def test_the_fiche_links_to_each_area_filtered_on_the_person(staff_client):
    """Each area's list opens from the fiche, for counter staff, filtered on this person."""
    client = staff_client
    person, other = InsuredPersonFactory(), InsuredPersonFactory()
    body = client.get(change_url(person)).content.decode()
    links = [link for link in insured_admin.FICHE_LINKS if "accesslog" not in link.url_name]
    assert len(links) == 6
    for link in links:
        url = f"{reverse(link.url_name)}?{link.query.format(pk=person.pk)}"
        assert url.replace("&", "&amp;") in body
        response = client.get(url)
        # An unknown lookup would send the admin to "?e=1" instead of filtering.
        assert response.status_code == 200, link.url_name
        other_url = f"{reverse(link.url_name)}?{link.query.format(pk=other.pk)}"
        assert client.get(other_url).status_code == 200
