"""Reading the ICS invitation back out of a sent booking mail (the outbox attaches it as a MIME
part, whose Content-Type carries the iTIP method)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SentInvitation:
    filename: str
    content: str
    content_type: str
    method: str


def invitation_of(message) -> SentInvitation:
    """The one calendar attachment of a message from `mailoutbox`."""
    [part] = [part for part in message.message().walk() if part.get_filename()]
    return SentInvitation(
        filename=part.get_filename(),
        content=part.get_payload(decode=True).decode(part.get_content_charset()),
        content_type=part.get_content_type(),
        method=part.get_param("method"),
    )
