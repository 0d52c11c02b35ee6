"""Back office of documents and cards: counter staff move card orders and revoke documents."""

import datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.groups import COUNTER_STAFF
from affiliation.models import CardOrder, IssuedDocument
from affiliation.models.documents import COUNTER_STAFF_PERMISSIONS
from affiliation.services import documents as services
from cpam_portal.models import AccessLog
from tests.accounts.factories import StaffFactory
from tests.affiliation.factories_documents import family_file, pdf_text

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
ORDERS = reverse("admin:affiliation_cardorder_changelist")
DOCUMENTS = reverse("admin:affiliation_issueddocument_changelist")


def staff(*groups):
    user = StaffFactory()
    TOTP.activate(user, generate_totp_secret())
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def counter(client):
    agent = staff(COUNTER_STAFF)
    client.force_login(agent)
    client.agent = agent
    return client


@pytest.fixture
def ceam_order():
    family = family_file()
    with time_machine.travel(NOW, tick=False):
        order, certificate = services.order_card(
            ordered_by=family.holder,
            person_id=family.spouse.pk,
            kind="ceam",
            reason="first",
            on=NOW.date(),
            now=NOW,
        )
    return order, certificate


def test_counter_staff_hold_exactly_the_documents_permissions():
    granted = set(
        Group.objects.get(name=COUNTER_STAFF)
        .permissions.filter(codename__in=COUNTER_STAFF_PERMISSIONS)
        .values_list("codename", flat=True)
    )
    assert granted == set(COUNTER_STAFF_PERMISSIONS)


def test_staff_outside_the_group_are_refused(client, ceam_order):
    client.force_login(staff())
    assert client.get(ORDERS).status_code == 403
    assert client.get(DOCUMENTS).status_code == 403
    _order, certificate = ceam_order
    url = reverse("admin:affiliation_issueddocument_pdf", args=[certificate.pk])
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.exists()


def test_counter_staff_see_orders_and_opening_one_is_traced(counter, ceam_order):
    order, _certificate = ceam_order
    assert counter.get(ORDERS).status_code == 200
    response = counter.get(reverse("admin:affiliation_cardorder_change", args=[order.pk]))
    assert response.status_code == 200
    trace = AccessLog.objects.get()
    assert (trace.user, trace.action, trace.object_type) == (
        counter.agent,
        "view",
        "affiliation.cardorder",
    )
    assert trace.insured_person_id == order.person_id


def test_nobody_adds_or_deletes_orders_by_hand(counter, ceam_order):
    order, _ = ceam_order
    assert counter.get(reverse("admin:affiliation_cardorder_add")).status_code == 403
    delete = reverse("admin:affiliation_cardorder_delete", args=[order.pk])
    assert counter.get(delete).status_code == 403


def act(client, url, action, *objects):
    return client.post(
        url, {"action": action, "_selected_action": [obj.pk for obj in objects]}, follow=True
    )


def test_producing_a_ceam_gives_it_two_years(counter, ceam_order):
    order, _ = ceam_order
    produced_at = NOW + datetime.timedelta(minutes=10)  # within the staff session
    with time_machine.travel(produced_at, tick=False):
        act(counter, ORDERS, "mark_produced", order)
    order.refresh_from_db()
    assert order.status == CardOrder.Status.PRODUCED and order.produced_at == produced_at
    assert (order.valid_from, order.valid_until) == (
        datetime.date(2026, 11, 23),
        datetime.date(2028, 11, 23),
    )
    with time_machine.travel(produced_at, tick=False):
        act(counter, ORDERS, "mark_sent", order)
    order.refresh_from_db()
    assert order.status == CardOrder.Status.SENT and order.sent_at is not None
    # Then the holder may order again (renewal), the order being closed.
    family_holder = order.ordered_by
    services.order_card(
        ordered_by=family_holder,
        person_id=order.person_id,
        kind="ceam",
        reason="renewal",
        on=NOW.date(),
        now=NOW,
    )


def test_an_order_cannot_skip_a_step(counter, ceam_order):
    order, _ = ceam_order
    response = act(counter, ORDERS, "mark_sent", order)
    order.refresh_from_db()
    assert order.status == CardOrder.Status.ORDERED
    assert "laissée(s) telle(s) quelle(s)" in response.content.decode()
    act(counter, ORDERS, "mark_cancelled", order)
    order.refresh_from_db()
    assert order.status == CardOrder.Status.CANCELLED and order.cancelled_at is not None


def test_counter_staff_revoke_a_document(counter, ceam_order):
    _order, certificate = ceam_order
    act(counter, DOCUMENTS, "revoke", certificate)
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_at is not None
    assert certificate.history.count() == 2  # issued, revoked


def test_downloading_a_pdf_from_the_back_office_is_traced(counter, ceam_order):
    _order, certificate = ceam_order
    response = counter.get(reverse("admin:affiliation_issueddocument_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    content = response.content
    assert "Certificat provisoire" in pdf_text(content)
    trace = AccessLog.objects.get(action="download")
    assert trace.object_type == "affiliation.issueddocument"
    assert trace.insured_person_id == certificate.holder_id


def test_the_document_page_shows_no_code(counter, ceam_order):
    _order, certificate = ceam_order
    response = counter.get(
        reverse("admin:affiliation_issueddocument_change", args=[certificate.pk])
    )
    assert response.status_code == 200
    assert certificate.code_digest not in response.content.decode()
    assert IssuedDocument.objects.filter(pk=certificate.pk).exists()
