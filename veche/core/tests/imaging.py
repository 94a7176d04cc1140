"""Build small image files in memory for upload tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def image_bytes(
    image_format: str = "PNG", size: tuple[int, int] = (40, 30), mode: str = "RGB", *, gps: bool = False
) -> bytes:
    """An image in image_format; with gps=True a JPEG carrying EXIF with a camera make and GPS coordinates."""
    image = Image.new(mode, size, color=(200, 30, 30) if mode == "RGB" else None)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[MAKE] = "SpyCam"
        exif[ORIENTATION] = 1
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 5.0, 0.0), 3: "E", 4: (14.0, 25.0, 0.0)})
        image.save(out, format=image_format, exif=exif)
    else:
        image.save(out, format=image_format)
    return out.getvalue()


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
