"""Back-office of affiliation, one module per area (Django imports this package)."""

from affiliation.admin import (
    insured,  # noqa: F401
    requests,  # noqa: F401
)
