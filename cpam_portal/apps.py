from django.apps import AppConfig


class CpamPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cpam_portal"
    verbose_name = "cpam-portal"
