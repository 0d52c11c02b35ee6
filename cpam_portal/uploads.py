"""Checking a supporting document before anything is stored (ASVS V5 file handling).

What is accepted: PDF, JPEG or PNG, 10 MB at most, recognised by their content (libmagic on
the bytes), then opened by the library that reads them:
- a PDF must open with pypdf, not be encrypted, have at most MAX_PDF_PAGES pages, and carry no
  active content (JavaScript, launch/submit/import actions, an OpenAction that is an action
  rather than "open at this page", additional actions, embedded files, rich media);
- an image must be verified by Pillow, have at most MAX_IMAGE_PIXELS pixels (checked on its
  header, before decoding: a decompression bomb is refused unread), and is re-encoded, which
  drops its metadata (EXIF with GPS position, comments, XMP) after applying its orientation.
The file name's extension must agree with the content (.pdf; .jpg/.jpeg; .png). The name is
kept only for display, cleaned of directories, control and bidirectional characters and cut to
MAX_NAME_LENGTH; the stored file gets a generated name.
Each refusal raises UploadRejected with its own translated message and code.

A checked upload is stored in the private storage by `atomic_with_uploads`, which deletes it
again when the transaction that records it fails.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

MAX_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 100
# A 12-megapixel phone photo is 12 M pixels; an A4 page scanned at 600 dpi is 35 M. Pillow's own
# limit (89 M, error at twice that) is higher than anything a document needs.
MAX_IMAGE_PIXELS = 40_000_000
MAX_NAME_LENGTH = 100
# Bounds on the walk of a PDF's objects looking for active content.
MAX_PDF_OBJECTS = 50_000

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
PILLOW_FORMATS = {JPEG: {"JPEG", "MPO"}, PNG: {"PNG"}}  # MPO: multi-picture JPEG from phones

MESSAGES = {
    "empty": _("Le fichier est vide."),
    "too_large": _("Le fichier dépasse la taille maximale de %(max)s."),
    "type": _(
        "Ce type de fichier n'est pas accepté : envoyez un PDF, une photo JPEG ou une image PNG."
    ),
    "extension": _(
        "Le nom du fichier ne correspond pas à son contenu : un fichier %(kind)s doit se "
        "terminer par %(extensions)s."
    ),
    "pdf_unreadable": _("Ce PDF est endommagé ou illisible : enregistrez-le à nouveau."),
    "pdf_encrypted": _(
        "Ce PDF est protégé par un mot de passe ou chiffré : envoyez une version non protégée."
    ),
    "pdf_pages": _("Ce PDF a trop de pages (%(max)s au plus)."),
    "pdf_active": _(
        "Ce PDF contient du code ou des actions automatiques (JavaScript, lancement…) : "
        "imprimez-le en PDF ou scannez le document."
    ),
    "pdf_embedded": _("Ce PDF contient des fichiers joints : envoyez chaque document à part."),
    "image_unreadable": _("Cette image est endommagée ou illisible."),
    "image_dimensions": _(
        "Cette image est trop grande (%(max)s millions de pixels au plus) : réduisez sa définition."
    ),
}
KIND_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}


class UploadRejected(ValidationError):
    pass


def rejected(code: str, **params: object) -> UploadRejected:
    if code == "pdf_pages":
        params = {"max": MAX_PDF_PAGES, **params}
    return UploadRejected(MESSAGES[code], code=f"upload_{code}", params=params or None)


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes  # what is stored: the PDF as sent, an image re-encoded without metadata
    content_type: str
    extension: str  # ".pdf", ".jpg", ".png": the stored file's extension
    display_name: str
    size: int
    sha256: str


# --- File names -------------------------------------------------------------------------------

NAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str) -> str:
    """The name to show: no directory, no control or bidi/format character, at most 100 chars.

    "../../etc/passwd" -> "passwd"; "facture\u202efdp.exe" -> "facturefdp.exe".
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: control (NUL…), Cf: format (RTL override U+202E, zero-width joiners…).
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = NAME_FORBIDDEN.sub("", name).strip().strip(".")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 5:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or "document"


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot else ""


# --- PDF ----------------------------------------------------------------------------------------

ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/RichMedia"}
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/ResetForm",
    "/Rendition",
    "/Sound",
    "/Movie",
    "/RichMediaExecute",
    "/GoToE",
}
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile"}


def pdf_content_problem(reader: PdfReader) -> str | None:
    """'pdf_active', 'pdf_embedded' or None, from a bounded walk of every reachable object."""
    root = reader.trailer["/Root"]  # pypdf resolves an indirect reference on reading
    open_action = root.get("/OpenAction") if isinstance(root, DictionaryObject) else None
    if open_action is not None:
        resolved = open_action.get_object()
        # An array is a destination ("open at page 1, fit"), common and harmless; a dictionary
        # is an action run when the file opens.
        if isinstance(resolved, DictionaryObject):
            return "pdf_active"
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject | None] = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return "pdf_unreadable"
        if isinstance(node, DictionaryObject):
            keys = set(node.keys())
            if keys & EMBEDDED_KEYS or node.get("/Type") == "/EmbeddedFile":
                return "pdf_embedded"
            if keys & ACTIVE_KEYS or node.get("/S") in ACTIVE_ACTIONS:
                return "pdf_active"
            stack.extend(value for name, value in node.items() if name not in ("/Parent", "/P"))
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def check_pdf(content: bytes) -> None:
    # pypdf reports what it repairs in a damaged file as warnings: the checks below decide.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problem = pdf_problem(content)
    if problem:
        raise rejected(problem)


def pdf_problem(content: bytes) -> str | None:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return "pdf_encrypted"
        page_count = len(reader.pages)
        if page_count == 0:
            return "pdf_unreadable"
        if page_count > MAX_PDF_PAGES:
            return "pdf_pages"
        return pdf_content_problem(reader)
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
    ):
        return "pdf_unreadable"


# --- Images -------------------------------------------------------------------------------------


def sanitised_image(content: bytes, content_type: str) -> bytes:
    """The image verified, turned upright and re-encoded without any metadata."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format not in PILLOW_FORMATS[content_type]:
                    raise rejected("type")
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise rejected("image_dimensions", max=MAX_IMAGE_PIXELS // 1_000_000)
                probe.verify()
            with Image.open(io.BytesIO(content)) as image:
                # A truncated image must fail here whatever another library set globally.
                ImageFile.LOAD_TRUNCATED_IMAGES = False
                image.load()
                upright = ImageOps.exif_transpose(image)
                return encoded_without_metadata(upright, content_type)
        except UploadRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            # Pillow refuses the header itself when it claims far more than its own limit.
            raise rejected("image_dimensions", max=MAX_IMAGE_PIXELS // 1_000_000) from error
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
        ) as error:
            raise rejected("image_unreadable") from error


def encoded_without_metadata(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # No exif=, no comment=, no icc_profile=: Pillow writes none of them.
        image.save(out, format="JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)  # no pnginfo=, no exif=: no text chunks
    return out.getvalue()


# --- Entry point --------------------------------------------------------------------------------


def check_upload(uploaded: UploadedFile) -> CheckedUpload:
    """The document as it will be stored, or UploadRejected with the reason."""
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise rejected("too_large", max=filesizeformat(MAX_BYTES))
    uploaded.seek(0)
    content = uploaded.read(MAX_BYTES + 1)
    if not content:
        raise rejected("empty")
    if len(content) > MAX_BYTES:
        raise rejected("too_large", max=filesizeformat(MAX_BYTES))
    content_type = magic.from_buffer(content[:65536], mime=True)
    if content_type not in EXTENSIONS:
        raise rejected("type")
    name = display_name(uploaded.name or "")
    if extension_of(name) not in EXTENSIONS[content_type]:
        raise rejected(
            "extension",
            kind=KIND_LABELS[content_type],
            extensions=", ".join(EXTENSIONS[content_type]),
        )
    if content_type == PDF:
        check_pdf(content)
        stored = content
    else:
        stored = sanitised_image(content, content_type)
    return CheckedUpload(
        content=stored,
        content_type=content_type,
        extension=EXTENSIONS[content_type][0],
        display_name=name,
        size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
    )


# --- Storing ------------------------------------------------------------------------------------


@contextmanager
def atomic_with_uploads() -> Iterator[Callable[[str, CheckedUpload], str]]:
    """A `transaction.atomic()` block that gives `store_upload(folder, checked)`.

    `store_upload` saves a checked upload in the private storage as
    "<folder>/<random name><extension>" and returns that name, for the row that records it. If
    the block ends in an exception (the transaction is rolled back), every file it stored is
    deleted again. Django has no rollback hook ("Why no rollback hook?" in its transactions
    documentation) and the file must exist before the row naming it is committed: the block
    stands for the hook. A file stored in a block nested in an outer transaction that is rolled
    back later stays.
    """
    storage = storages["private"]
    stored: list[str] = []

    def store_upload(folder: str, checked: CheckedUpload) -> str:
        name = f"{folder}/{uuid.uuid4().hex}{checked.extension}"
        stored.append(storage.save(name, ContentFile(checked.content)))
        return stored[-1]

    try:
        with transaction.atomic():
            yield store_upload
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
