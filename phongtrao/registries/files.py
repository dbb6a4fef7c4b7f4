"""Files kept by the registries: photos (re-encoded without metadata) and attached documents.

They live under MEDIA_ROOT/registries and are never published under MEDIA_URL: a scoped view
serves them, so a photo of one commune is as private as its entries. The root is read from
the settings on every call, so tests can point it at a temporary directory.
"""

import io
import secrets
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from phongtrao.core.errors import AppError, ErrorCode

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A decompression bomb is refused before it is decoded.
MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = (320, 320)
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
    ".png": (b"\x89PNG",),
}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
}


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "registries"


def path_of(relative: str) -> Path:
    root = media_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise AppError(ErrorCode.NOT_FOUND, _("The file was not found."))
    return path


def store(*, folder: str, extension: str, content: bytes) -> str:
    """Write bytes under a random name; returns the path relative to the registries root."""
    relative = f"{folder}/{secrets.token_hex(16)}.{extension}"
    target = media_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return relative


def remove(relative: str) -> None:
    if relative:
        path_of(relative).unlink(missing_ok=True)


def _invalid(message: str) -> AppError:
    return AppError(ErrorCode.INVALID, message)


def clean_photo(content: bytes) -> tuple[bytes, bytes, str, int, int]:
    """(image, thumbnail, extension, width, height): JPEG or PNG only, metadata removed.

    Re-encoding from the pixels alone drops EXIF (GPS position, device), XMP and comments;
    the EXIF orientation is applied first so the photo still stands the right way up.
    """
    if len(content) > MAX_PHOTO_BYTES:
        raise _invalid(
            _("The photo is larger than %(mb)d MB; make it smaller and upload it again.")
            % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind = probe.format
            width, height = probe.size
        if kind not in PHOTO_FORMATS:
            raise _invalid(_("Only JPEG and PNG photos are accepted."))
        if width * height > MAX_PIXELS:
            raise _invalid(_("The photo has too many pixels; make it smaller."))
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            mode = "RGB" if kind == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
            pixels = Image.new(mode, image.size)
            pixels.paste(image.convert(mode))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise _invalid(_("The file is not a JPEG or PNG photo that can be read.")) from exc
    extension = PHOTO_FORMATS[kind]
    out = io.BytesIO()
    if kind == "JPEG":
        pixels.save(out, "JPEG", quality=88, optimize=True)
    else:
        pixels.save(out, "PNG", optimize=True)
    thumb = pixels.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.convert("RGB").save(thumb_out, "JPEG", quality=80)
    return out.getvalue(), thumb_out.getvalue(), extension, pixels.width, pixels.height


def clean_attachment(*, name: str, content: bytes) -> str:
    """The file's extension when it is an accepted document; else a Vietnamese refusal."""
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _invalid(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    extension = Path(name).suffix.lower()
    starts = ATTACHMENT_TYPES.get(extension)
    if starts is None or not content.startswith(starts):
        raise _invalid(_("Attach a PDF, Word, Excel, JPEG or PNG file."))
    return extension.lstrip(".")
