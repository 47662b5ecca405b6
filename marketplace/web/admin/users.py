"""Hosts' and guides' accounts of the cooperative's communities."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...models import Role
from ...services.backoffice import cooperative
from ..backoffice import attempt, errors_of, or_404
from . import bp


def _new_staff(form) -> cooperative.NewStaff:
    try:
        role = Role(form.get("role"))
    except ValueError:
        role = None  # the service names the field
    return cooperative.NewStaff(
        email=form.get("email", ""),
        role=role,
        name=form.get("name") or "",
        phone=form.get("phone") or None,
        password=form.get("password") or None,
    )


@bp.route("/users", methods=["GET", "POST"])
def users():
    communities = cooperative.communities_of(current_user)
    errors = {}
    if request.method == "POST":
        community = or_404(
            cooperative.get_community, current_user, request.form.get("community_id", 0, type=int)
        )
        created, error = attempt(
            cooperative.create_staff, current_user, community, _new_staff(request.form)
        )
        if created:
            user, password = created
            flash(
                _(
                    "Account created for %(email)s. First password: %(password)s",
                    email=user.email,
                    password=password,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
        errors = errors_of(error)
    return render_template(
        "admin/users.html",
        communities=communities,
        members={c.id: cooperative.members(c) for c in communities},
        errors=errors,
        values=request.form,
    ), (400 if errors else 200)


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int):
    user = or_404(cooperative.find_user, user_id)
    active = request.form.get("active") == "1"
    attempt(
        cooperative.set_active,
        current_user,
        user,
        active,
        request.form.get("note", ""),
        success=_("Account restored.") if active else _("Account suspended."),
    )
    return redirect(url_for("admin.users"))
