"""Listing photos: re-encoded with Pillow at a few widths, metadata (EXIF, GPS) dropped.

The renditions go to the `photos` storage area (gateways/storage.py): UPLOAD_FOLDER on one
machine, the S3 bucket when STORAGE_S3_BUCKET is set, so every web instance serves every photo.
"""

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image

from ...extensions import db
from ...gateways.storage import storage
from ...models import Listing, ListingPhoto

WIDTHS = (360, 720, 1200)
JPEG_QUALITY = 78


def upload_dir() -> Path:
    """The local photo folder (with S3 storage: where photos lay before `storage migrate-photos`)."""
    path = Path(current_app.config["UPLOAD_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def rendition_name(stem: str, width: int) -> str:
    return f"{stem}-{width}.jpg"


def store_image(listing: Listing, image: Image.Image, alt: dict | None = None) -> ListingPhoto:
    """Save `image` as renditions for `srcset` and add it last to the listing (caller commits).

    Re-encoding from pixels drops every metadata block, EXIF and GPS included.
    """
    image = image.convert("RGB")
    stem = secrets.token_hex(8)
    widths = []
    target = storage("photos")
    for width in WIDTHS:
        if widths and image.width < width:
            break
        rendition = image.copy()
        rendition.thumbnail((width, width * 2))
        buffer = io.BytesIO()
        rendition.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        target.put(rendition_name(stem, width), buffer.getvalue(), "image/jpeg")
        widths.append(width)
    photo = ListingPhoto(
        listing=listing, stem=stem, widths=widths, alt=alt or {}, position=len(listing.photos)
    )
    db.session.add(photo)
    return photo


def delete_files(photo: ListingPhoto) -> None:
    """Remove a photo's renditions from storage; one already gone is no error."""
    target = storage("photos")
    for width in photo.widths:
        try:
            target.delete(rendition_name(photo.stem, width))
        except Exception:  # noqa: BLE001  (an orphaned file costs less than a failed delete)
            current_app.logger.warning("could not delete %s", photo.stem, exc_info=True)
