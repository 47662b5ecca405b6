"""Listing photos: re-encoded with Pillow at a few widths, metadata (EXIF, GPS) dropped."""

import secrets
from pathlib import Path

from flask import current_app
from PIL import Image

from ..extensions import db
from ..models import Listing, ListingPhoto

WIDTHS = (360, 720, 1200)
JPEG_QUALITY = 78


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_image(listing: Listing, image: Image.Image, alt: dict | None = None) -> ListingPhoto:
    """Save `image` as renditions for `srcset` and add it last to the listing (caller commits).

    Re-encoding from pixels drops every metadata block, EXIF and GPS included.
    """
    image = image.convert("RGB")
    stem = secrets.token_hex(8)
    widths = []
    for width in WIDTHS:
        if widths and image.width < width:
            break
        rendition = image.copy()
        rendition.thumbnail((width, width * 2))
        rendition.save(
            upload_dir() / f"{stem}-{width}.jpg",
            "JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            progressive=True,
        )
        widths.append(width)
    photo = ListingPhoto(
        listing=listing, stem=stem, widths=widths, alt=alt or {}, position=len(listing.photos)
    )
    db.session.add(photo)
    return photo
