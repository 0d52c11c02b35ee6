"""Back-office of affiliation, one module per area (Django imports this package)."""

from affiliation.admin import (
    documents,  # noqa: F401
    insured,  # noqa: F401
)
