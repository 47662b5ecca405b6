"""Uploaded photo renditions, served from UPLOAD_FOLDER with a year-long cache.

A rendition's name (`{random stem}-{width}.jpg`) never changes content, so browsers and proxies
may keep it for good: a new photo gets a new name.
"""

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/media/<path:filename>")
def photo(filename: str):
    """The file, or 404 for an unknown name or one reaching outside the folder."""
    response = send_from_directory(
        current_app.config["UPLOAD_FOLDER"], filename, max_age=ONE_YEAR, conditional=True
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
