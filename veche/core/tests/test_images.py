"""reencode_image: only real images of bounded size, re-saved without their metadata."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from veche.core.images import reencode_image
from veche.core.tests.imaging import GPS_IFD, image_bytes, upload


def decoded(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def test_jpeg_exif_and_gps_are_stripped():
    original = image_bytes("JPEG", gps=True)
    assert decoded(original).getexif().get_ifd(GPS_IFD)
    result = reencode_image(upload(original, "holiday.jpg", "image/jpeg"))
    image = decoded(result.read())
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"SpyCam" not in result.open().read()
    assert result.name == "holiday.jpg"


def test_transparent_images_stay_png_and_opaque_ones_become_jpeg():
    transparent = reencode_image(upload(image_bytes("PNG", mode="RGBA"), "icon.png"))
    assert transparent.name == "icon.png"
    assert decoded(transparent.read()).mode == "RGBA"
    opaque = reencode_image(upload(image_bytes("WEBP"), "photo.webp", "image/webp"))
    assert opaque.name == "photo.jpg"
    assert decoded(opaque.read()).format == "JPEG"


def test_large_images_are_scaled_down_keeping_the_aspect_ratio():
    result = reencode_image(upload(image_bytes("PNG", size=(3000, 1500))), max_side=600)
    assert decoded(result.read()).size == (600, 300)


def test_files_that_are_not_images_are_refused():
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(b"GIF89a<script>alert(1)</script>", "evil.gif", "image/gif"))
    assert error.value.code == "not_an_image"


def test_truncated_images_are_refused():
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("PNG", size=(200, 200))[:100]))
    assert error.value.code == "not_an_image"


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("BMP"), "old.bmp", "image/bmp"))
    assert error.value.code == "bad_format"


def test_too_large_files_are_refused_before_decoding(settings):
    settings.VECHE_MAX_IMAGE_BYTES = 100
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("PNG", size=(100, 100))))
    assert error.value.code == "too_large"
    assert reencode_image(upload(image_bytes("PNG", size=(100, 100))), max_bytes=10_000)


def test_too_many_pixels_are_refused(monkeypatch):
    monkeypatch.setattr("veche.core.images.MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as error:
        reencode_image(upload(image_bytes("PNG", size=(20, 20))))
    assert error.value.code == "too_many_pixels"
