"""Listing photo uploads: checked by content, bounded in bytes, pixels and count, re-encoded.

The file name and the browser's content type are ignored: Pillow must recognise the bytes as a
JPEG, PNG or WebP picture. A decompression bomb (a small file that unpacks to billions of pixels)
is refused from its header, before any pixel is decoded. `photos.store_image` then re-encodes the
pixels, which drops EXIF and GPS.
"""

import io
import warnings
from contextlib import suppress

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ...extensions import db
from ...models import Listing, ListingPhoto, User
from ..shared import audit
from ..shared.errors import NotFound, ServiceError
from . import photos

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
#: a phone photo is 2-8 MB; anything much larger is not a photo we need
MAX_BYTES = 12 * 1024 * 1024
#: 50 megapixels: more than any phone camera, far less than a bomb
MAX_PIXELS = 50_000_000
MAX_PHOTOS = 12


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def read_limited(stream, max_bytes: int) -> bytes:
    """At most `max_bytes` of `stream`; raises ServiceError too_large when there is more."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(
            _("The photo is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)),
            "too_large",
            "photo",
        )
    return data


def open_image(data: bytes) -> Image.Image:
    """Decode `data` as a picture; raises ServiceError not_an_image, too_many_pixels."""
    max_pixels = _limit("PHOTO_MAX_PIXELS", MAX_PIXELS)
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                probe = Image.open(io.BytesIO(data))
                fmt = probe.format
                width, height = probe.size
                probe.verify()  # structure check without decoding pixels
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels() from None
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                raise _not_an_image() from None
            if fmt not in ALLOWED_FORMATS:
                raise _not_an_image()
            if width * height > max_pixels:
                raise _too_many_pixels()
            try:
                image = Image.open(io.BytesIO(data))
                image.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels() from None
            except (OSError, SyntaxError, ValueError):
                raise _not_an_image() from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    # turn the pixels upright before the orientation tag is dropped with the rest of EXIF
    with suppress(Exception):
        image = ImageOps.exif_transpose(image)
    return image


def _not_an_image() -> ServiceError:
    return ServiceError(
        _("This file is not a photo. Upload a JPEG, PNG or WebP picture."), "not_an_image", "photo"
    )


def _too_many_pixels() -> ServiceError:
    return ServiceError(_("This picture has too many pixels."), "too_many_pixels", "photo")


def add_photo(
    listing: Listing, actor: User | None, stream, alt: dict | None = None
) -> ListingPhoto:
    """Check, re-encode and append a photo to `listing`; commits.

    Raises ServiceError too_many_photos, too_large, not_an_image, too_many_pixels.
    """
    if len(listing.photos) >= _limit("PHOTO_MAX_COUNT", MAX_PHOTOS):
        raise ServiceError(
            _("A listing has at most %(n)d photos.", n=_limit("PHOTO_MAX_COUNT", MAX_PHOTOS)),
            "too_many_photos",
            "photo",
        )
    data = read_limited(stream, _limit("PHOTO_MAX_BYTES", MAX_BYTES))
    image = open_image(data)
    clean_alt = {k: (v or "").strip()[:200] for k, v in (alt or {}).items() if (v or "").strip()}
    photo = photos.store_image(listing, image, clean_alt)
    db.session.flush()
    audit.record(listing, "photo_added", actor=actor, data={"photo_id": photo.id})
    db.session.commit()
    return photo


def add_photos(
    listing: Listing, actor: User | None, files: list[tuple[str, object]], alt: dict | None = None
) -> tuple[list[ListingPhoto], list[tuple[str, str]]]:
    """Add several photos, each checked and committed alone: a bad file is refused by its name
    and the good ones are kept. Answers (added photos, [(file name, reason)])."""
    added: list[ListingPhoto] = []
    refused: list[tuple[str, str]] = []
    for name, stream in files:
        try:
            added.append(add_photo(listing, actor, stream, alt))
        except ServiceError as exc:
            db.session.rollback()
            refused.append((name, exc.message))
    return added, refused


def _photo_of(listing: Listing, photo_id: int) -> ListingPhoto:
    photo = db.session.get(ListingPhoto, photo_id)
    if photo is None or photo.listing_id != listing.id:
        raise NotFound(_("No such photo."), "not_found")
    return photo


def move_photo(listing: Listing, actor: User, photo_id: int, offset: int) -> None:
    """Move a photo up (-1) or down (+1); the first photo is the listing's cover. Commits."""
    ordered = list(listing.photos)
    photo = _photo_of(listing, photo_id)
    index = ordered.index(photo)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position
    audit.record(listing, "photos_reordered", actor=actor)
    db.session.commit()


def set_alt(listing: Listing, actor: User, photo_id: int, alt: dict) -> None:
    photo = _photo_of(listing, photo_id)
    photo.alt = {k: (v or "").strip()[:200] for k, v in alt.items() if (v or "").strip()}
    db.session.commit()


def remove_photo(listing: Listing, actor: User, photo_id: int) -> None:
    photo = _photo_of(listing, photo_id)
    photos.delete_files(photo)
    listing.photos.remove(photo)
    for position, item in enumerate(listing.photos):
        item.position = position
    audit.record(listing, "photo_removed", actor=actor, data={"photo_id": photo_id})
    db.session.commit()
