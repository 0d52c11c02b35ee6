"""The language of the page being answered, kept for what outlives the request (a mail, a PDF)."""

from django.conf import settings
from django.utils.translation import get_language


def current_language() -> str:
    """The active language's code, one of settings.LANGUAGES ("fr", "en"); the default language
    when none is active or the active one is not offered."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
