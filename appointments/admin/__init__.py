"""Back-office pages, one module per area (imported here so the admin registers them)."""

from appointments.admin import agenda, schedule  # noqa: F401
