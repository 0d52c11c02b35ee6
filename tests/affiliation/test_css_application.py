"""A linked insured person applies for the CSS for persons of their own file."""

import datetime
import html
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from affiliation.models import Beneficiary, CSSApplication
from affiliation.services import css as services
from affiliation.services.records import attach_dependant
from tests.accounts.factories import UserFactory
from tests.affiliation.factories import InsuredPersonFactory
from tests.affiliation.factories_backoffice import CSSApplicationFactory, dependant, linked_holder

pytestmark = pytest.mark.django_db

URL = reverse("affiliation:css_application")
NOW = datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture
def family():
    holder = linked_holder(birth_date=datetime.date(1980, 5, 1))  # 44 on 1 January 2025
    child = dependant(birth_date=datetime.date(2015, 6, 1))  # 9
    attach_dependant(holder, child, Beneficiary.Relationship.CHILD, rights_from=holder.birth_date)
    return holder, child


def text(response) -> str:
    return html.unescape(response.content.decode())


def entry_ids(holder):
    return [
        str(pk) for pk in Beneficiary.objects.filter(holder=holder).values_list("pk", flat=True)
    ]


def test_anonymous_visitors_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_account_not_linked_to_a_file_is_told_to_link_it_first(client):
    client.force_login(UserFactory())
    body = text(client.get(URL))
    assert "votre compte doit d'abord être relié à votre dossier" in body
    assert "<form" not in body.split("<main")[1].split("</main>")[0]


@time_machine.travel(NOW)
def test_the_form_offers_the_persons_of_the_file(client, family, django_assert_num_queries):
    holder, child = family
    client.force_login(holder.user)
    client.get(URL)  # the session is created once
    # 10 for the session, the user and allauth's user-session tracking; then the person, the
    # rank-01 check, the applications and the file entries with their persons.
    with django_assert_num_queries(14):
        response = client.get(URL)
    body = text(response)
    assert f"01 — {holder.first_names} {holder.last_name.upper()}" in body
    assert f"02 — {child.first_names} {child.last_name.upper()}" in body


@time_machine.travel(NOW)
def test_applying_records_the_household_and_the_computed_participation(
    client, family, mailoutbox, django_capture_on_commit_callbacks
):
    holder, child = family
    client.force_login(holder.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"entries": entry_ids(holder), "annual_resources": "20 000"}, follow=True
        )
    assert "Votre demande est enregistrée" in text(response)
    application = CSSApplication.objects.get(holder=holder)
    assert application.status == CSSApplication.Status.SUBMITTED
    assert application.household_size == 2
    assert application.outcome == "with_participation"  # 15 508 < 20 000 ≤ 20 936
    assert application.monthly_participation == Decimal("22.00")  # 14 € + 8 €
    assert [(m.person, m.rank, m.monthly_participation) for m in application.members.all()] == [
        (holder, 1, Decimal("14.00")),
        (child, 2, Decimal("8.00")),
    ]
    assert application.submitted_on == datetime.date(2025, 6, 15)
    assert [m.to for m in mailoutbox] == [[holder.user.email]]
    assert "22" not in mailoutbox[0].body  # no amounts in the mail
    assert "20 000" not in mailoutbox[0].body
    assert "Votre demande est en cours d'examen" in text(response)


@time_machine.travel(NOW)
def test_only_one_open_application_per_file(client, family):
    holder, _child = family
    CSSApplicationFactory(holder=holder)
    client.force_login(holder.user)
    response = client.post(
        URL, {"entries": entry_ids(holder), "annual_resources": "1000"}, follow=True
    )
    assert "Une demande est déjà en cours pour votre dossier." in text(response)
    assert CSSApplication.objects.filter(holder=holder).count() == 1


def test_the_database_refuses_a_second_open_application():
    application = CSSApplicationFactory()
    with pytest.raises(IntegrityError):
        CSSApplicationFactory(holder=application.holder)


@time_machine.travel(NOW)
def test_the_service_turns_the_constraint_into_a_domain_error(family):
    holder, _child = family
    CSSApplicationFactory(holder=holder)
    with pytest.raises(services.ApplicationAlreadyOpen):
        services.submit_application(
            holder=holder,
            entries=list(services.file_entries(holder)),
            annual_resources=Decimal("1000"),
            user=holder.user,
            language="fr",
            on=datetime.date(2025, 6, 15),
        )


@time_machine.travel(NOW)
def test_a_person_from_another_file_cannot_be_added(client, family):
    holder, _child = family
    stranger = InsuredPersonFactory()
    client.force_login(holder.user)
    other_entry = Beneficiary.objects.get(holder=stranger, rank=1)
    response = client.post(
        URL, {"entries": [*entry_ids(holder), str(other_entry.pk)], "annual_resources": "1000"}
    )
    assert "Cette personne n'est pas sur votre dossier." in text(response)
    assert not CSSApplication.objects.exists()


@time_machine.travel(NOW)
def test_the_holder_is_always_covered(client, family):
    holder, _child = family
    client.force_login(holder.user)
    child_entry = Beneficiary.objects.get(holder=holder, rank=2)
    response = client.post(URL, {"entries": [str(child_entry.pk)], "annual_resources": "1000"})
    assert "La demande couvre toujours l'assuré titulaire du dossier" in text(response)
    assert not CSSApplication.objects.exists()


@time_machine.travel(NOW)
def test_an_overseas_file_is_not_covered(client):
    holder = linked_holder(postcode="97400")
    client.force_login(holder.user)
    response = client.post(URL, {"entries": entry_ids(holder), "annual_resources": "1000"})
    assert "ne couvre pas encore les départements" in text(response)
    assert not CSSApplication.objects.exists()


@time_machine.travel(NOW)
def test_a_dependant_with_an_account_is_sent_to_the_holder(client, family):
    _holder, child = family
    child.user = UserFactory()
    child.save()
    client.force_login(child.user)
    body = text(client.get(URL))
    assert "La demande est faite par l'assuré titulaire du dossier" in body


@time_machine.travel(NOW)
def test_the_person_sees_only_their_own_applications(client, family):
    holder, _child = family
    other = CSSApplicationFactory(refusal_reason="Ressources trop élevées", status="refused")
    client.force_login(holder.user)
    body = text(client.get(URL))
    assert other.refusal_reason not in body


@time_machine.travel(NOW)
def test_a_granted_application_shows_its_period_and_participation(client, family):
    holder, _child = family
    application = services.build_demo_css(holder, on=datetime.date(2025, 6, 15))
    services.grant_application(application.pk, decided_by=holder.user, on=datetime.date(2025, 7, 1))
    client.force_login(holder.user)
    body = text(client.get(URL))
    assert "du 01/07/2025 au 01/07/2026 (exclu)" in body
    assert "22,00\u00a0€" in body
    # A new application may be filed once the previous one is decided.
    assert 'name="annual_resources"' in body


def test_the_demo_application_is_pending_with_a_participation_and_built_once(family):
    holder, _child = family
    application = services.build_demo_css(holder, on=datetime.date(2025, 6, 15))
    assert services.build_demo_css(holder, on=datetime.date(2025, 6, 15)) == application
    assert application.status == CSSApplication.Status.SUBMITTED
    assert application.outcome == "with_participation"
    assert application.annual_resources == Decimal("18222")  # (15 508 + 20 936) / 2
    assert application.members.count() == 2
