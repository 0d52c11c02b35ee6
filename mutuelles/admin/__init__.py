"""Back-office pages of the mutuelle link, one module per area (imported here to register them)."""

from mutuelles.admin import clients, contracts, webhooks  # noqa: F401
