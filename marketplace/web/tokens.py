"""The account's API tokens: see them (name, made, last used) and revoke them."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services.accounts import api_tokens
from ..services.shared.errors import NotFound, ServiceError

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


@bp.get("")
@login_required
def index():
    return render_template(
        "account/tokens.html", tokens=api_tokens.tokens_of(current_user), new_token=None
    )


@bp.post("")
@login_required
def create():
    """Make a token and show it once (only its hash is kept)."""
    try:
        token = api_tokens.create_token(current_user, request.form.get("name", ""))
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("tokens.index"))
    return render_template(
        "account/tokens.html", tokens=api_tokens.tokens_of(current_user), new_token=token
    )


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Raises 404 for a token of another account."""
    try:
        api_tokens.revoke_token(current_user, token_id)
    except NotFound:
        return render_template(
            "errors/error.html", title=_("Not found"), message=_("No such token.")
        ), 404
    flash(_("The token is revoked; programs using it are refused from now on."), "success")
    return redirect(url_for("tokens.index"))
