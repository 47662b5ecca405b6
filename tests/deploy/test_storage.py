"""Photos in an S3 bucket: stored on upload, streamed back with cache headers, moved by the CLI."""

import io
from pathlib import Path

from PIL import Image

from marketplace.extensions import db
from marketplace.gateways.storage import LocalStorage, check_name, s3_client, storage
from marketplace.models import ListingPhoto
from marketplace.services.catalogue import photos, uploads
from tests.factories import login, make_listing


def jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def bucket_names(app) -> list[str]:
    client = s3_client(app.config)
    answer = client.list_objects_v2(Bucket=app.config["STORAGE_S3_BUCKET"])
    return sorted(item["Key"] for item in answer.get("Contents", []))


def test_an_upload_goes_to_the_bucket_and_is_served_from_it(s3_app, client):
    listing = make_listing()
    login(client, listing.host)
    response = client.post(
        f"/host/listings/{listing.id}/photos",
        data={"photo": (io.BytesIO(jpeg()), "village.jpg", "image/jpeg")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (302, 303)
    photo = db.session.query(ListingPhoto).one()
    names = [f"photos/{photo.stem}-{w}.jpg" for w in photo.widths]
    assert bucket_names(s3_app) == sorted(names)
    assert not list(Path(s3_app.config["UPLOAD_FOLDER"]).glob(f"{photo.stem}-*"))

    served = client.get(f"/media/{photo.stem}-{photo.widths[0]}.jpg")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(served.data)).width == photo.widths[0]
    assert "immutable" in served.headers["Cache-Control"]
    assert "max-age=31536000" in served.headers["Cache-Control"]
    etag = served.headers["ETag"]
    again = client.get(
        f"/media/{photo.stem}-{photo.widths[0]}.jpg", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.data == b""


def test_unknown_and_unsafe_names_are_404(s3_app, client):
    assert client.get("/media/0000000000000000-360.jpg").status_code == 404
    assert client.get("/media/../config.py").status_code == 404
    assert client.get("/media/a/b.jpg").status_code == 404


def test_removing_a_photo_deletes_its_objects(s3_app):
    listing = make_listing()
    uploads.add_photo(listing, listing.host, io.BytesIO(jpeg()))
    photo = db.session.query(ListingPhoto).one()
    assert bucket_names(s3_app)
    uploads.remove_photo(listing, listing.host, photo.id)
    assert bucket_names(s3_app) == []


def test_migrate_photos_copies_local_files_once(s3_app, tmp_path):
    folder, before = tmp_path / "uploads", s3_app.config["UPLOAD_FOLDER"]
    s3_app.config["UPLOAD_FOLDER"] = str(folder)
    try:
        local = LocalStorage(folder)
        local.put("abc123-360.jpg", jpeg((360, 200)), "image/jpeg")
        local.put("abc123-720.jpg", jpeg((720, 400)), "image/jpeg")
        runner = s3_app.test_cli_runner()
        first = runner.invoke(args=["storage", "migrate-photos"])
        assert first.exit_code == 0, first.output
        assert "photos copied: 2, already in the bucket: 0" in first.output
        second = runner.invoke(args=["storage", "migrate-photos", "--remove-local"])
        assert "photos copied: 0, already in the bucket: 2" in second.output
        assert bucket_names(s3_app) == ["photos/abc123-360.jpg", "photos/abc123-720.jpg"]
        assert local.names() == []
        assert storage("photos").size("abc123-720.jpg") == len(jpeg((720, 400)))
    finally:
        s3_app.config["UPLOAD_FOLDER"] = before


def test_local_storage_stays_the_default(app, client):
    listing = make_listing()
    photo = photos.store_image(listing, Image.new("RGB", (400, 300), (1, 2, 3)))
    db.session.commit()
    assert storage("photos").kind == "local"
    assert (Path(app.config["UPLOAD_FOLDER"]) / f"{photo.stem}-360.jpg").is_file()
    served = client.get(f"/media/{photo.stem}-360.jpg")
    assert served.status_code == 200 and "immutable" in served.headers["Cache-Control"]


def test_names_cannot_leave_their_area():
    for bad in ("../x.jpg", "a/b.jpg", "", ".hidden", "x" * 300):
        try:
            check_name(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")
