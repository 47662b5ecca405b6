"""Back office for hosts: dashboard, listings, calendars, bookings, guests."""

from flask import Blueprint, request

from ...models import Role
from ..security import roles_required

bp = Blueprint("host", __name__, url_prefix="/host")

#: reached by other channels' servers with a secret in the URL instead of a login
PUBLIC_ENDPOINTS = {"host.ical_feed"}
#: guides open the guest lists of the departures they lead (the view checks which)
GUIDE_ENDPOINTS = {"host.manifest"}


@bp.before_request
def _hosts_only():
    """Every host page needs a logged-in host (or cooperative staff, or an admin)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint in GUIDE_ENDPOINTS:
        return _require_staff_or_guide()
    return _require_staff()


@roles_required(Role.HOST, Role.COOP, Role.GUIDE)
def _require_staff_or_guide():
    return None


@roles_required(Role.HOST, Role.COOP)
def _require_staff():
    return None


# the view modules, each adding its routes to `bp` (imported last: they import `bp`)
from . import (  # noqa: E402, F401
    bookings,
    calendar,
    dashboard,
    departures,
    listings,
    manifest,
    payments,
    registration,
)
