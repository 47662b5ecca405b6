"""Pages for tourists: home, communities."""

from flask import Blueprint, abort, render_template

from ..services import catalogue

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html", communities=catalogue.communities_with_counts())


@bp.get("/c/<slug>")
def community(slug: str):
    """A village's page. 404 for an unknown slug."""
    community = catalogue.community_by_slug(slug)
    if community is None:
        abort(404)
    return render_template("public/community.html", community=community)
