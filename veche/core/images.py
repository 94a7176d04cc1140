"""Validate and re-encode uploaded images: only real raster images of a bounded size, re-saved without metadata.

Re-encoding drops whatever the file carried besides pixels (EXIF with GPS, embedded scripts in polyglot files) and
normalises the format, so what we serve is what we decoded.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


def reencode_image(upload: UploadedFile, *, max_side: int = 1024, max_bytes: int | None = None) -> ContentFile:
    """Return the upload decoded and saved again as PNG (with transparency) or JPEG, at most max_side pixels wide.

    Raises ValidationError with a message for the person uploading when the file is too large, not an image,
    or in a format we do not accept.
    """
    limit = max_bytes or settings.VECHE_MAX_IMAGE_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The image is %(size)s; the largest we accept is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not an image we can read."), code="not_an_image") from exc
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Please upload a JPEG, PNG, WebP or GIF image."), code="bad_format", params={"format": image_format}
        )
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA", "P")
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    base = (upload.name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:40] or "image"
    return ContentFile(out.getvalue(), name=f"{base}.{extension}")
