"""Back-office pages, one module per area (imported here so the admin registers them)."""

from reimbursements.admin import care_sheets, nomenclature, statements  # noqa: F401
