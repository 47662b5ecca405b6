"""Uploaded photo renditions, served with a year-long cache from the `photos` storage area.

A rendition's name (`{random stem}-{width}.jpg`) never changes content, so browsers and proxies
may keep it for good: a new photo gets a new name.

With S3 storage the app streams the object from the bucket rather than redirecting to a
presigned URL: page addresses stay `/media/...` (stable, cacheable for a year, allowed by the
Content-Security-Policy's `img-src 'self'`), a presigned URL would expire under a browser's
cache and change on every page render, and the bucket stays private with no public endpoint.
The cost (a web thread per photo miss) is small: browsers and nginx keep what they fetched.
"""

from flask import Blueprint, Response, abort, current_app, request, send_from_directory

from ..gateways.storage import SAFE_NAME, storage, uses_s3

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


def _immutable(response: Response) -> Response:
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.get("/media/<path:filename>")
def photo(filename: str):
    """The file, or 404 for an unknown name or one reaching outside the folder."""
    if not uses_s3(current_app):
        return _immutable(
            send_from_directory(
                current_app.config["UPLOAD_FOLDER"], filename, max_age=ONE_YEAR, conditional=True
            )
        )
    if not SAFE_NAME.match(filename):
        abort(404)
    stored = storage("photos").open(filename)
    if stored is None:
        abort(404)
    if stored.etag and request.if_none_match.contains_raw(stored.etag):
        stored.close()
        return _immutable(Response(status=304, headers={"ETag": stored.etag}))
    response = Response(stored.chunks, mimetype=stored.content_type, direct_passthrough=True)
    response.content_length = stored.size
    response.call_on_close(stored.close)  # HEAD, or a client gone mid-photo: the body is freed
    if stored.etag:
        response.headers["ETag"] = stored.etag
    return _immutable(response)
