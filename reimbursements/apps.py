from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReimbursementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reimbursements"
    verbose_name = _("Remboursements de soins")
