"""A stored photo is its pixels and nothing else: every kind of metadata Pillow can carry in every format
we accept (a comment, EXIF with GPS, XMP, an ICC profile, text chunks, APP segments) is left behind,
each planted with its own marker that must appear nowhere in the stored JPEG (issue #21)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from cases.photos import clean_photo


def _save(fmt, colour=(200, 80, 40), **params):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format=fmt, **params)
    return out.getvalue()


def _exif(marker):
    exif = Image.Exif()
    exif[0x010F] = marker  # Make
    exif[0x010E] = f"{marker} desc"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 0x1B: f"ASCII\0\0\0{marker}"}  # GPS: latitude, method
    return exif


def _xmp(marker):
    return f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{marker}</dc:creator></x:xmpmeta>'.encode()


def _icc(marker):
    # A real sRGB profile with the marker after its end, where a copy of the profile would carry it along.
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() + marker.encode()


def _png_text(marker, key, how):
    info = PngImagePlugin.PngInfo()
    if how == "iTXt":
        info.add_itxt(key, marker, lang="zh", tkey=key)
    else:
        info.add_text(key, marker, zip=how == "zTXt")
    return _save("PNG", pnginfo=info)


def _png_private_chunk(marker):
    info = PngImagePlugin.PngInfo()
    info.add(b"prVt", marker.encode())
    return _save("PNG", pnginfo=info)


def _jpeg_with_segment(marker, segment):
    data = _save("JPEG")
    payload = {
        # Photoshop's IPTC caption, as news and camera software write it.
        0xED: b"Photoshop 3.0\0" + _8bim_iptc_caption(marker),
        0xEF: b"VendorData\0" + marker.encode(),
    }[segment]
    return data[:2] + bytes([0xFF, segment]) + (len(payload) + 2).to_bytes(2, "big") + payload + data[2:]


def _8bim_iptc_caption(marker):
    caption = b"\x1c\x02\x78" + len(marker).to_bytes(2, "big") + marker.encode()
    caption += b"\0" * (len(caption) % 2)
    return b"8BIM\x04\x04\0\0" + len(caption).to_bytes(4, "big") + caption


def _gif_with_app_extension(marker):
    data = _save("GIF")
    # The extension goes right after the header and its global colour table.
    end_of_header = 13 + 3 * 2 ** ((data[10] & 7) + 1)
    extension = b"!\xff\x0bXMP DataXMP" + bytes([len(marker)]) + marker.encode() + b"\0"
    return data[:end_of_header] + extension + data[end_of_header:]


def _mpo(**params):
    out = io.BytesIO()
    frames = [Image.new("RGB", (40, 30), (200, 80, 40)), Image.new("RGB", (40, 30), (40, 80, 200))]
    frames[0].save(out, format="MPO", save_all=True, append_images=frames[1:], **params)
    return out.getvalue()


UPLOADS = {
    "JPEG-comment": lambda marker: _save("JPEG", comment=marker),
    "JPEG-exif": lambda marker: _save("JPEG", exif=_exif(marker)),
    "JPEG-xmp": lambda marker: _save("JPEG", xmp=_xmp(marker)),
    "JPEG-icc": lambda marker: _save("JPEG", icc_profile=_icc(marker)),
    "JPEG-app13-iptc": lambda marker: _jpeg_with_segment(marker, 0xED),
    "JPEG-app15": lambda marker: _jpeg_with_segment(marker, 0xEF),
    "MPO-comment": lambda marker: _mpo(comment=marker),
    "MPO-exif": lambda marker: _mpo(exif=_exif(marker)),
    "PNG-tEXt-comment": lambda marker: _png_text(marker, "comment", "tEXt"),
    "PNG-zTXt-comment": lambda marker: _png_text(marker, "comment", "zTXt"),
    "PNG-iTXt-comment": lambda marker: _png_text(marker, "comment", "iTXt"),
    "PNG-tEXt-author": lambda marker: _png_text(marker, "Author", "tEXt"),
    "PNG-iTXt-xmp": lambda marker: _png_text(marker, "XML:com.adobe.xmp", "iTXt"),
    "PNG-private-chunk": _png_private_chunk,
    "PNG-exif": lambda marker: _save("PNG", exif=_exif(marker)),
    "PNG-icc": lambda marker: _save("PNG", icc_profile=_icc(marker)),
    "GIF-comment": lambda marker: _save("GIF", comment=marker),
    "GIF-app-extension": _gif_with_app_extension,
    "WEBP-exif": lambda marker: _save("WEBP", exif=_exif(marker)),
    "WEBP-xmp": lambda marker: _save("WEBP", xmp=_xmp(marker)),
    "WEBP-icc": lambda marker: _save("WEBP", icc_profile=_icc(marker)),
}


def _clean(data, name="IMG_0001.jpg"):
    return clean_photo(SimpleUploadedFile(name, data)).read()


@pytest.mark.parametrize("kind", UPLOADS)
def test_it_stores_none_of_the_uploads_metadata(kind):
    marker = "MK" + kind.replace("-", "").upper()
    upload = UPLOADS[kind](marker)
    source = Image.open(io.BytesIO(upload))
    assert source.format == kind.split("-")[0]
    # The upload really carries the marker (zTXt is compressed: Pillow's reading of it then).
    assert marker.encode() in upload or marker in repr(source.info)

    stored = _clean(upload)

    assert marker.lower().encode() not in stored.lower()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not {"comment", "exif", "xmp", "icc_profile", "photoshop"} & set(image.info)
    assert not image.getexif()


def _swapped_primaries_profile():
    """sRGB with its red and green primaries swapped: pure red in this space is sRGB's pure green."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = int.from_bytes(icc[128:132], "big")
    entries = {bytes(icc[at : at + 4]): at for at in range(132, 132 + 12 * count, 12)}
    red, green = entries[b"rXYZ"] + 4, entries[b"gXYZ"] + 4
    icc[red : red + 8], icc[green : green + 8] = icc[green : green + 8], icc[red : red + 8]
    return bytes(icc)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_it_converts_a_photo_in_another_colour_space_to_srgb(fmt):
    # Dropping a phone's Display P3 profile without converting would shift every colour.
    stored = _clean(_save(fmt, colour=(255, 0, 0), icc_profile=_swapped_primaries_profile()))
    red, green, blue = Image.open(io.BytesIO(stored)).getpixel((20, 15))
    assert green > 200 and red < 60 and blue < 60


def test_it_keeps_the_colours_of_an_srgb_photo():
    stored = _clean(_save("JPEG", colour=(200, 80, 40), icc_profile=_icc("MKSRGB")))
    pixel = Image.open(io.BytesIO(stored)).getpixel((20, 15))
    assert all(abs(got - want) <= 4 for got, want in zip(pixel, (200, 80, 40), strict=True))


def test_it_keeps_a_photo_whose_profile_it_cannot_read():
    stored = _clean(_save("JPEG", icc_profile=b"not a colour profile MKBADICC"))
    assert b"MKBADICC" not in stored
    assert Image.open(io.BytesIO(stored)).size == (40, 30)


def test_it_turns_the_photo_upright_before_dropping_the_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned a quarter
    stored = Image.open(io.BytesIO(_clean(_save("JPEG", exif=exif))))
    assert stored.size == (30, 40)
    assert not stored.getexif()


def test_it_still_refuses_what_is_not_a_photo():
    with pytest.raises(ValidationError):
        _clean(b"MKNOTAPHOTO " * 10)
