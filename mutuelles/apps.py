from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutuellesConfig(AppConfig):
    """The link with the complementary insurers: their contracts with insured persons, the
    routing of statements to them, their REST API and the push delivery (teletransmission)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mutuelles"
    verbose_name = _("Mutuelles et télétransmission")

    def ready(self) -> None:
        # drf-spectacular extensions register themselves when their class is defined.
        from mutuelles.api import schema  # noqa: F401
        from mutuelles.receivers import route_issued_statements
        from reimbursements.signals import statements_issued

        statements_issued.connect(route_issued_statements, dispatch_uid="mutuelles.routing")
