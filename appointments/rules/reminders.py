"""When the reminder of a booking is due: the day before, from REMINDER_LOCAL_HOUR local time."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from appointments.rules.booking import REMINDER_LOCAL_HOUR


def reminder_due_at(starts_at: datetime, time_zone: str) -> datetime:
    """The instant from which the reminder may go: 09:00 office time the day before the start."""
    zone = ZoneInfo(time_zone)
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day_before, time(REMINDER_LOCAL_HOUR), tzinfo=zone)
