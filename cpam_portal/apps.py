from django.apps import AppConfig


class CpamPortalConfig(AppConfig):
    name = "cpam_portal"
    verbose_name = "cpam-portal"
