"""Back-office of affiliation, one module per area (Django imports this package)."""

from affiliation.admin import css, insured  # noqa: F401
