"""The language kept for mails and documents is one the portal offers."""

import pytest
from django.utils import translation

from cpam_portal.languages import current_language


@pytest.mark.parametrize(
    ("active", "kept"), [("fr", "fr"), ("en", "en"), ("en-gb", "en"), ("de", "fr")]
)
def test_the_active_language_is_kept_when_offered(active, kept):
    with translation.override(active):
        assert current_language() == kept


def test_without_an_active_language_the_default_one_is_kept():
    with translation.override(None):
        assert current_language() == "fr"
