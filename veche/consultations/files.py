"""What an uploaded attachment really is, judged by its bytes (magic numbers, a ZIP's entries), never by its name or
the browser's Content-Type. Pure: no Django.

    sniff_attachment(data) → "pdf" | "png" | "jpeg" | "gif" | "webp" | "docx" | "xlsx" | "odt" | "ods" | None
"""

from __future__ import annotations

import io
import zipfile

# What we serve each kind as; anything else is refused at upload.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
EXTENSIONS = {"jpeg": "jpg"}
LABELS = {
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
    "docx": "DOCX",
    "xlsx": "XLSX",
    "odt": "ODT",
    "ods": "ODS",
}
MAX_UNPACKED_BYTES = 200_000_000


def _office_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None
    with archive:
        try:
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError):  # pragma: no cover - infolist is read at open
            return None
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            return None
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            return None
        if "mimetype" in names:
            try:
                mimetype = archive.read("mimetype")[:100].strip()
            except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
                return None
            return {
                b"application/vnd.oasis.opendocument.text": "odt",
                b"application/vnd.oasis.opendocument.spreadsheet": "ods",
            }.get(mimetype)
    return None


def sniff_attachment(data: bytes) -> str | None:
    """The kind of file data is, or None for anything we do not accept (HTML, SVG, scripts, executables…)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def safe_filename(name: str, kind: str) -> str:
    """A download name made of the original's letters, digits, dashes and dots, ending in the real kind's extension."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = base.rsplit(".", 1)[0] if "." in base else base
    cleaned = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in base).strip(" ._")[:80] or "attachment"
    return f"{cleaned}.{EXTENSIONS.get(kind, kind)}"
