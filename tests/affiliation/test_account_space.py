"""The insured person's space: only their own file, and the life events declared from it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from affiliation.models import AddressChange, Beneficiary
from affiliation.services.records import attach_dependant
from directory.models import Fund
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import ExemptionFactory
from tests.affiliation.factories_account import (
    BankAccountFactory,
    DependantFactory,
    LinkedPersonFactory,
    add_family,
)
from tests.mutuelles.factories_contracts import MutuelleContractFactory, MutuelleFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
SPACE_URL = reverse("affiliation:my_space")
# Every logged-in request: session, account, allauth's user session (read, account, update, in
# a savepoint), and the session saved again in a savepoint (its idle timeout is renewed): 10
# statements counting the savepoints. The pages' own queries come on top.
MIDDLEWARE_QUERIES = 10


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def me(client):
    person = LinkedPersonFactory()
    client.force_login(person.user)
    return person


@pytest.fixture
def someone_else():
    """Another insured person with a family, a doctor, a contract and bank details."""
    other = LinkedPersonFactory(
        attending_doctor_rpps="10000000009", attending_doctor_name="Dr Secret"
    )
    add_family(other)
    MutuelleContractFactory(person=other, mutuelle=MutuelleFactory(name="Mutuelle Secrète"))
    BankAccountFactory(person=other, holder_name="Titulaire Secret")
    return other


def test_people_without_a_linked_file_are_sent_to_the_linking_page(client):
    client.force_login(UserFactory())
    for url in [
        SPACE_URL,
        reverse("affiliation:change_address"),
        reverse("affiliation:bank_details"),
        reverse("mutuelles:contracts"),
        reverse("affiliation:attending_doctor", args=[1]),
    ]:
        response = client.get(url)
        assert response["Location"] == reverse("affiliation:link_account"), url


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(SPACE_URL)
    assert response["Location"].startswith(reverse("account_login"))


def test_my_space_shows_my_file_and_nothing_of_another(
    client, me, someone_else, django_assert_num_queries
):
    spouse, child = add_family(me)
    ExemptionFactory(person=me)
    MutuelleContractFactory(person=child.person, mutuelle=MutuelleFactory(name="Ma Mutuelle"))
    BankAccountFactory(person=me)
    client.get(SPACE_URL)  # the session's first request records it (allauth usersessions)
    # The person and fund, the contracts, the file's entries, their periods, their exemptions,
    # the bank account, the files I am on.
    with django_assert_num_queries(MIDDLEWARE_QUERIES + 7):
        response = client.get(SPACE_URL)
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        me.first_names,
        spouse.person.first_names,
        child.person.first_names,
        "rang 02",
        "rang 03",
        "Ma Mutuelle",
        "FR76 •••• •••• 0189",
        "affection de longue durée",
        reverse("directory:fund", args=["75"]),
    ]:
        assert text in page, text
    for secret in [
        someone_else.first_names,
        "Dr Secret",
        "Mutuelle Secrète",
        "Titulaire Secret",
        me.nir,  # my own number is shown masked
    ]:
        assert secret not in page, secret


def test_the_number_of_queries_does_not_grow_with_the_family(client, me, django_assert_num_queries):
    add_family(me)
    for _ in range(3):
        MutuelleContractFactory(person=me)
    client.get(SPACE_URL)
    with django_assert_num_queries(MIDDLEWARE_QUERIES + 7):
        client.get(SPACE_URL)


def test_my_space_lists_the_files_i_am_on(client, me):
    parent = LinkedPersonFactory(first_names="Parentine")
    attach_dependant(parent, me, Beneficiary.Relationship.CHILD, rights_from=TODAY)
    page = client.get(SPACE_URL).content.decode()
    assert "Parentine" in page


def test_another_files_ranks_are_not_found(client, me, someone_else):
    # I have only rank 01; the other file has 02 and 03.
    for rank in [2, 3]:
        assert client.get(reverse("affiliation:attending_doctor", args=[rank])).status_code == 404
        assert client.get(reverse("affiliation:request_autonomy", args=[rank])).status_code == 404


# --- Médecin traitant -----------------------------------------------------------------------


def test_i_declare_my_attending_doctor(client, me):
    response = client.post(
        reverse("affiliation:attending_doctor", args=[1]),
        {"rpps": "100 000 000 09", "name": "Dr Claire Dupont", "since": "2026-11-20"},
    )
    assert response["Location"] == SPACE_URL
    me.refresh_from_db()
    assert me.attending_doctor_rpps == "10000000009"
    assert me.attending_doctor_name == "Dr Claire Dupont"
    assert me.attending_doctor_since == datetime.date(2026, 11, 20)
    assert me.history.count() == 2  # creation, then this change


def test_an_rpps_number_with_a_wrong_key_is_refused(client, me):
    response = client.post(
        reverse("affiliation:attending_doctor", args=[1]),
        {"rpps": "10000000008", "name": "Dr Claire Dupont", "since": "2026-11-20"},
    )
    assert response.status_code == 200
    assert "clé" in str(response.context["form"].errors["rpps"])
    me.refresh_from_db()
    assert me.attending_doctor_rpps == ""


def test_a_spouse_on_my_file_gets_a_doctor_but_a_child_under_16_does_not(client, me):
    spouse, child = add_family(me)
    url = reverse("affiliation:attending_doctor", args=[spouse.rank])
    client.post(url, {"rpps": "10000000009", "name": "Dr Martin", "since": "2026-11-20"})
    spouse.person.refresh_from_db()
    assert spouse.person.attending_doctor_name == "Dr Martin"
    assert client.get(reverse("affiliation:attending_doctor", args=[child.rank])).status_code == 404


# --- Moves ----------------------------------------------------------------------------------


def test_a_move_to_another_departement_moves_the_file_to_that_fund(client, me):
    lyon = Fund.objects.create(department_code="69", department_name="Rhône", name="CPAM du Rhône")
    response = client.post(
        reverse("affiliation:change_address"),
        {
            "line_1": "3 place Bellecour",
            "postcode": "69002",
            "city": "Lyon",
            "moved_on": "2026-11-01",
        },
        follow=True,
    )
    assert "désormais géré par la CPAM du Rhône" in response.content.decode()
    me.refresh_from_db()
    assert (me.postcode, me.city, me.fund) == ("69002", "LYON", lyon)
    change = AddressChange.objects.get(person=me)
    assert (change.old_fund.department_code, change.new_fund, change.moved_on) == (
        "75",
        lyon,
        datetime.date(2026, 11, 1),
    )
    assert me.history.latest().prev_record.postcode == "75011"


def test_a_move_within_the_departement_keeps_the_fund(client, me):
    response = client.post(
        reverse("affiliation:change_address"),
        {
            "line_1": "1 rue de Rivoli",
            "postcode": "75001",
            "city": "Paris",
            "moved_on": "2026-11-01",
        },
        follow=True,
    )
    assert "désormais" not in response.content.decode()
    assert AddressChange.objects.get(person=me).changed_fund is False


@pytest.mark.parametrize(
    ("moved_on", "message"), [("2026-12-01", "à venir"), ("2025-01-01", "plus d'un an")]
)
def test_a_move_date_in_the_future_or_too_old_is_refused(client, me, moved_on, message):
    response = client.post(
        reverse("affiliation:change_address"),
        {"line_1": "1 rue de Rivoli", "postcode": "75001", "city": "Paris", "moved_on": moved_on},
    )
    assert message in " ".join(response.context["form"].errors["moved_on"])
    assert not AddressChange.objects.exists()


def test_a_postcode_without_a_fund_is_refused_and_nothing_changes(client, me):
    response = client.post(
        reverse("affiliation:change_address"),
        {"line_1": "Quai", "postcode": "13001", "city": "Marseille", "moved_on": "2026-11-01"},
    )
    assert "aucune caisse" in str(response.context["form"].errors["postcode"])
    me.refresh_from_db()
    assert me.postcode == "75011"
    assert not AddressChange.objects.exists()


# --- Autonomy -------------------------------------------------------------------------------


def test_a_dependant_of_16_or_more_may_ask_for_autonomy(client, me):
    teen = DependantFactory(birth_date=datetime.date(2010, 1, 1))
    entry = attach_dependant(me, teen, Beneficiary.Relationship.CHILD, rights_from=TODAY)
    url = reverse("affiliation:request_autonomy", args=[entry.rank])
    assert client.get(url).status_code == 200
    assert client.post(url)["Location"] == SPACE_URL
    entry.refresh_from_db()
    assert entry.autonomy_requested_on == TODAY
    assert entry.history.count() == 2


def test_a_child_under_16_and_the_holder_cannot_ask_for_autonomy(client, me):
    _spouse, child = add_family(me)
    assert (
        client.post(reverse("affiliation:request_autonomy", args=[child.rank])).status_code == 404
    )
    assert client.post(reverse("affiliation:request_autonomy", args=[1])).status_code == 404
