"""Checking and preparing the files people attach to messages: size, count and type (by content, see filetypes),
images re-encoded without their metadata (GPS), names cleaned. The message service stores what this returns."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from veche.advice import filetypes
from veche.core.images import reencode_image

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_MAX_FILES = 5
IMAGE_MAX_SIDE = 2560


def max_bytes() -> int:
    return int(getattr(settings, "VECHE_ADVICE_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "VECHE_ADVICE_MAX_ATTACHMENTS", DEFAULT_MAX_FILES))


@dataclass(frozen=True)
class PreparedFile:
    content: ContentFile
    original_name: str
    content_type: str
    size: int


def clean_name(name: str) -> str:
    """The file name without folders, control characters or surrounding dots, at most 150 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip().strip(".")
    if not base:
        return "file"
    if len(base) <= 150:
        return base
    extension = filetypes.extension_of(base)
    return base[: 150 - len(extension)] + extension


def _with_extension(name: str, extension: str) -> str:
    current = filetypes.extension_of(name)
    stem = name[: -len(current)] if current else name
    return f"{stem}{extension}"


def prepare(upload: UploadedFile) -> PreparedFile:
    """Check one upload and return what to store. Raises ValidationError naming the file and what is wrong."""
    name = clean_name(upload.name or "")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the largest file we accept is %(limit)s."),
            code="file_too_large",
            params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s."),
            code="file_too_large",
            params={"name": name, "limit": filesizeformat(limit)},
        )
    kind = filetypes.sniff(data, name)
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a file type we accept. Send a PDF, an image, an office document "
                "(Open Document or Word, Excel, PowerPoint without macros), or plain text or CSV."
            ),
            code="file_type",
            params={"name": name},
        )
    if not filetypes.matches_name(kind, name):
        raise ValidationError(
            _("The name of “%(name)s” does not match what the file contains; rename it to end in %(extension)s."),
            code="file_name_mismatch",
            params={"name": name, "extension": kind.extensions[0]},
        )
    if kind.is_image:
        upload.seek(0)
        try:
            content = reencode_image(upload, max_side=IMAGE_MAX_SIDE, max_bytes=limit)
        except ValidationError as error:
            raise ValidationError(
                _("“%(name)s”: %(problem)s"),
                code="bad_image",
                params={"name": name, "problem": " ".join(error.messages)},
            ) from error
        extension = filetypes.extension_of(content.name or "")
        content_type = "image/png" if extension == ".png" else "image/jpeg"
        name = _with_extension(name, extension)
        data = content.read()
        return PreparedFile(ContentFile(data, name=name), name, content_type, len(data))
    return PreparedFile(ContentFile(data, name=name), name, kind.content_type, len(data))


def prepare_all(uploads: list[UploadedFile]) -> list[PreparedFile]:
    """Check every upload of one message; all errors at once, one per file."""
    if len(uploads) > max_files():
        raise ValidationError(
            _("Attach at most %(count)s files to one message."), code="too_many_files", params={"count": max_files()}
        )
    prepared, errors = [], []
    for upload in uploads:
        try:
            prepared.append(prepare(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared
