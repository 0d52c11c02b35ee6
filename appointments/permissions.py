"""What the counter staff group ("Agents d'accueil", accounts.groups.COUNTER_STAFF) may do in
appointments: run the agenda (read bookings with their reason, mark attendance, block slots)
and keep the schedules (services, opening hours, closures).

The migration 0002_counter_staff_permissions grants a literal copy of this list (migrations do
not import app code); a test checks that they agree.
"""

from accounts.groups import COUNTER_STAFF

AGENDA_GROUP = COUNTER_STAFF

COUNTER_STAFF_PERMISSIONS = (
    "manage_agenda",
    "view_booking",
    "change_booking",
    "view_slot",
    "change_slot",
    "view_service",
    "add_service",
    "change_service",
    "view_openinghours",
    "add_openinghours",
    "change_openinghours",
    "delete_openinghours",
    "view_closure",
    "add_closure",
    "change_closure",
    "delete_closure",
    "view_waitinglistentry",
    "view_slotoffer",
)
