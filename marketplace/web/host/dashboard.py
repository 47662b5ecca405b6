"""The host's day at a glance."""

from flask import render_template
from flask_login import current_user

from ...models import BOOKING_STATUS_TITLES, Role
from ...services.backoffice import host_bookings, registration
from ..backoffice import locale
from . import bp


@bp.get("/")
def dashboard():
    undeclared = (
        registration.undeclared(current_user, locale=locale())
        if current_user.role == Role.HOST
        else []
    )
    return render_template(
        "host/dashboard.html",
        board=host_bookings.dashboard(current_user),
        undeclared=undeclared,
        deadline_hours=registration.deadline_hours(),
        statuses=BOOKING_STATUS_TITLES,
    )
