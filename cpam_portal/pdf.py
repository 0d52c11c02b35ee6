"""PDF documents from our own Django templates, rendered by WeasyPrint with a locked fetcher.

WeasyPrint's default fetcher reads `file://` URLs and the network (WeasyPrint documentation,
"First steps", "Security"; docs/reliability.md#pdf-rendering). Ours serves only files of our
static folders, found on disk through the staticfiles finders (or the collected STATIC_ROOT in
production), and refuses everything else: `file:`, `http(s):` to any other path or host,
`data:`, `ftp:`... Templates are Django templates with autoescaping on, so text a person typed
never becomes markup. Fonts come from the system (DejaVu on Debian) through fontconfig, never
from a URL.

Usage: `render_pdf("affiliation/pdf/attestation.html", context)` returns the PDF's bytes.
"""

import logging
import mimetypes
import posixpath
from io import BytesIO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from PIL import ImageFile

# WeasyPrint reports every step of every rendering at INFO: keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# Importing WeasyPrint switches Pillow's process-wide LOAD_TRUNCATED_IMAGES on
# (weasyprint/images.py). Our PDFs embed only our own files; uploads must keep refusing
# truncated images (cpam_portal.uploads), so the switch goes back off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

logger = logging.getLogger(__name__)

# Relative URLs in PDF templates ({% static %} gives "/static/...") resolve against this base.
# It is never fetched: the fetcher below maps the static part of it to files on disk.
PDF_BASE_URL = "https://pdf.invalid/"


class RefusedFetch(ValueError):
    """A PDF template (or something injected into one) asked for a URL we do not serve."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serve `https://pdf.invalid/<STATIC_URL>...` from our static files; refuse the rest.

    `served` and `refused` list what was asked, so tests can count that nothing leaked out.
    WeasyPrint catches the RefusedFetch we raise and renders without the resource.
    """

    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []
        self.static_prefix = PDF_BASE_URL + settings.STATIC_URL.lstrip("/")

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        file_path = self.find(path) if path is not None else None
        if file_path is None:
            self.refused.append(url)
            # The URL may carry what a person typed: log its scheme only.
            logger.warning("PDF fetch refused", extra={"scheme": urlsplit(url).scheme[:10]})
            raise RefusedFetch("only our static files are served to PDF templates")
        self.served.append(url)
        with open(file_path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(file_path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    def open(self, url, data=None, timeout=None):  # the OpenerDirector way in: same gate
        return self.fetch(url if isinstance(url, str) else url.full_url)

    def static_path(self, url: str) -> str | None:
        """The relative static path in `url`, or None if it is not one of ours."""
        if not url.startswith(self.static_prefix):
            return None
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            return None
        relative = unquote(url[len(self.static_prefix) :])
        normalised = posixpath.normpath(relative)
        if (
            not relative
            or normalised != relative
            or normalised.startswith(("/", ".."))
            or "\\" in relative
            or "\x00" in relative
        ):
            return None
        return relative

    @staticmethod
    def find(path: str) -> str | None:
        found = finders.find(path)
        if found:
            return found
        if settings.STATIC_ROOT and staticfiles_storage.exists(path):
            return staticfiles_storage.path(path)  # collected (and hashed) files in production
        return None


def render_pdf(
    template_name: str,
    context: dict,
    *,
    url_fetcher: StaticOnlyURLFetcher | None = None,
) -> bytes:
    """Render `template_name` (a full HTML document, autoescaped) to PDF bytes."""
    html = render_to_string(template_name, context)
    fetcher = url_fetcher or StaticOnlyURLFetcher()
    output = BytesIO()
    HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf(output)
    return output.getvalue()
