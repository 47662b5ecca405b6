"""Foreign guests' registration for temporary residence: export, print, mark declared.

Passport data is the lodging host's alone: cooperative staff and admins get 403 here.
"""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...clock import business_today
from ...countries import country_name
from ...models import Role
from ...services.backoffice import declaration, registration
from ..backoffice import attempt, csv_response, locale, optional_date
from ..exports import csv_files, xlsx_files
from ..security import safe_next
from . import bp


@bp.before_request
def _lodging_hosts_only():
    if (request.endpoint or "").startswith("host.registration") and (
        current_user.is_authenticated and current_user.role != Role.HOST
    ):
        abort(403)


def _range():
    today = business_today()
    first = optional_date(request.values.get("from")) or today - timedelta(days=7)
    last = optional_date(request.values.get("to")) or today + timedelta(days=7)
    if last < first:
        first, last = last, first
    return first, min(last, first + timedelta(days=366))


@bp.get("/registration")
def registration_index():
    first, last = _range()
    return render_template(
        "host/registration.html",
        rows=registration.guests_between(current_user, first, last, locale()),
        undeclared=registration.undeclared(current_user, locale=locale()),
        first=first,
        last=last,
        deadline_hours=registration.deadline_hours(),
        country_name=country_name,
        locale=locale(),
    )


@bp.get("/registration.csv")
def registration_csv():
    first, last = _range()
    rows = registration.guests_between(current_user, first, last, locale())
    return csv_response(csv_files.registration_csv(rows), f"guests-{first}-{last}.csv")


@bp.get("/registration.xlsx")
def registration_xlsx():
    """The temporary-residence declaration of these dates, as the immigration portal takes it."""
    first, last = _range()
    rows = registration.guests_between(current_user, first, last, locale())
    body = xlsx_files.declaration_xlsx(declaration.lines(current_user, rows))
    return Response(
        body,
        mimetype=xlsx_files.MIMETYPE,
        headers={
            "Content-Disposition": f'attachment; filename="khai-bao-tam-tru-{first}-{last}.xlsx"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/registration/print")
def registration_print():
    first, last = _range()
    rows = registration.guests_between(current_user, first, last, locale())
    return render_template(
        "host/registration_print.html",
        lines=declaration.lines(current_user, rows),
        headers=declaration.HEADERS,
        first=first,
        last=last,
    )


@bp.post("/registration/declared")
def registration_declared():
    ids = [int(i) for i in request.form.getlist("guest_id") if i.isdigit()]
    count, _error = attempt(registration.mark_declared, current_user, ids)
    if count:
        flash(_("Marked as declared."), "success")
    return redirect(safe_next(request.form.get("back"), url_for("host.registration_index")))
