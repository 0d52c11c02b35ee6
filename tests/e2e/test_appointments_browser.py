"""An insured person finds an office, books a phone call-back with the keyboard-usable slot
picker, receives the confirmation with its calendar invitation, then cancels the booking and
receives the cancellation (same UID, METHOD:CANCEL).

Headless Chromium against a live server, at the real time of day: the office is open every day
so there is always a slot to pick. The `page` fixture fails on any console error (CSP).
"""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from appointments.models import Booking, BookingStatus
from tests.appointments.factories import ServiceFactory, fund_of
from tests.appointments.factories_ui import linked_person
from tests.appointments.invitations import invitation_of
from tests.browser import log_in
from tests.conftest import wait_for
from tests.directory.factories import OfficeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def lyon_call_backs():
    office = OfficeFactory(
        fund=fund_of("69"), address_line_1="276, cours Émile Zola", postcode="69100", city="LYON"
    )
    service = ServiceFactory(
        office=office, kind="phone_callback", minimum_notice_hours=3, horizon_days=14
    )
    for weekday in range(7):
        service.opening_hours.create(weekday=weekday, starts_at=time(0), ends_at=time(23, 30))
    return service


def test_book_a_phone_call_back_receive_the_mail_then_cancel(page, mailoutbox):
    service = lyon_call_backs()
    person = linked_person(phone="04 72 00 00 00")
    log_in(page, person.user.email)

    page.goto("/rendez-vous/")
    expect(page.locator("h1")).to_have_text("Mes rendez-vous")
    page.get_by_role("link", name="Prendre rendez-vous").first.click()
    page.get_by_label("Code postal, ville ou département").fill("69100")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("Rappel téléphonique par un conseiller")).click()
    expect(page.locator("h1")).to_contain_text("Prendre rendez-vous")

    # The first free slot, chosen with the keyboard: focus it, then Space checks the radio.
    first_free = page.locator('input[name="starts_at"]:not([disabled])').first
    first_free.focus()
    page.keyboard.press("Space")
    expect(first_free).to_be_checked()
    day_heading = page.locator("fieldset.appointments-day legend h3").first
    expect(day_heading).to_be_visible()

    page.get_by_label("Motif du rendez-vous").select_option(label="remboursement de soins")
    page.get_by_label("Précisions pour le conseiller").fill("Une feuille de soins de mars")
    expect(page.get_by_label("Numéro à rappeler")).to_have_value("04 72 00 00 00")
    page.get_by_label("Numéro à rappeler").fill("06 11 22 33 44")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()

    expect(page.locator("h1")).to_have_text("Votre rendez-vous est confirmé")
    expect(page.get_by_text("+33611223344")).to_be_visible()
    booking = Booking.objects.get(person=person)
    assert booking.service == service
    assert booking.reason_detail == "Une feuille de soins de mars"

    confirmation = wait_for(
        lambda: next((m for m in mailoutbox if "rendez-vous est confirmé" in m.subject), None),
        message="the confirmation e-mail",
    )
    assert confirmation.to == [person.user.email]
    invitation = invitation_of(confirmation)
    assert (invitation.filename, invitation.method) == ("rendez-vous.ics", "REQUEST")
    ics = invitation.content
    assert "METHOD:REQUEST" in ics
    assert f"UID:{booking.ics_uid}" in ics or str(booking.ics_uid) in ics
    assert "feuille de soins" not in confirmation.body + ics  # the reason never leaves the portal

    page.get_by_role("link", name="Annuler ce rendez-vous").click()
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.locator("h1")).to_have_text("Mes rendez-vous")
    expect(page.get_by_text("Votre rendez-vous est annulé.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED

    cancellation = wait_for(
        lambda: next(
            (m for m in mailoutbox if m.attachments and invitation_of(m).method == "CANCEL"), None
        ),
        message="the cancellation e-mail",
    )
    cancel_ics = invitation_of(cancellation).content
    assert str(booking.ics_uid) in cancel_ics
    assert "SEQUENCE:1" in cancel_ics
