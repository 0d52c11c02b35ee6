"""Back-office pages of the mutuelle API, one module per area (imported here to register them)."""

from mutuelles.admin import webhooks  # noqa: F401
