"""The cooperative's overview: what waits for a decision, and where to go next."""

from flask import render_template
from flask_login import current_user

from ...services.backoffice import cooperative
from ...services.catalogue import listings
from . import bp


@bp.get("/")
def dashboard():
    return render_template(
        "admin/dashboard.html",
        pending=listings.pending_review(current_user),
        communities=cooperative.communities_of(current_user),
    )
