"""Back-office pages, one module per area (imported here so the admin registers them)."""

from reimbursements.admin import nomenclature  # noqa: F401
