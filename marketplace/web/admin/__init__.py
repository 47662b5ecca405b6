"""Back office for the village cooperative and the platform's admins."""

from flask import Blueprint

from ...models import Role
from ..security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(Role.COOP)
def _staff_only():
    """Every page here needs cooperative staff (their community only) or a platform admin."""


# the view modules, each adding its routes to `bp` (imported last: they import `bp`)
from . import (  # noqa: E402, F401
    approvals,
    closures,
    communities,
    dashboard,
    jobs,
    ledger,
    payouts,
    rates,
    reconciliation,
    refund_check,
    refunds,
    statistics,
    users,
)
