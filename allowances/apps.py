from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllowancesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "allowances"
    verbose_name = _("Indemnités journalières")
