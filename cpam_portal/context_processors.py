from django.conf import settings


def site(request):
    """What every page's shell shows: the portal's name and the national phone number.

    Read from settings, not from django-dsfr's DsfrConfig table, so a page costs no query for it.
    """
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "NATIONAL_PHONE": settings.NATIONAL_PHONE,
        "SITE_CONFIG": {"site_title": settings.PORTAL_NAME},
    }
