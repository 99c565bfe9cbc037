"""Turns an uploaded file into a clean JPEG, or says in plain words why it can't."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Phones send JPEG (iOS converts HEIC on upload); MPO is the JPEG variant some cameras write.
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "MPO"}
SRGB = ImageCms.createProfile("sRGB")


def clean_photo(upload):
    """Decode, check and re-encode one upload. The result is pixels only: no EXIF (GPS!), comment or other metadata."""
    name = upload.name
    if upload.size > settings.ECHOWALL_MAX_PHOTO_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; each photo may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.ECHOWALL_MAX_PHOTO_BYTES),
            }
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("“%(name)s” is not a photo (JPEG, PNG, GIF or WebP).") % {"name": name})
            if image.width * image.height > settings.ECHOWALL_MAX_PHOTO_PIXELS:
                raise ValidationError(_("“%(name)s” has too many pixels.") % {"name": name})
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("“%(name)s” is not a photo we can read.") % {"name": name}) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("“%(name)s” is damaged or incomplete.") % {"name": name}) from None
    return ContentFile(_reencode(image), name="photo.jpg")


def _reencode(image):
    image = ImageOps.exif_transpose(image)  # keep the photo upright once the EXIF is gone
    image = _in_srgb(image)
    side = settings.ECHOWALL_PHOTO_MAX_SIDE
    image.thumbnail((side, side))
    # A fresh image takes the pixels only: nothing in the upload's info (a comment, which Pillow would
    # write back) can follow them. A JPEG with no profile is read as sRGB.
    pixels = Image.new("RGB", image.size)
    pixels.paste(image)
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _in_srgb(image):
    # Phones tag photos Display P3; without converting, dropping the profile would shift every colour.
    profile = image.info.get("icc_profile")
    if image.mode not in ("RGB", "CMYK"):
        image = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a profile we can't read or that doesn't fit the pixels: take them as they are
    return image.convert("RGB")


def _delete_file(sender, instance, **kwargs):
    """A deleted photo's file goes too, once the deletion is committed (a rollback keeps it)."""
    name, storage = instance.image.name, instance.image.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def connect_signals():
    # By name: wall.models imports this module for clean_photo().
    post_delete.connect(_delete_file, sender="cases.PostPhoto", dispatch_uid="wall-photo-file")
