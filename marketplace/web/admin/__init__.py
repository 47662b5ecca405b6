"""Back office for the village cooperative and the platform's admins."""

from flask import Blueprint

from ...models import Role
from ..security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(Role.COOP)
def _staff_only():
    """Every page here needs cooperative staff (their community only) or a platform admin."""


def load_views() -> None:
    """Import the view modules present; each registers its routes on `bp`."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
