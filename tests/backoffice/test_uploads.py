"""Photo uploads: judged by content, bounded in bytes, pixels and number; metadata dropped."""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from marketplace.extensions import db
from marketplace.models import Listing, ListingPhoto, Role
from marketplace.services.catalogue import photos, uploads
from marketplace.services.shared.errors import ServiceError
from tests.factories import login, make_listing


def jpeg_with_gps(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 51.0, 0.0), 3: "E", 4: (106.0, 45.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A tiny valid PNG whose header claims 1.6 gigapixels (its data would unpack to 4.8 GB)."""
    raw = zlib.compress(b"\x00" * 4, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_a_php_script_renamed_jpg_is_refused(client):
    listing = make_listing()
    login(client, listing.host)
    script = b"<?php system($_GET['cmd']); ?>\n"
    response = client.post(
        f"/host/listings/{listing.id}/photos?lang=en",
        data={"photo": (io.BytesIO(script), "holiday.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "not a photo" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(ListingPhoto).count() == 0
    with pytest.raises(ServiceError) as excinfo:
        uploads.add_photo(listing, None, io.BytesIO(script))
    assert excinfo.value.code == "not_an_image"


def test_a_30_mb_image_is_refused_before_decoding(app, client):
    listing = make_listing()
    big = io.BytesIO()
    # noise does not compress: a real 30 MB PNG
    Image.frombytes("RGB", (3200, 3300), os.urandom(3200 * 3300 * 3)).save(
        big, "PNG", compress_level=0
    )
    data = big.getvalue()
    assert len(data) > 30 * 1024 * 1024
    with pytest.raises(ServiceError) as excinfo:
        uploads.add_photo(listing, None, io.BytesIO(data))
    assert excinfo.value.code == "too_large"
    # over HTTP the request body limit answers first, with a page and no photo stored
    login(client, listing.host)
    response = client.post(
        f"/host/listings/{listing.id}/photos",
        data={"photo": (io.BytesIO(data), "big.png", "image/png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert db.session.query(ListingPhoto).count() == 0


def test_a_decompression_bomb_is_refused_from_its_header():
    listing = make_listing()
    bomb = png_bomb()
    assert len(bomb) < 200
    with pytest.raises(ServiceError) as excinfo:
        uploads.add_photo(listing, None, io.BytesIO(bomb))
    assert excinfo.value.code == "too_many_pixels"
    # below Pillow's own bomb threshold but above ours: still refused
    with pytest.raises(ServiceError) as excinfo:
        uploads.add_photo(listing, None, io.BytesIO(png_bomb(8_000, 8_000)))
    assert excinfo.value.code == "too_many_pixels"
    assert Image.MAX_IMAGE_PIXELS != uploads.MAX_PIXELS  # the global setting is restored


def test_a_photo_loses_its_location_and_is_resized(app, client):
    listing = make_listing()
    login(client, listing.host)
    original = jpeg_with_gps((1600, 1200))
    assert b"PhoneMaker" in original
    response = client.post(
        f"/host/listings/{listing.id}/photos",
        data={
            "photo": (io.BytesIO(original), "IMG_0001.JPG", "image/jpeg"),
            "alt-vi": "Phòng đôi nhìn ra ruộng",
            "alt-en": "Double room facing the rice fields",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    photo = db.session.query(ListingPhoto).one()
    assert photo.alt == {
        "vi": "Phòng đôi nhìn ra ruộng",
        "en": "Double room facing the rice fields",
    }
    assert photo.widths == [360, 720, 1200]
    for width in photo.widths:
        path = Path(app.config["UPLOAD_FOLDER"]) / f"{photo.stem}-{width}.jpg"
        data = path.read_bytes()
        assert b"PhoneMaker" not in data
        with Image.open(path) as stored:
            assert stored.format == "JPEG"
            assert stored.width == width
            assert not stored.getexif()
            assert stored.getexif().get_ifd(0x8825) == {}


def test_at_most_n_photos_and_they_reorder(app):
    app.config["PHOTO_MAX_COUNT"] = 3
    try:
        listing = make_listing()
        made = []
        for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255)):
            image = io.BytesIO()
            Image.new("RGB", (400, 300), color).save(image, "PNG")
            made.append(uploads.add_photo(listing, listing.host, io.BytesIO(image.getvalue())))
        with pytest.raises(ServiceError) as excinfo:
            uploads.add_photo(listing, listing.host, io.BytesIO(image.getvalue()))
        assert excinfo.value.code == "too_many_photos"
    finally:
        app.config.pop("PHOTO_MAX_COUNT")
    ids = [p.id for p in made]
    uploads.move_photo(listing, listing.host, ids[2], -1)
    db.session.expire_all()
    assert [p.id for p in db.session.get(Listing, listing.id).photos] == [ids[0], ids[2], ids[1]]
    uploads.remove_photo(listing, listing.host, ids[0])
    db.session.expire_all()
    remaining = db.session.get(Listing, listing.id).photos
    assert [(p.id, p.position) for p in remaining] == [(ids[2], 0), (ids[1], 1)]
    assert not (photos.upload_dir() / f"{made[0].stem}-360.jpg").exists()


def test_another_host_cannot_upload_to_my_listing(client):
    listing = make_listing()
    from tests.factories import make_user

    other = make_user(Role.HOST, community=listing.community)
    login(client, other)
    response = client.post(
        f"/host/listings/{listing.id}/photos",
        data={"photo": (io.BytesIO(jpeg_with_gps()), "a.jpg", "image/jpeg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert db.session.query(ListingPhoto).count() == 0
