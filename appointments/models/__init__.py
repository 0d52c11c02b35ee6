"""Models of the app, one module per area (imported here so Django finds them)."""

from appointments.models.booking import (
    Booking,
    BookingStatus,
    Reason,
    SlotOffer,
    WaitingListEntry,
)
from appointments.models.schedule import Closure, OpeningHours, Service, ServiceKind, Slot

__all__ = [
    "Booking",
    "BookingStatus",
    "Closure",
    "OpeningHours",
    "Reason",
    "Service",
    "ServiceKind",
    "Slot",
    "SlotOffer",
    "WaitingListEntry",
]
