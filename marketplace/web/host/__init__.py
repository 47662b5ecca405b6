"""Back office for hosts: dashboard, listings, calendars, bookings, guests."""

from flask import Blueprint

from ...models import Role
from ..security import roles_required

bp = Blueprint("host", __name__, url_prefix="/host")


@bp.before_request
@roles_required(Role.HOST, Role.COOP)
def _hosts_only():
    """Every host page needs a logged-in host (or cooperative staff, or an admin)."""


def load_views() -> None:
    """Import the view modules present; each registers its routes on `bp`."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
