"""Catalogue reads: no token needed."""

from flask import jsonify

from ...i18n import localized
from ...services import catalogue
from . import bp


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


@bp.get("/communities")
def communities():
    locale = _locale()
    return jsonify(
        items=[
            {
                "slug": c.slug,
                "name": localized(c.name, locale),
                "province": c.province,
                "listing_count": count,
            }
            for c, count in catalogue.communities_with_counts()
        ]
    )
