"""Back-office pages of the mutuelle API, one module per area (imported here to register them)."""

from mutuelles.admin import clients, webhooks  # noqa: F401
