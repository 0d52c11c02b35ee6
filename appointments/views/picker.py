"""The slot picker: a week of a service's slots, grouped by day, in the office's local time.

Plain HTML radio buttons in one fieldset per day (the day is the legend's heading): usable with
the keyboard and a screen reader, and without JavaScript. A week at a time keeps the page short;
links move to the previous or next week within the booking horizon.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from appointments.forms.booking import slot_value
from appointments.models import Service
from appointments.services.schedule import SlotChoice, available_slots

DAYS_SHOWN = 7
PARIS = "Europe/Paris"
# How the pages name the time zones of the directory's funds (directory/data/departements.csv).
TIME_ZONE_NAMES = {
    "America/Guadeloupe": _("heure de la Guadeloupe"),
    "America/Martinique": _("heure de la Martinique"),
    "America/Cayenne": _("heure de la Guyane"),
    "Indian/Reunion": _("heure de La Réunion"),
    "Indian/Mayotte": _("heure de Mayotte"),
}


def time_zone_label(time_zone: str) -> str:
    """ "" for Paris (the pages say nothing); otherwise the zone people know ("heure de …")."""
    if time_zone == PARIS:
        return ""
    return str(TIME_ZONE_NAMES.get(time_zone, time_zone))


@dataclass(frozen=True)
class PickerSlot:
    value: str  # the radio's value: the UTC start
    label: str  # "08:30 – 09:00", office time
    is_available: bool
    is_checked: bool


@dataclass
class PickerDay:
    day: date
    label: str  # "lundi 30 novembre 2026"
    slots: list[PickerSlot] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"day-{self.day:%Y%m%d}"


@dataclass(frozen=True)
class Picker:
    days: list[PickerDay]
    time_zone_label: str
    previous_week: date | None
    next_week: date | None
    has_any_available: bool  # anywhere within the horizon, not only this week
    first_day: date
    last_day: date


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def time_range(choice: SlotChoice) -> str:
    start = formats.time_format(choice.local_starts_at, "H:i")
    end = formats.time_format(choice.local_ends_at, "H:i")
    return f"{start} – {end}"


def build_picker(
    service: Service,
    *,
    now: datetime,
    week_start: date | None,
    selected: datetime | None = None,
    exclude: datetime | None = None,
) -> Picker:
    """The week of slots starting at `week_start` (by default, the first day with a free seat).

    `exclude`: a start not to offer (the booking being moved). Costs the schedule's three
    queries whatever the number of slots.
    """
    zone = ZoneInfo(service.time_zone)
    today = now.astimezone(zone).date()
    horizon_end = (now + timedelta(days=service.horizon_days)).astimezone(zone).date()
    choices = [
        choice
        for choice in available_slots(service, first_day=today, last_day=horizon_end, now=now)
        if choice.starts_at != exclude
    ]
    free = [choice for choice in choices if choice.is_available]
    if week_start is None or not today <= week_start <= horizon_end:
        week_start = free[0].local_starts_at.date() if free else today
    if selected is not None:  # a form sent back with errors shows the week of its slot
        chosen = selected.astimezone(zone).date()
        in_week = week_start <= chosen < week_start + timedelta(days=DAYS_SHOWN)
        if today <= chosen <= horizon_end and not in_week:
            week_start = chosen
    week_end = week_start + timedelta(days=DAYS_SHOWN - 1)
    days: dict[date, PickerDay] = {}
    for choice in choices:
        day = choice.local_starts_at.date()
        if not week_start <= day <= week_end:
            continue
        if day not in days:
            days[day] = PickerDay(day, formats.date_format(day, "l j F Y"))
        days[day].slots.append(
            PickerSlot(
                slot_value(choice.starts_at),
                time_range(choice),
                choice.is_available,
                selected is not None and choice.starts_at == selected,
            )
        )
    previous_week = week_start - timedelta(days=DAYS_SHOWN) if week_start > today else None
    if previous_week is not None and previous_week < today:
        previous_week = today
    next_week = week_end + timedelta(days=1)
    if next_week > horizon_end:
        next_week = None
    return Picker(
        days=[days[day] for day in sorted(days)],
        time_zone_label=time_zone_label(service.time_zone),
        previous_week=previous_week,
        next_week=next_week,
        has_any_available=bool(free),
        first_day=week_start,
        last_day=week_end,
    )
