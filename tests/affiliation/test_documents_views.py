"""The insured person's pages: attestations and cards, only for their own file."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from affiliation.models import CardOrder, IssuedDocument
from affiliation.rules.nir import NumberKind
from affiliation.services import documents as services
from tests.accounts.factories import UserFactory
from tests.affiliation.factories_documents import (
    family_file,
    pdf_text,
    sent_card,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
# What any logged-in page costs before our view runs: session, user, usersessions' tracking
# (savepoint, select, user, update, release), and saving the session (savepoint, update, release).
FRAMEWORK_QUERIES = 10


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def logged_in(client, family):
    client.force_login(family.user)
    return client


def download(client, document) -> str:
    response = client.get(reverse("affiliation:download_document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    return pdf_text(content)


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("affiliation:attestations", []),
        ("affiliation:cards", []),
        ("affiliation:order_card", ["vitale"]),
        ("affiliation:card_order", [1]),
        ("affiliation:download_document", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_persons_attestation_and_order_are_not_found(client):
    mine, theirs = family_file(), family_file()
    document = services.issue_attestation(theirs.holder, language="fr", on=NOW.date(), now=NOW)
    order, certificate = services.order_card(
        ordered_by=theirs.holder,
        person_id=theirs.child.pk,
        kind="ceam",
        reason="first",
        on=NOW.date(),
        now=NOW,
    )
    logged_in(client, mine)

    for pk in (document.pk, certificate.pk):
        url = reverse("affiliation:download_document", args=[pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("affiliation:card_order", args=[order.pk])).status_code == 404
    # Their documents do not show in my list either.
    response = client.get(reverse("affiliation:attestations"))
    assert list(response.context["documents"]) == []


def test_a_person_in_my_file_cannot_be_swapped_for_someone_elses(client):
    mine, theirs = family_file(), family_file()
    logged_in(client, mine)
    response = client.post(
        reverse("affiliation:order_card", args=["ceam"]),
        {"person": theirs.child.pk, "reason": "first", "language": "fr"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert not CardOrder.objects.exists()


def test_an_account_without_a_file_is_told_to_link_it(client):
    client.force_login(UserFactory())
    response = client.get(reverse("affiliation:attestations"))
    assert response.status_code == 200
    assert "affiliation/documents/no_file.html" in [t.name for t in response.templates]
    assert not IssuedDocument.objects.exists()


def test_an_unknown_card_kind_is_not_found(client):
    logged_in(client, family_file())
    assert client.get(reverse("affiliation:order_card", args=["platine"])).status_code == 404


# --- Attestations -------------------------------------------------------------------------------


def test_the_holder_gets_an_attestation_in_the_language_chosen(client):
    family = family_file()
    logged_in(client, family)

    response = client.post(reverse("affiliation:attestations"), {"language": "en"})

    assert response.status_code == 302
    document = IssuedDocument.objects.get()
    assert document.kind == IssuedDocument.Kind.ATTESTATION_DROITS
    assert document.holder == family.holder and document.language == "en"
    text = download(client, document)
    assert "Certificate of health insurance entitlement" in text
    assert "LEFÈVRE Camille Anne" in text


def test_no_attestation_when_the_rights_are_closed(client):
    family = family_file()
    family.holder.coverage_periods.update(valid_until=datetime.date(2026, 11, 23))
    logged_in(client, family)

    response = client.post(reverse("affiliation:attestations"), {"language": "fr"})

    assert response.status_code == 200
    assert "Vos droits ne sont pas ouverts" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_a_dependant_with_an_account_but_no_file_of_their_own_is_told_to_call(client):
    family = family_file()
    family.holder.file_entries.filter(rank=1).delete()  # a person on someone else's file only
    logged_in(client, family)

    response = client.post(reverse("affiliation:attestations"), {"language": "fr"})

    assert response.status_code == 200
    assert "ne permet pas de délivrer une attestation" in str(response.context["form"].errors)
    assert not IssuedDocument.objects.exists()


def test_a_language_outside_the_choices_is_refused(client):
    logged_in(client, family_file())
    response = client.post(reverse("affiliation:attestations"), {"language": "de"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert not IssuedDocument.objects.exists()


def test_the_attestations_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    family = family_file()
    for _ in range(3):
        services.issue_attestation(family.holder, language="fr", on=NOW.date(), now=NOW)
    logged_in(client, family)
    client.get(reverse("affiliation:attestations"))  # warm the session
    # the file, the documents with their holder
    with django_assert_num_queries(FRAMEWORK_QUERIES + 2):
        response = client.get(reverse("affiliation:attestations"))
    assert response.status_code == 200
    assert len(response.context["documents"]) == 3


def test_downloading_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    family = family_file()
    document = services.issue_attestation(family.holder, language="fr", on=NOW.date(), now=NOW)
    logged_in(client, family)
    client.get(reverse("affiliation:attestations"))
    with django_assert_num_queries(FRAMEWORK_QUERIES + 1):  # the document, scoped to my file
        response = client.get(reverse("affiliation:download_document", args=[document.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


# --- Cards --------------------------------------------------------------------------------------


def test_a_ceam_order_comes_with_a_provisional_certificate_to_download(client):
    family = family_file()
    logged_in(client, family)

    response = client.post(
        reverse("affiliation:order_card", args=["ceam"]),
        {"person": family.spouse.pk, "reason": "first", "language": "fr"},
    )

    order = CardOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("affiliation:card_order", args=[order.pk])
    assert (order.person, order.ordered_by, order.kind) == (family.spouse, family.holder, "ceam")
    assert order.status == CardOrder.Status.ORDERED
    page = client.get(response["Location"])
    (certificate,) = page.context["certificates"]
    assert certificate.kind == IssuedDocument.Kind.CEAM_PROVISIONAL_CERTIFICATE
    assert (certificate.valid_from, certificate.valid_until) == (
        datetime.date(2026, 11, 23),
        datetime.date(2027, 2, 23),
    )
    assert reverse("affiliation:download_document", args=[certificate.pk]) in page.content.decode()
    text = download(client, certificate)
    assert "MOREAU" in text and "valable du 23/11/2026 au 22/02/2027 inclus" in text


def test_a_carte_vitale_is_refused_for_a_person_with_a_nia(client):
    family = family_file()
    family.child.number_kind = NumberKind.NIA.value
    family.child.save()
    logged_in(client, family)

    response = client.post(
        reverse("affiliation:order_card", args=["vitale"]),
        {"person": family.child.pk, "reason": "first"},
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors["person"]
    assert "numéro d'attente (NIA)" in error
    assert not CardOrder.objects.exists()
    # A CEAM is possible with a NIA.
    response = client.post(
        reverse("affiliation:order_card", args=["ceam"]),
        {"person": family.child.pk, "reason": "first", "language": "en"},
    )
    assert response.status_code == 302


def test_one_open_order_per_person_and_card(client):
    family = family_file()
    logged_in(client, family)
    url = reverse("affiliation:order_card", args=["vitale"])
    assert client.post(url, {"person": family.holder.pk, "reason": "first"}).status_code == 302

    response = client.post(url, {"person": family.holder.pk, "reason": "damaged"})

    assert response.status_code == 200
    assert "déjà en cours" in response.content.decode()
    assert CardOrder.objects.count() == 1
    # Another person, or another card, is a separate order.
    assert client.post(url, {"person": family.spouse.pk, "reason": "first"}).status_code == 302
    ceam = reverse("affiliation:order_card", args=["ceam"])
    data = {"person": family.holder.pk, "reason": "first", "language": "fr"}
    assert client.post(ceam, data).status_code == 302


def test_the_database_refuses_a_second_open_order():
    family = family_file()
    fields = {"person": family.holder, "ordered_by": family.holder, "kind": "carte_vitale"}
    CardOrder.objects.create(reason="first", status="produced", **fields)
    with pytest.raises(IntegrityError):
        CardOrder.objects.create(reason="lost", **fields)


def test_a_new_order_is_possible_once_the_previous_one_is_sent_or_cancelled():
    family = family_file()
    fields = {"person": family.holder, "ordered_by": family.holder, "kind": "carte_vitale"}
    CardOrder.objects.create(reason="first", status="sent", **fields)
    CardOrder.objects.create(reason="renewal", status="cancelled", **fields)
    CardOrder.objects.create(reason="damaged", **fields)
    assert CardOrder.objects.count() == 3


@pytest.mark.parametrize("reason", ["lost", "stolen"])
def test_declaring_a_card_lost_or_stolen_invalidates_the_card_in_circulation(client, reason):
    family = family_file()
    old = sent_card(family.spouse)
    other_person = sent_card(family.holder)
    logged_in(client, family)

    response = client.post(
        reverse("affiliation:order_card", args=["vitale"]),
        {"person": family.spouse.pk, "reason": reason},
    )

    assert response.status_code == 302
    new = CardOrder.objects.get(status="ordered")
    old.refresh_from_db()
    other_person.refresh_from_db()
    assert old.invalidated_at == NOW and old.replaced_by == new
    assert other_person.invalidated_at is None


def test_a_damaged_card_stays_valid_until_the_new_one_comes():
    family = family_file()
    old = sent_card(family.holder)
    services.order_card(
        ordered_by=family.holder,
        person_id=family.holder.pk,
        kind="carte_vitale",
        reason="damaged",
        on=NOW.date(),
        now=NOW,
    )
    old.refresh_from_db()
    assert old.invalidated_at is None


def test_no_card_for_a_person_whose_rights_are_closed(client):
    family = family_file()
    family.spouse.coverage_periods.update(valid_until=datetime.date(2026, 11, 1))
    logged_in(client, family)
    response = client.post(
        reverse("affiliation:order_card", args=["ceam"]),
        {"person": family.spouse.pk, "reason": "first", "language": "fr"},
    )
    assert response.status_code == 200
    assert "ne sont pas ouverts" in response.content.decode()
    assert not CardOrder.objects.exists() and not IssuedDocument.objects.exists()


def test_the_order_form_offers_the_people_of_my_file(client):
    family = family_file()
    logged_in(client, family)
    response = client.get(reverse("affiliation:order_card", args=["ceam"]))
    choices = response.context["form"].fields["person"].choices
    assert [label[:2] for _pk, label in choices] == ["01", "02", "03"]
    assert "language" in response.context["form"].fields
    response = client.get(reverse("affiliation:order_card", args=["vitale"]))
    assert "language" not in response.context["form"].fields


def test_the_cards_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    family = family_file()
    for person in (family.holder, family.spouse, family.child):
        services.order_card(
            ordered_by=family.holder,
            person_id=person.pk,
            kind="ceam",
            reason="first",
            on=NOW.date(),
            now=NOW,
        )
    logged_in(client, family)
    client.get(reverse("affiliation:cards"))
    # the file, the orders with their person, the orders' documents
    with django_assert_num_queries(FRAMEWORK_QUERIES + 3):
        response = client.get(reverse("affiliation:cards"))
    assert len(response.context["orders"]) == 3


def test_the_order_form_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    family = family_file()
    logged_in(client, family)
    client.get(reverse("affiliation:cards"))
    with django_assert_num_queries(FRAMEWORK_QUERIES + 2):  # the file, the people on it
        response = client.get(reverse("affiliation:order_card", args=["vitale"]))
    assert response.status_code == 200
