"""Staff decide CSS applications in the admin: a grant is an exemption on each person."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from affiliation.models import Beneficiary, CSSApplication, CSSApplicationMember, Exemption
from affiliation.services import css as services
from affiliation.services.records import attach_dependant
from cpam_portal.models import AccessLog
from tests.affiliation.factories_backoffice import (
    CSSApplicationFactory,
    counter_staff,
    dependant,
    linked_holder,
    staff_without_group,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 15, 10, tzinfo=datetime.UTC)
TODAY = datetime.date(2025, 6, 15)


def decide_url(application):
    return reverse("admin:affiliation_cssapplication_decide", args=[application.pk])


@pytest.fixture
def application():
    holder = linked_holder()
    child = dependant()
    attach_dependant(holder, child, Beneficiary.Relationship.CHILD, rights_from=TODAY)
    application = CSSApplicationFactory(
        holder=holder,
        outcome="with_participation",
        monthly_participation=Decimal("22.00"),
        household_size=2,
        annual_resources=Decimal("20000.00"),
    )
    application.members.update(monthly_participation=Decimal("14.00"))
    CSSApplicationMember.objects.create(
        application=application,
        person=child,
        rank=2,
        age_on_first_january=9,
        monthly_participation=Decimal("8.00"),
    )
    return application


@time_machine.travel(NOW)
def test_a_grant_puts_a_css_exemption_on_each_person_for_12_months(
    client, application, mailoutbox, django_capture_on_commit_callbacks
):
    staff = counter_staff()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(application), {"decision": "grant"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == CSSApplication.Status.GRANTED
    assert application.decided_by == staff
    assert (application.valid_from, application.valid_until) == (
        TODAY,
        datetime.date(2026, 6, 15),
    )
    exemptions = Exemption.objects.filter(ground=Exemption.Ground.CSS).order_by("note")
    assert {e.person for e in exemptions} == {m.person for m in application.members.all()}
    assert all(
        (e.valid_from, e.valid_until) == (TODAY, datetime.date(2026, 6, 15)) for e in exemptions
    )
    notes = sorted(e.note for e in exemptions)
    assert "participation 14.00 €/mois" in notes[0] and "total foyer 22.00" in notes[0]
    assert "participation 8.00 €/mois" in notes[1]
    assert [m.to for m in mailoutbox] == [[application.holder.user.email]]


@time_machine.travel(NOW)
def test_the_grant_and_its_exemptions_are_all_or_nothing(application, monkeypatch):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Exemption.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        services.grant_application(application.pk, decided_by=counter_staff(), on=TODAY)
    application.refresh_from_db()
    assert application.status == CSSApplication.Status.SUBMITTED
    assert not Exemption.objects.exists()


@time_machine.travel(NOW)
def test_a_refusal_needs_a_reason(
    client, application, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(counter_staff())
    response = client.post(decide_url(application), {"decision": "refuse", "refusal_reason": " "})
    assert response.status_code == 200
    assert "Indiquez le motif du refus." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            decide_url(application),
            {"decision": "refuse", "refusal_reason": "Ressources au-dessus du plafond"},
        )
    application.refresh_from_db()
    assert application.status == CSSApplication.Status.REFUSED
    assert application.refusal_reason == "Ressources au-dessus du plafond"
    assert not Exemption.objects.exists()
    assert len(mailoutbox) == 1
    assert "Ressources" not in mailoutbox[0].body


@time_machine.travel(NOW)
def test_a_decided_application_cannot_be_decided_again(client, application):
    services.grant_application(application.pk, decided_by=counter_staff(), on=TODAY)
    client.force_login(counter_staff())
    client.post(decide_url(application), {"decision": "refuse", "refusal_reason": "Non"})
    application.refresh_from_db()
    assert application.status == CSSApplication.Status.GRANTED
    assert Exemption.objects.count() == 2
    with pytest.raises(services.ApplicationNotOpen):
        services.refuse_application(application.pk, decided_by=counter_staff(), reason="Non")


@time_machine.travel(NOW)
def test_the_grant_action_of_the_list(client, application):
    other = CSSApplicationFactory()
    client.force_login(counter_staff())
    response = client.post(
        reverse("admin:affiliation_cssapplication_changelist"),
        {"action": "grant_selected", "_selected_action": [application.pk, other.pk]},
    )
    assert response.status_code == 302
    assert set(CSSApplication.objects.values_list("status", flat=True)) == {"granted"}
    assert Exemption.objects.count() == 3


@time_machine.travel(NOW)
def test_staff_without_the_permission_cannot_decide(client, application):
    client.force_login(staff_without_group())
    assert client.get(decide_url(application)).status_code == 403
    assert client.post(decide_url(application), {"decision": "grant"}).status_code == 403
    response = client.post(
        reverse("admin:affiliation_cssapplication_changelist"),
        {"action": "grant_selected", "_selected_action": [application.pk]},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == CSSApplication.Status.SUBMITTED
    assert not Exemption.objects.exists()


@time_machine.travel(NOW)
def test_the_decide_page_shows_the_computation_and_is_traced(client, application):
    staff = counter_staff()
    client.force_login(staff)
    response = client.get(decide_url(application))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Votre foyer compte 2 personnes." in body
    assert "Participation totale : 22,00\u00a0€ par mois." in body
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.insured_person_id, log.detail) == (
        staff,
        "view",
        application.holder_id,
        "decide",
    )


def test_applications_cannot_be_added_changed_or_deleted_in_the_admin(client, application):
    client.force_login(counter_staff())
    change_url = reverse("admin:affiliation_cssapplication_change", args=[application.pk])
    assert client.get(reverse("admin:affiliation_cssapplication_add")).status_code == 403
    assert client.post(change_url, {"status": "granted"}).status_code == 403
    delete_url = reverse("admin:affiliation_cssapplication_delete", args=[application.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    application.refresh_from_db()
    assert application.status == CSSApplication.Status.SUBMITTED


def test_the_applications_list_query_count_is_flat(client, django_assert_num_queries):
    client.force_login(counter_staff())
    url = reverse("admin:affiliation_cssapplication_changelist")
    CSSApplicationFactory()
    client.get(url)
    # 8 for the session, user, user sessions and second factor, 2 for permissions, the counts,
    # the page with its holders, and 3 to save the session.
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200
    CSSApplicationFactory.create_batch(4)
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200
