"""The iCalendar invitation attached to booking mails (RFC 5545 / iTIP RFC 5546).

One UID per booking for its whole life; SEQUENCE rises with each change so calendar apps replace
the event (METHOD:REQUEST) or remove it (METHOD:CANCEL). Times are written in UTC ("Z"), which
every client converts to its own zone; the office's local time is in the mail text.
The event carries no reason or health detail: only the service, the office and the time.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//CPAM portal//Rendez-vous//FR"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass(frozen=True)
class Invitation:
    uid: str
    sequence: int
    method: str  # REQUEST or CANCEL
    starts_at: datetime  # aware
    ends_at: datetime
    summary: str
    location: str
    description: str
    organizer_name: str
    organizer_email: str
    attendee_email: str
    stamp: datetime  # when the message is written


def build_ics(invitation: Invitation) -> str:
    """The calendar text (CRLF line endings) of one request or cancellation."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", invitation.method)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", invitation.stamp.astimezone(UTC))
    event.add("dtstart", invitation.starts_at.astimezone(UTC))
    event.add("dtend", invitation.ends_at.astimezone(UTC))
    event.add("summary", invitation.summary)
    event.add("location", invitation.location)
    event.add("description", invitation.description)
    event.add("status", "CANCELLED" if invitation.method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{invitation.organizer_email}")
    organizer.params["cn"] = vText(invitation.organizer_name)
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{invitation.attendee_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if invitation.method == CANCEL else "ACCEPTED")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical().decode()
