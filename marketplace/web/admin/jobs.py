"""Jobs: outbox messages waiting or parked after their last failure; retry a parked one.

Platform admins only: a job's error may name any community's booking.
"""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from ...models import OUTBOX_STATUS_TITLES, OutboxStatus, Role
from ...services.shared import outbox
from ..backoffice import attempt
from ..security import roles_required
from . import bp


@bp.get("/jobs")
@roles_required(Role.ADMIN)
def jobs_page():
    return render_template(
        "admin/jobs.html",
        parked=outbox.messages((OutboxStatus.PARKED,)),
        pending=outbox.messages((OutboxStatus.PENDING,)),
        titles=OUTBOX_STATUS_TITLES,
        max_attempts=outbox.max_attempts(),
    )


@bp.post("/jobs/<int:message_id>/retry")
@roles_required(Role.ADMIN)
def retry_job(message_id: int):
    """Queue a parked job again. Raises 404 for an unknown job; a job not parked is refused."""
    attempt(outbox.retry, message_id, success=_("The job is queued again."))
    return redirect(url_for("admin.jobs_page"))
