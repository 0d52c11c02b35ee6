from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutuellesConfig(AppConfig):
    """Teletransmission to the complementary insurers and their REST API (issue 5)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mutuelles"
    verbose_name = _("Mutuelles et télétransmission")

    def ready(self) -> None:
        # drf-spectacular extensions register themselves when their class is defined.
        from mutuelles.api import schema  # noqa: F401
