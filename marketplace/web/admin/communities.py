"""A community's settings: commission and fund rates, the bank account for VietQR."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import cooperative
from ..backoffice import attempt, errors_of, or_404
from . import bp


@bp.get("/communities")
def communities():
    return render_template(
        "admin/communities.html", communities=cooperative.communities_of(current_user)
    )


@bp.route("/communities/<int:community_id>", methods=["GET", "POST"])
def community(community_id: int):
    community = or_404(cooperative.get_community, current_user, community_id)
    errors = {}
    if request.method == "POST":
        _done, error = attempt(
            cooperative.update_community,
            current_user,
            community,
            request.form,
            success=_("Saved."),
        )
        if error is None:
            return redirect(url_for("admin.community", community_id=community.id))
        errors = errors_of(error)
    return render_template(
        "admin/community.html", community=community, errors=errors, values=request.form
    ), (400 if errors else 200)
