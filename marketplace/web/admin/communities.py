"""A community's settings: commission and fund rates, the bank account for VietQR.

Saving asks for a change; an admin who did not ask approves or rejects it (`money_settings`).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...models import Role
from ...models.setting_change import SettingChangeStatus
from ...models.states import Outcome
from ...services.backoffice import cooperative
from ...services.payments import money_settings
from ...services.shared import values
from ..backoffice import attempt, errors_of, or_404
from . import bp

CHANGE_STATUS_TITLES = {
    SettingChangeStatus.PENDING: _l("waiting for approval"),
    SettingChangeStatus.APPROVED: _l("approved"),
    SettingChangeStatus.REJECTED: _l("rejected"),
}
FIELD_TITLES = {
    "commission_rate_bp": _l("Platform commission"),
    "community_fund_rate_bp": _l("Community fund"),
    "bank_bin": _l("Bank code (BIN)"),
    "bank_account_number": _l("Account number"),
    "bank_account_name": _l("Account holder"),
}


@bp.get("/communities")
def communities():
    return render_template(
        "admin/communities.html",
        communities=cooperative.communities_of(current_user),
        pending_ids=money_settings.pending_community_ids(),
    )


@bp.route("/communities/<int:community_id>", methods=["GET", "POST"])
def community(community_id: int):
    """Show the settings; POST asks for a change (pending until an admin approves)."""
    community = or_404(cooperative.get_community, current_user, community_id)
    errors = {}
    if request.method == "POST":
        change, error = attempt(
            lambda: cooperative.update_community(
                current_user, community, _money_settings(request.form)
            )
        )
        if error is None:
            if change is None:
                flash(_("Nothing changed."), "info")
            else:
                flash(_("Saved: the change waits for an administrator's approval."), "success")
            return redirect(url_for("admin.community", community_id=community.id))
        errors = errors_of(error)
    return render_template(
        "admin/community.html",
        community=community,
        errors=errors,
        values=request.form,
        pending=money_settings.pending_change(community),
        history=money_settings.history(community),
        fields=money_settings.MONEY_FIELDS,
        field_titles=FIELD_TITLES,
        status_titles=CHANGE_STATUS_TITLES,
        can_decide=current_user.role == Role.ADMIN,
    ), (400 if errors else 200)


@bp.post("/setting-changes/<int:change_id>")
def decide_setting_change(change_id: int):
    """Approve or reject a pending change (`decision` = approve | reject); admins only, never the
    requester. 404 for an unknown change, 403 for anyone but an admin."""
    if current_user.role != Role.ADMIN:
        abort(403)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject"):
        abort(400)
    outcome, error = attempt(
        money_settings.decide,
        current_user,
        change_id,
        decision == "approve",
        note=request.form.get("note", ""),
    )
    if error is None:
        if outcome is Outcome.APPLIED:
            flash(
                _("Approved and applied.") if decision == "approve" else _("Rejected."), "success"
            )
        else:
            flash(_("This change was already decided."), "error")
    community_id = request.form.get("community_id", "")
    if community_id.isdigit() and len(community_id) < 10:
        return redirect(url_for("admin.community", community_id=int(community_id)))
    return redirect(url_for("admin.communities"))


def _money_settings(form) -> money_settings.MoneySettings:
    """The settings form as typed values; a wrong percentage raises ServiceError for its field."""
    return money_settings.MoneySettings(
        commission_rate_bp=values.parse_basis_points(
            form.get("commission_percent"), "commission_percent"
        ),
        community_fund_rate_bp=values.parse_basis_points(form.get("fund_percent"), "fund_percent"),
        bank_bin=form.get("bank_bin", ""),
        bank_account_number=form.get("bank_account_number", ""),
        bank_account_name=form.get("bank_account_name", ""),
    )
