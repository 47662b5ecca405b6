"""Refunds that do not add up (the daily refund check, read afresh). Platform admins only."""

from flask import render_template

from ...models import Role
from ...services.payments import refund_check
from ..security import roles_required
from . import bp


@bp.get("/refund-check")
@roles_required(Role.ADMIN)
def refund_check_page():
    return render_template(
        "admin/refund_check.html", mismatches=refund_check.find_refund_mismatches()
    )
