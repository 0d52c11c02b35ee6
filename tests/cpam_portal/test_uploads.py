"""Supporting documents are checked by content; each refusal has its own message."""

import io

import pytest
from django.core.files.storage import storages
from PIL import Image

from cpam_portal import uploads
from cpam_portal.uploads import UploadRejected, check_upload, display_name
from tests.affiliation.factories_requests import (
    ELF_HEADER,
    HTML_PAGE,
    jpeg_bytes,
    jpeg_claiming,
    pdf_bytes,
    pdf_with_attachment,
    pdf_with_open_action,
    png_bytes,
    png_claiming,
    upload,
)

GPS_IFD = 0x8825


def rejection(name: str, content: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        check_upload(upload(name, content))
    return caught.value.code


# --- Accepted -----------------------------------------------------------------------------------


def test_a_pdf_is_accepted_as_sent():
    content = pdf_bytes(pages=3)
    checked = check_upload(upload("attestation.pdf", content))
    assert checked.content == content
    assert (checked.content_type, checked.extension) == ("application/pdf", ".pdf")
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize("name", ["photo.jpg", "PHOTO.JPEG"])
def test_a_jpeg_is_accepted_with_either_extension(name):
    checked = check_upload(upload(name, jpeg_bytes(), "image/jpeg"))
    assert (checked.content_type, checked.extension) == ("image/jpeg", ".jpg")


def test_gps_position_and_camera_are_stripped_from_a_photo():
    original = jpeg_bytes(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()  # the sample does carry it

    checked = check_upload(upload("passeport.jpg", original, "image/jpeg"))

    stored = Image.open(io.BytesIO(checked.content))
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in checked.content
    assert stored.size == (64, 48)


def test_a_rotated_photo_is_turned_upright_before_its_metadata_goes():
    # Orientation 6: the camera was turned, viewers rotate by 90°. Without EXIF the stored
    # image must already be upright: 48 x 64.
    checked = check_upload(upload("rib.jpg", jpeg_bytes((64, 48), orientation=6), "image/jpeg"))
    stored = Image.open(io.BytesIO(checked.content))
    assert stored.size == (48, 64)
    assert dict(stored.getexif()) == {}


def test_text_chunks_are_stripped_from_a_png():
    checked = check_upload(upload("scan.png", png_bytes(text="secret note"), "image/png"))
    assert b"secret note" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).format == "PNG"


def test_a_pdf_that_opens_at_its_first_page_is_not_active_content():
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    out = io.BytesIO()
    writer.write(out)
    assert check_upload(upload("ok.pdf", out.getvalue())).content_type == "application/pdf"


# --- Refused ------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert rejection("vide.pdf", b"") == "upload_empty"


def test_a_file_over_10_mb_is_refused_without_being_read():
    big = upload("gros.pdf", b"%PDF-1.7\n" + b"0" * (uploads.MAX_BYTES + 1))
    with pytest.raises(UploadRejected) as caught:
        check_upload(big)
    assert caught.value.code == "upload_too_large"
    assert "10" in caught.value.messages[0]


def test_a_file_of_exactly_10_mb_is_not_refused_for_its_size():
    content = pdf_bytes()
    padded = content + b"\n" * (uploads.MAX_BYTES - len(content))  # trailing whitespace
    assert len(padded) == uploads.MAX_BYTES
    assert check_upload(upload("juste.pdf", padded)).size == uploads.MAX_BYTES


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("facture.pdf", HTML_PAGE),  # HTML renamed .pdf
        ("photo.jpg", ELF_HEADER),  # an executable renamed .jpg
        ("image.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),  # GIF: not accepted
        ("dessin.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
        ("texte.pdf", b"Just some text, not a PDF at all.\n"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 100),  # zip / docx
    ],
)
def test_content_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(name, content):
    assert rejection(name, content) == "upload_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.pdf", jpeg_bytes()),  # a JPEG named .pdf
        ("document.jpg", pdf_bytes()),  # a PDF named .jpg
        ("scan.jpg", png_bytes()),
        ("document", pdf_bytes()),  # no extension
        ("document.pdf.exe", pdf_bytes()),  # double extension
        ("facture\u202efdp.exe", pdf_bytes()),  # RTL override: shows "facture exe.pdf"
    ],
)
def test_an_extension_that_does_not_match_the_content_is_refused(name, content):
    assert rejection(name, content) == "upload_extension"


def test_an_encrypted_pdf_is_refused():
    assert rejection("protege.pdf", pdf_bytes(password="secret")) == "upload_pdf_encrypted"


def test_a_pdf_with_javascript_is_refused():
    assert rejection("js.pdf", pdf_bytes(javascript="app.alert('x');")) == "upload_pdf_active"


def test_a_pdf_whose_open_action_runs_an_action_is_refused():
    assert rejection("open.pdf", pdf_with_open_action()) == "upload_pdf_active"


def test_a_pdf_with_an_embedded_file_is_refused():
    assert rejection("joint.pdf", pdf_with_attachment()) == "upload_pdf_embedded"


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_PAGES", 5)
    assert rejection("long.pdf", pdf_bytes(pages=6)) == "upload_pdf_pages"
    assert check_upload(upload("court.pdf", pdf_bytes(pages=5)))


def test_a_truncated_pdf_is_refused():
    content = pdf_bytes(pages=2)
    assert rejection("coupe.pdf", content[: len(content) // 3]) == "upload_pdf_unreadable"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bombe.png", png_claiming(65535, 65535)),  # Pillow itself refuses this header
        ("bombe.jpg", jpeg_claiming(65535, 65535)),
        ("grande.png", png_claiming(7000, 7000)),  # 49 M pixels: under Pillow's, over ours
    ],
)
def test_an_image_claiming_huge_dimensions_is_refused_before_decoding(name, content):
    assert rejection(name, content) == "upload_image_dimensions"


def test_a_truncated_image_is_refused():
    content = jpeg_bytes((256, 256))
    assert rejection("coupee.jpg", content[: len(content) // 2]) == "upload_image_unreadable"


def test_each_refusal_has_its_own_message():
    assert len({str(message) for message in uploads.MESSAGES.values()}) == len(uploads.MESSAGES)


# --- File names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\passeport.pdf", "passeport.pdf"),
        ("pass\x00port.pdf", "passport.pdf"),
        ("facture\u202efdp.exe", "facturefdp.exe"),
        ("  .hidden.pdf ", "hidden.pdf"),
        ("", "document"),
    ],
)
def test_the_displayed_name_has_no_directory_control_or_bidi_character(raw, shown):
    assert display_name(raw) == shown


def test_a_300_character_name_is_shortened_and_keeps_its_extension():
    shown = display_name("a" * 300 + ".pdf")
    assert len(shown) == uploads.MAX_NAME_LENGTH
    assert shown.endswith(".pdf")
    checked = check_upload(upload("a" * 300 + ".pdf", pdf_bytes()))
    assert checked.display_name == shown


@pytest.mark.django_db
def test_a_stored_upload_stays_when_its_block_succeeds_and_goes_when_it_fails():
    checked = check_upload(upload("avis.pdf", pdf_bytes()))
    with uploads.atomic_with_uploads() as store_upload:
        kept = store_upload("tests/uploads", checked)
    assert kept.startswith("tests/uploads/") and kept.endswith(".pdf")
    with pytest.raises(RuntimeError), uploads.atomic_with_uploads() as store_upload:
        gone = store_upload("tests/uploads", checked)
        raise RuntimeError("the row could not be written")
    storage = storages["private"]
    assert storage.exists(kept) and not storage.exists(gone)
    with storage.open(kept) as stored:
        assert stored.read() == checked.content
    storage.delete(kept)
