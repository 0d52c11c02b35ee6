"""The ICS invitations read back with icalendar: one UID for life, SEQUENCE up, METHOD right."""

from datetime import timedelta

import pytest
import time_machine
from icalendar import Calendar

from appointments.models import ServiceKind
from appointments.services.booking import cancel_booking, reschedule_booking
from tests.appointments.factories import book_at, open_service, utc
from tests.appointments.invitations import invitation_of

pytestmark = pytest.mark.django_db

MONDAY_10 = utc(2027, 3, 1, 9)
NOW = utc(2027, 2, 20, 12)


def event_of(message):
    invitation = invitation_of(message)
    calendar = Calendar.from_ical(invitation.content)
    [event] = calendar.walk("VEVENT")
    return calendar, event, invitation


def test_confirmation_update_and_cancellation_share_the_uid_with_rising_sequence(
    mailoutbox, django_capture_on_commit_callbacks
):
    service = open_service("75")
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_at(service, MONDAY_10, now=NOW, reason_detail="Diabète de type 2")
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        reschedule_booking(booking, MONDAY_10 + timedelta(days=1), now=NOW)
        cancel_booking(booking, now=NOW)
    assert len(mailoutbox) == 3
    (cal1, ev1, part1), (cal2, ev2, part2), (cal3, ev3, part3) = map(event_of, mailoutbox)
    assert [str(c["METHOD"]) for c in (cal1, cal2, cal3)] == ["REQUEST", "REQUEST", "CANCEL"]
    # The iTIP method is also in the part's Content-Type (RFC 6047), where mail clients look.
    assert [p.method for p in (part1, part2, part3)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {p.content_type for p in (part1, part2, part3)} == {"text/calendar"}
    assert {p.filename for p in (part1, part2, part3)} == {"rendez-vous.ics"}
    uid = str(ev1["UID"])
    assert uid.startswith(str(booking.ics_uid))
    assert str(ev2["UID"]) == str(ev3["UID"]) == uid
    assert [int(e["SEQUENCE"]) for e in (ev1, ev2, ev3)] == [0, 1, 2]
    # DTSTART in UTC: 10:00 Paris is 09:00Z.
    assert ev1.decoded("DTSTART") == MONDAY_10
    assert ev1.decoded("DTSTART").utcoffset() == timedelta(0)
    assert "DTSTART:20270301T090000Z" in part1.content
    assert ev2.decoded("DTSTART") == MONDAY_10 + timedelta(days=1)
    assert ev1.decoded("DTEND") == MONDAY_10 + timedelta(minutes=30)
    assert str(ev3["STATUS"]) == "CANCELLED"
    assert service.office.city in str(ev1["LOCATION"])
    for message in mailoutbox:
        assert "Diabète" not in message.body and "Diabète" not in invitation_of(message).content


def test_a_call_back_invitation_says_a_counsellor_will_call(
    mailoutbox, django_capture_on_commit_callbacks
):
    service = open_service("974", kind=ServiceKind.PHONE_CALLBACK)
    start = utc(2027, 3, 1, 6)  # 10:00 in La Réunion
    with django_capture_on_commit_callbacks(execute=True):
        book_at(service, start, callback_phone="0692 12 34 56")
    _calendar, event, _type = event_of(mailoutbox[0])
    assert event.decoded("DTSTART") == start
    assert "conseiller vous appellera" in str(event["DESCRIPTION"])
    assert "692" not in mailoutbox[0].body  # the number is not repeated in the mail
    assert "de 10:00 à 10:30 (heure locale, Indian/Reunion)" in mailoutbox[0].body
