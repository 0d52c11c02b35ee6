"""Back-office of affiliation, one module per area (Django imports this package)."""

from affiliation.admin import (  # noqa: F401
    account,
    css,
    documents,
    insured,
    requests,
)
