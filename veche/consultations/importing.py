"""Turning a draft document into sections and numbered paragraphs: text extraction from DOCX (mammoth), ODT (odfpy)
and PDF (pypdf), and the splitting of pasted text or HTML. Pure: no Django, no database — the services, the CLI and
the tests call it directly. Every piece of HTML it returns has been through veche.core.sanitize.clean_html.

    drafts = split_document(extract(data, "docx"))   # or split_document(pasted_text)
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from veche.core.sanitize import clean_html

MAX_SOURCE_BYTES = 10_000_000  # an uploaded draft
MAX_UNPACKED_BYTES = 60_000_000  # what a DOCX/ODT may unpack to (zip bombs)
MAX_TEXT_CHARS = 1_000_000  # pasted or extracted text
MAX_PARAGRAPHS = 2_000
MAX_PDF_PAGES = 500
HEADING_MAX_CHARS = 300

FORMATS = ("docx", "odt", "pdf")


class DocumentImportError(ValueError):
    """The file or text cannot be turned into a document. `code` says why (for a translated message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class SectionDraft:
    heading: str = ""
    number: str = ""
    paragraphs: list[str] = field(default_factory=list)  # sanitised HTML, one block each


# --- detecting the format by content ---------------------------------------------------------------------------------


def _zip_names(data: bytes) -> tuple[zipfile.ZipFile, set[str]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None
    return archive, set(archive.namelist())


def sniff_format(data: bytes) -> str | None:
    """ "docx", "odt" or "pdf" judged by the bytes (magic numbers and the archive's entries), never the file name."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    opened = _zip_names(data)
    if opened is None:
        return None
    archive, names = opened
    with archive:
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        if "mimetype" in names and "content.xml" in names:
            try:
                mimetype = archive.read("mimetype")[:100].strip()
            except (KeyError, zipfile.BadZipFile, RuntimeError):
                return None
            if mimetype == b"application/vnd.oasis.opendocument.text":
                return "odt"
    return None


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>/])", re.IGNORECASE)
_HEADING_LEVELS = {"1": "2", "2": "2", "3": "3", "4": "4", "5": "4", "6": "4"}


def normalise_headings(fragment: str) -> str:
    """h1…h6 → the h2…h4 the sanitiser keeps (a page has one h1: the page's own title)."""
    return _HEADING_TAG.sub(lambda match: f"<{match.group(1)}h{_HEADING_LEVELS[match.group(2)]}", fragment)


def _check_archive(data: bytes) -> None:
    opened = _zip_names(data)
    if opened is None:
        raise DocumentImportError("unreadable")
    archive, _names = opened
    with archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise DocumentImportError("too_large")


# --- extraction ------------------------------------------------------------------------------------------------------


def extract_docx(data: bytes) -> str:
    """The document's HTML as mammoth reads it (headings, paragraphs, lists, bold/italic); images are dropped."""
    import mammoth

    _check_archive(data)
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=mammoth.images.img_element(lambda image: {}))
    except Exception as exc:  # noqa: BLE001 — mammoth raises many kinds for broken files
        raise DocumentImportError("unreadable", str(exc)[:200]) from exc
    return clean_html(normalise_headings(result.value))


_ODF_HEADING = "h"
_ODF_PARAGRAPH = "p"
_ODF_LIST = "list"


def _odf_text(node: object) -> str:
    """All text under an ODF element, with spaces, tabs and line breaks as odfpy models them."""
    from odf.element import Element, Text

    parts: list[str] = []

    def walk(current: object) -> None:
        if isinstance(current, Text):
            parts.append(str(current.data))
            return
        if not isinstance(current, Element):
            return
        local = current.qname[1] if current.qname else ""
        if local == "s":
            parts.append(" " * int(current.attributes.get((current.qname[0], "c"), 1) or 1))
            return
        if local == "tab":
            parts.append("\t")
            return
        if local == "line-break":
            parts.append("\n")
            return
        for child in current.childNodes:
            walk(child)

    walk(node)
    return "".join(parts)


def extract_odt(data: bytes) -> str:
    """The ODT's headings, paragraphs and lists as HTML (text only: formatting is not carried over)."""
    from odf import opendocument
    from odf.element import Element

    _check_archive(data)
    try:
        document = opendocument.load(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — odfpy raises many kinds for broken files
        raise DocumentImportError("unreadable", str(exc)[:200]) from exc
    out: list[str] = []

    def emit(node: Element) -> None:
        local = node.qname[1] if node.qname else ""
        if local == _ODF_HEADING:
            level = node.attributes.get((node.qname[0], "outline-level"), "1")
            level = str(min(max(int(level) if str(level).isdigit() else 1, 1), 3) + 1)
            text = _odf_text(node).strip()
            if text:
                out.append(f"<h{level}>{html.escape(text)}</h{level}>")
        elif local == _ODF_PARAGRAPH:
            text = _odf_text(node).strip()
            if text:
                out.append("<p>" + html.escape(text).replace("\n", "<br>") + "</p>")
        elif local == _ODF_LIST:
            items = []
            for item in node.childNodes:
                if isinstance(item, Element):
                    text = _odf_text(item).strip()
                    if text:
                        items.append(f"<li>{html.escape(text)}</li>")
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
        else:
            for child in node.childNodes:
                if isinstance(child, Element):
                    emit(child)

    emit(document.text)
    return clean_html("".join(out))


def extract_pdf(data: bytes) -> str:
    """The PDF's text, page by page (plain text: the splitter finds paragraphs and headings in it)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentImportError("encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentImportError("too_large")
        pages = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise DocumentImportError("too_large")
            pages.append(text)
    except DocumentImportError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DocumentImportError("unreadable", str(exc)[:200]) from exc
    text = "\n\n".join(pages).strip()
    if not text:
        raise DocumentImportError("no_text")
    return text


def extract(data: bytes, file_format: str | None = None) -> str:
    """HTML (DOCX, ODT) or plain text (PDF) of an uploaded draft; the format is sniffed from the bytes and must
    agree with file_format when that is given."""
    if len(data) > MAX_SOURCE_BYTES:
        raise DocumentImportError("too_large")
    sniffed = sniff_format(data)
    if sniffed is None or (file_format and sniffed != file_format):
        raise DocumentImportError("unsupported")
    if sniffed == "docx":
        return extract_docx(data)
    if sniffed == "odt":
        return extract_odt(data)
    return extract_pdf(data)


# --- splitting into sections and paragraphs ------------------------------------------------------------------------

_TAG = re.compile(r"<[a-zA-Z!/?]")
_NUMBERED = re.compile(
    r"^(?P<number>(?P<keyword>§|čl\.|článek|clanek|art\.|artykuł|article|rozdział|kapitola|chapter|section|part|část|część"
    r"|oddíl|dział)\s*[0-9IVXLC]+[a-z]?\.?|[0-9]+(?:\.[0-9]+)*\.?|(?-i:(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\.))(?=\s|$)\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", ";", ":", ",", "…")


def heading_number(heading: str) -> tuple[str, str]:
    """("1.2", "Scope") from "1.2 Scope", ("§ 3", "") from "§ 3", ("", heading) when it is not numbered."""
    match = _NUMBERED.match(heading.strip())
    if not match:
        return "", heading.strip()
    return match.group("number").strip().rstrip("."), match.group("title").strip()


def looks_like_heading(line: str) -> bool:
    """A line of plain text that reads as a heading: "1. Introduction", "§ 4", "Article 2 — Scope", "PART ONE"."""
    line = line.strip()
    if not line or len(line) > 100:
        return False
    if line.startswith("#"):
        return True
    match = _NUMBERED.match(line)
    if match and match.group("keyword"):
        return True  # "§ 3", "Article 2 …", "Chapter IV"
    if line.endswith(_SENTENCE_END):
        return False
    if match and len(line) <= 80 and match.group("title"):
        return True  # "2.1 Scope of the plan"
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters) and len(line) <= 80


class _Blocks(HTMLParser):
    """Top-level blocks of an HTML fragment: ("heading", text) or ("block", html)."""

    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
    BLOCKS = frozenset({"p", "ul", "ol", "blockquote", "table", "pre"})
    CONTAINERS = frozenset({"div", "section", "article", "body", "html", "main", "span", "font"})
    VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._kind: str | None = None
        self._tag = ""
        self._depth = 0
        self._parts: list[str] = []
        self._loose: list[str] = []

    def _flush_loose(self) -> None:
        text = "".join(self._loose).strip()
        self._loose = []
        if text:
            self.blocks.append(("block", "<p>" + text + "</p>"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._kind is None:
            if tag in self.HEADINGS:
                self._flush_loose()
                self._kind, self._tag, self._depth, self._parts = "heading", tag, 1, []
                return
            if tag in self.BLOCKS:
                self._flush_loose()
                self._kind, self._tag, self._depth, self._parts = "block", tag, 1, []
                self._parts.append(self.get_starttag_text() or f"<{tag}>")
                return
            if tag in self.CONTAINERS:
                return
            if tag == "br":
                self._flush_loose()
                return
            self._loose.append(self.get_starttag_text() or "")
            return
        if tag == self._tag and tag not in self.VOID:
            self._depth += 1
        if self._kind == "block":
            self._parts.append(self.get_starttag_text() or f"<{tag}>")
        elif tag == "br":
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._kind is None:
            if tag not in self.CONTAINERS and tag not in self.HEADINGS and tag not in self.BLOCKS:
                self._loose.append(f"</{tag}>")
            return
        if tag == self._tag:
            self._depth -= 1
            if self._depth == 0:
                if self._kind == "block":
                    self._parts.append(f"</{tag}>")
                    self.blocks.append(("block", "".join(self._parts)))
                else:
                    self.blocks.append(("heading", " ".join("".join(self._parts).split())))
                self._kind, self._parts = None, []
                return
        if self._kind == "block":
            self._parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._kind is None:
            self._loose.append(html.escape(data, quote=False))
        elif self._kind == "block":
            self._parts.append(html.escape(data, quote=False))
        else:
            self._parts.append(data)

    def close(self) -> None:
        super().close()
        if self._kind == "block" and self._parts:
            self._parts.append(f"</{self._tag}>")
            self.blocks.append(("block", "".join(self._parts)))
        elif self._kind == "heading" and self._parts:
            self.blocks.append(("heading", " ".join("".join(self._parts).split())))
        self._kind = None
        self._flush_loose()


def _text_of(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded, white space collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def html_to_text(fragment: str) -> str:
    """Plain text of sanitised HTML, with a space where a tag was (for diffs, excerpts and fingerprints)."""
    return _text_of(fragment)


def _blocks_of_plain_text(text: str) -> list[tuple[str, str]]:
    """Paragraphs of plain text: separated by blank lines; without any blank line (a PDF's text), a line that ends a
    sentence ends its paragraph. Heading-like lines become headings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    has_blank_lines = bool(re.search(r"\n[ \t]*\n", text))
    blocks: list[tuple[str, str]] = []
    current: list[str] = []

    def flush() -> None:
        joined = " ".join(" ".join(current).split())
        current.clear()
        if joined:
            blocks.append(("block", "<p>" + html.escape(joined, quote=False) + "</p>"))

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if looks_like_heading(line) and (not current or not has_blank_lines):
            flush()
            blocks.append(("heading", line.lstrip("#").strip()))
            continue
        if current and current[-1].endswith("-") and not current[-1].endswith(" -"):
            current[-1] = current[-1][:-1] + line  # a word hyphenated across lines
        else:
            current.append(line)
        if not has_blank_lines and line.endswith((".", "!", "?", ":", ";", "…")):
            flush()
    flush()
    return blocks


def split_document(source: str) -> list[SectionDraft]:
    """Sections and paragraphs of a pasted or extracted draft (HTML, or plain text if it has no tags).

    A heading starts a section (its leading number, if any, becomes the section's number); every other block is one
    paragraph (a list or table stays one paragraph). Text before the first heading goes into a section without a
    heading. Raises DocumentImportError("too_large"/"too_many_paragraphs"/"empty").
    """
    if len(source or "") > MAX_TEXT_CHARS:
        raise DocumentImportError("too_large")
    source = (source or "").strip()
    if _TAG.search(source):
        parser = _Blocks()
        parser.feed(clean_html(normalise_headings(source)))
        parser.close()
        blocks = parser.blocks
    else:
        blocks = _blocks_of_plain_text(source)
    sections: list[SectionDraft] = []
    count = 0
    for kind, content in blocks:
        if kind == "heading":
            heading = " ".join(content.split())[:HEADING_MAX_CHARS]
            if not heading:
                continue
            number, _title = heading_number(heading)
            if sections and not sections[-1].paragraphs and not sections[-1].heading:
                sections.pop()
            sections.append(SectionDraft(heading=heading, number=number[:20]))
            continue
        paragraph = clean_html(content).strip()
        if not _text_of(paragraph):
            continue
        if not sections:
            sections.append(SectionDraft())
        sections[-1].paragraphs.append(paragraph)
        count += 1
        if count > MAX_PARAGRAPHS:
            raise DocumentImportError("too_many_paragraphs")
    sections = [section for section in sections if section.paragraphs or section.heading]
    if count == 0:
        raise DocumentImportError("empty")
    return sections


def paragraph_count(sections: list[SectionDraft]) -> int:
    return sum(len(section.paragraphs) for section in sections)


def drafts_to_html(sections: list[SectionDraft]) -> str:
    """HTML that split_document turns back into the same sections (a heading per section, its paragraphs after)."""
    parts = []
    for section in sections:
        if section.heading:
            parts.append("<h2>" + html.escape(section.heading, quote=False) + "</h2>")
        parts.extend(section.paragraphs)
    return "\n".join(parts)
