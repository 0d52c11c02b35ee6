"""Affiliation requests and generated documents (PDF, JPEG, PNG built in code, no fixtures)."""

import datetime
import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from affiliation.models import AffiliationRequest, RequestDocument
from affiliation.models.requests import new_reference
from affiliation.rules.requests import DocumentKind, Situation, Status
from tests.accounts.factories import UserFactory

BRAZIL = "99416"  # outside the EU: residence permit needed
ITALY = "99127"
FRANCE = "99100"


# --- Generated files ----------------------------------------------------------------------------


def pdf_bytes(pages: int = 1, *, password: str = "", javascript: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        # Document-level JavaScript: /Root /Names /JavaScript /Names [(name) action].
        action = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject(javascript),
                }
            )
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("init"), action])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_open_action() -> bytes:
    """A PDF whose OpenAction is a JavaScript action (run when the file opens)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("payload.exe", b"MZ\x90\x00 not really")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes(size=(64, 48), *, gps: bool = False, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        # GPS IFD (0x8825): latitude 48°51' N, the kind of thing a phone writes.
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
        exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes() if (gps or orientation) else b"")
    return out.getvalue()


def png_bytes(size=(32, 32), *, text: str = "") -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 255)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` (a decompression bomb's header)."""
    data = png_bytes((1, 1))
    ihdr_start = 8 + 8  # signature, then length + "IHDR"
    ihdr = bytearray(data[ihdr_start : ihdr_start + 13])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return data[:ihdr_start] + bytes(ihdr) + crc + data[ihdr_start + 17 :]


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims `width` x `height`."""
    data = bytearray(jpeg_bytes((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Requests -----------------------------------------------------------------------------------


class AffiliationRequestFactory(factory.django.DjangoModelFactory):
    """A Brazilian student born in Brazil, living in Paris, with a complete identity (draft)."""

    class Meta:
        model = AffiliationRequest

    reference = factory.LazyFunction(new_reference)
    applicant = factory.SubFactory(UserFactory)
    status = Status.DRAFT.value
    situation = Situation.STUDENT.value
    language = "fr"
    last_name = factory.Sequence(lambda n: f"Silva{n}")
    first_names = "Ana Clara"
    sex = "2"
    birth_date = datetime.date(2003, 4, 12)
    birth_country = BRAZIL
    birth_place = "São Paulo"
    nationality = BRAZIL
    address_line_1 = "5 rue des Écoles"
    postcode = "75005"
    city = "PARIS"
    phone = "06 12 34 56 78"
    email = factory.LazyAttribute(lambda r: r.applicant.email)


STUDENT_ABROAD_KINDS = [
    DocumentKind.IDENTITY,
    DocumentKind.RESIDENCE_PERMIT,
    DocumentKind.BIRTH_CERTIFICATE,
    DocumentKind.PROOF_OF_ADDRESS,
    DocumentKind.BANK_DETAILS,
    DocumentKind.ENROLMENT_CERTIFICATE,
]


def add_documents(request: AffiliationRequest, kinds=None) -> list[RequestDocument]:
    """Documents through the real service (stored in the test's private folder)."""
    from affiliation.services.requests import add_document
    from cpam_portal.uploads import check_upload

    documents = []
    for kind in kinds if kinds is not None else request_kinds(request):
        checked = check_upload(upload(f"{kind}.pdf", pdf_bytes()))
        documents.append(add_document(request, kind, checked, by=request.applicant))
    return documents


def request_kinds(request: AffiliationRequest) -> list[str]:
    return [item.kind for item in request.checklist() if item.is_required]


def submitted_request(**kwargs) -> AffiliationRequest:
    """A complete request, sent through the service (with its event)."""
    from affiliation.services.requests import submit_request

    request = AffiliationRequestFactory(**kwargs)
    add_documents(request)
    submit_request(request.pk, request.applicant, on=datetime.date(2026, 3, 2))
    request.refresh_from_db()
    return request
