"""Check-in API: scan a ticket, download the day's manifest, sync scans made offline.

Two ways in: a bearer token (partners' apps, scripts), or the session of a logged-in guide, host
or cooperative member with the page's CSRF token in an `X-CSRFToken` header. The second is what
the /checkin scanner page uses: a guide logs in once on the phone and needs no token to paste,
and the CSRF header keeps other sites from posting scans with that cookie.
"""

from functools import wraps

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from ...clock import business_today
from ...models.states import Outcome
from ...services.checkin import checkin, checkin_sync, checkin_undo, guest_manifest
from ..schemas.checkins import (
    CheckinRequest,
    CheckinResult,
    Manifest,
    ManifestQuery,
    SyncRequest,
    SyncResults,
    Undone,
    UndoRequest,
)
from ..security import bearer_user
from . import ApiError, bp
from .openapi import BEARER, SESSION, endpoint

SCANNERS = [BEARER, SESSION]
ERRORS = {
    400: "Invalid input (the field is named), or csrf: the page's CSRF token is missing",
    401: "No valid token or session",
    403: "The role may not scan, or not staff of this community",
}


def scanner_required(view):
    """A scanner (guide, host, cooperative, admin) by bearer token or by session + CSRF header.

    401 without either; 403 `forbidden` for other roles; 400 `csrf` for a session call without
    a valid CSRF token.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        user = None
        if request.headers.get("Authorization", "").startswith("Bearer "):
            user = bearer_user()
        elif current_user.is_authenticated:
            _check_csrf()
            user = current_user._get_current_object()
        if user is None:
            raise ApiError(401, "unauthorized", _("A valid bearer token is required."))
        if not checkin.may_scan(user):
            raise ApiError(403, "forbidden", _("Your role may not do this."))
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped


def _check_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except (ValidationError, CSRFError) as exc:
        raise ApiError(400, "csrf", _("The page expired. Please reload it.")) from exc


def _secret(value: str | None) -> str:
    if not value:
        raise ApiError(400, "required", _("The scanned code is required."), "secret")
    return value


@bp.post("/checkins")
@scanner_required
@endpoint(
    tag="check-in",
    security=SCANNERS,
    answers={200: (CheckinResult, "How the scan went: `result`")},
    errors=ERRORS,
)
def create_checkin(json: CheckinRequest):
    """Check a ticket in

    Judges one scan and checks the ticket in; `result` says how it went (always 200).
    """
    result = checkin.perform_checkin(
        _secret(json.secret or json.reference),
        g.api_user,
        listing_id=json.listing_id,
        device_id=json.device_id or "",
    )
    return jsonify(result.to_json())


@bp.get("/checkins/manifest")
@scanner_required
@endpoint(
    tag="check-in",
    security=SCANNERS,
    answers={200: (Manifest, "The manifest")},
    errors={**ERRORS, 404: "Unknown listing"},
)
def checkin_manifest(query: ManifestQuery):
    """Tickets valid on a day, with the public key to verify them offline"""
    day = query.date or business_today()
    return jsonify(guest_manifest.manifest(g.api_user, query.listing_id, day))


@bp.post("/checkins/sync")
@scanner_required
@endpoint(
    tag="check-in",
    security=SCANNERS,
    answers={200: (SyncResults, "One result per scan, in order")},
    errors=ERRORS,
)
def sync_checkins(json: SyncRequest):
    """Send scans made offline; the earliest scan of a ticket wins

    With `device_id` (and `since`, the `cursor` of the last answer) the answer also carries
    `news` about the tickets this device scanned: another phone scanned them too, or the booking
    had been cancelled before the scan arrived. An empty `scans` list only asks for news.
    """
    answer = checkin_sync.sync(
        [scan.model_dump() for scan in json.scans],
        g.api_user,
        device_id=json.device_id or "",
        since=json.since,
    )
    return jsonify(
        results=[result.to_json() for result in answer.results],
        news=answer.news,
        cursor=answer.cursor.isoformat(),
    )


@bp.post("/checkins/undo")
@scanner_required
@endpoint(
    tag="check-in",
    security=SCANNERS,
    answers={200: (Undone, "Taken back, or was not checked in")},
    errors={
        **ERRORS,
        404: "Unknown ticket",
        409: "not_undoable: the ticket is void or the booking settled",
    },
)
def undo_checkin(json: UndoRequest):
    """Take back a check-in (hosts, cooperative, admins)

    403 for a guide.
    """
    ticket_id = json.ticket_id
    outcome = checkin_undo.undo_checkin(ticket_id, g.api_user, reason=json.reason or "")
    if outcome is Outcome.REFUSED:
        raise ApiError(409, "not_undoable", checkin_undo.refused_message())
    return jsonify(outcome=outcome.value, ticket_id=ticket_id)
