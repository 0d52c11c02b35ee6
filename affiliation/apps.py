from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffiliationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "affiliation"
    verbose_name = _("Affiliation et droits")
