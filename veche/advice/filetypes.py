"""What kind of file an upload really is, decided from its bytes (never from its name or the browser's word).

No Django import: veche.advice.attachments turns the answer into validation messages and storage. Only formats
people exchange when they plan a consultation are known: PDF, images (re-encoded before storing), office documents
in the Open Document and Office Open XML formats without macros, and plain UTF-8 text or CSV. Anything else — a
program, a legacy .doc with macros, HTML, SVG with scripts — is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    key: str
    content_type: str
    extensions: tuple[str, ...]
    is_image: bool = False


PDF = FileKind("pdf", "application/pdf", (".pdf",))
PNG = FileKind("png", "image/png", (".png",), is_image=True)
JPEG = FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg"), is_image=True)
WEBP = FileKind("webp", "image/webp", (".webp",), is_image=True)
GIF = FileKind("gif", "image/gif", (".gif",), is_image=True)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = FileKind("odp", "application/vnd.oasis.opendocument.presentation", (".odp",))
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
TEXT = FileKind("text", "text/plain; charset=utf-8", (".txt", ".md"))
CSV = FileKind("csv", "text/csv; charset=utf-8", (".csv",))

KINDS = (PDF, PNG, JPEG, WEBP, GIF, ODT, ODS, ODP, DOCX, XLSX, PPTX, TEXT, CSV)
ALLOWED_EXTENSIONS = tuple(sorted({extension for kind in KINDS for extension in kind.extensions}))

_ODF_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS, ODP.content_type: ODP}
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
# Parts that carry macros or embedded programs: such a container is refused whatever its name says.
_ACTIVE_PARTS = ("vbaproject.bin", "activex", "basic/", "scripts/")
MAX_ZIP_ENTRIES = 5000


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, with its dot ("" when there is none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return "." + base.rsplit(".", 1)[-1].lower()


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            names = [entry.filename for entry in entries]
            lowered = [name.lower() for name in names]
            if any(marker in name for name in lowered for marker in _ACTIVE_PARTS):
                return None
            if names and names[0] == "mimetype" and entries[0].file_size <= 100:
                declared = archive.read(entries[0]).decode("ascii", "replace").strip()
                return _ODF_TYPES.get(declared)
            if "[Content_Types].xml" in names:
                for part, kind in _OOXML_PARTS:
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    return None


def _text_kind(data: bytes, extension: str) -> FileKind | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if head.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script")):
        return None  # markup a browser could run, whatever the extension says
    return CSV if extension == ".csv" else TEXT


def sniff(data: bytes, name: str = "") -> FileKind | None:
    """The kind of file data is, or None when it is none we accept. name only tells text from CSV."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if not data:
        return None
    return _text_kind(data, extension_of(name))


def matches_name(kind: FileKind, name: str) -> bool:
    """Whether the file's name ends in one of the kind's extensions (a PDF called report.docx is refused)."""
    return extension_of(name) in kind.extensions
