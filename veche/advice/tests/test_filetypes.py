"""Attachments are recognised by their content (veche.advice.filetypes) and checked before storing
(veche.advice.attachments)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from veche.advice import attachments, filetypes


def zipped(entries: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored_first else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (50.0, 5.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}, stored_first=True)
DOCM = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"\0"})


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"%PDF-1.7\n...", "plan.pdf", "pdf"),
        (DOCX, "rules.docx", "docx"),
        (XLSX, "budget.xlsx", "xlsx"),
        (ODT, "rules.odt", "odt"),
        ("Harmonogram konzultací\n".encode(), "notes.txt", "text"),
        (b"name;votes\nPark;12\n", "votes.csv", "csv"),
    ],
)
def test_known_kinds_are_recognised(data, name, key):
    kind = filetypes.sniff(data, name)
    assert kind is not None and kind.key == key
    assert filetypes.matches_name(kind, name)


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03",  # a Windows program
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # a legacy .doc (OLE), may carry macros
        DOCM,
        zipped({"evil.exe": b"MZ"}),
        b"<html><script>alert(1)</script></html>",
        b'\xef\xbb\xbf<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"text with a \x00 byte",
        b"latin-2 text: " + "žluťoučký".encode("iso-8859-2"),
        b"",
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_content_is_refused(data):
    assert filetypes.sniff(data, "file.txt") is None


@given(st.binary(max_size=2000), st.text(max_size=30))
def test_sniffing_never_fails_on_any_bytes(data, name):
    kind = filetypes.sniff(data, name)
    assert kind is None or kind in filetypes.KINDS
    if kind is filetypes.PDF:
        assert data.startswith(b"%PDF-")


def test_extension_of():
    assert filetypes.extension_of("a/b/Report.PDF") == ".pdf"
    assert filetypes.extension_of("noext") == ""
    assert filetypes.extension_of(".bashrc") == ""


def test_a_pdf_named_docx_is_refused():
    upload = SimpleUploadedFile("rules.docx", b"%PDF-1.4 ...")
    with pytest.raises(ValidationError) as caught:
        attachments.prepare(upload)
    assert caught.value.code == "file_name_mismatch"


def test_an_oversized_file_is_refused(settings):
    settings.VECHE_ADVICE_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        attachments.prepare(SimpleUploadedFile("plan.pdf", b"%PDF-" + b"x" * 200))
    assert caught.value.code == "file_too_large"


def test_too_many_files_are_refused(settings):
    settings.VECHE_ADVICE_MAX_ATTACHMENTS = 2
    files = [SimpleUploadedFile(f"{index}.txt", b"hello") for index in range(3)]
    with pytest.raises(ValidationError) as caught:
        attachments.prepare_all(files)
    assert caught.value.code == "too_many_files"


def test_every_bad_file_is_named():
    files = [
        SimpleUploadedFile("ok.txt", b"fine"),
        SimpleUploadedFile("x.exe", b"MZ.."),
        SimpleUploadedFile("y.pdf", b""),
    ]
    with pytest.raises(ValidationError) as caught:
        attachments.prepare_all(files)
    text = " ".join(caught.value.messages)
    assert "x.exe" in text and "y.pdf" in text and "ok.txt" not in text


def test_images_are_re_encoded_without_their_location():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert 0x8825 in image.getexif()
    prepared = attachments.prepare(SimpleUploadedFile("walk.jpeg", original))
    assert prepared.content_type == "image/jpeg"
    assert prepared.original_name == "walk.jpg"
    with Image.open(io.BytesIO(prepared.content.read())) as image:
        assert 0x8825 not in image.getexif()


def test_names_lose_folders_and_control_characters():
    assert attachments.clean_name("../../etc/pass\x00wd.txt") == "passwd.txt"
    assert attachments.clean_name("C:\\Users\\a\\plán.pdf") == "plán.pdf"
    assert attachments.clean_name("...") == "file"
    long_name = attachments.clean_name("a" * 300 + ".pdf")
    assert len(long_name) == 150 and long_name.endswith(".pdf")
