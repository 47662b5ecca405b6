"""Check-in API: scan a ticket, download the day's manifest, sync scans made offline.

Two ways in: a bearer token (partners' apps, scripts), or the session of a logged-in guide, host
or cooperative member with the page's CSRF token in an `X-CSRFToken` header. The second is what
the /checkin scanner page uses: a guide logs in once on the phone and needs no token to paste,
and the CSRF header keeps other sites from posting scans with that cookie.
"""

from datetime import datetime
from functools import wraps

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from ...clock import business_today
from ...models.states import Outcome
from ...services import checkin, checkin_sync, checkin_undo, guest_manifest
from ...services.booking_requests import parse_date
from ..security import bearer_user
from . import ApiError, bp, json_body


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


def _listing_id(value, field: str = "listing_id") -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "invalid", _("Must be a whole number."), field) from None
    if number < 1 or isinstance(value, bool):
        raise ApiError(400, "invalid", _("Must be a whole number."), field)
    return number


def _secret(value, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, "required", _("The scanned code is required."), field)
    if len(value) > 512:
        raise ApiError(400, "invalid", _("This code is too long."), field)
    return value.strip()


def _scanned_at(value, field: str) -> datetime:
    if not isinstance(value, str):
        raise ApiError(400, "required", _("The time of the scan is required."), field)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, "invalid", _("Use an ISO 8601 time with offset."), field) from None
    if moment.tzinfo is None:
        raise ApiError(400, "invalid", _("Use an ISO 8601 time with offset."), field)
    return moment


@bp.post("/checkins")
@scanner_required
def create_checkin():
    """Judge one scan and check the ticket in; the result code says how it went (always 200)."""
    data = json_body()
    secret = _secret(data.get("secret") or data.get("reference"), "secret")
    result = checkin.perform_checkin(
        secret,
        g.api_user,
        listing_id=_listing_id(data.get("listing_id")),
        device_id=str(data.get("device_id") or "")[:64],
    )
    return jsonify(result.to_json())


@bp.get("/checkins/manifest")
@scanner_required
def checkin_manifest():
    day = parse_date(request.args["date"], "date") if request.args.get("date") else business_today()
    return jsonify(
        guest_manifest.manifest(g.api_user, _listing_id(request.args.get("listing_id")), day)
    )


@bp.post("/checkins/sync")
@scanner_required
def sync_checkins():
    """Scans made offline; one result per scan, in order; the earliest scan of a ticket wins.

    With `device_id` (and `since`, the `cursor` of the last answer) the answer also carries
    `news` about the tickets this device scanned: another phone scanned them too, or the booking
    had been cancelled before the scan arrived. An empty `scans` list only asks for news.
    """
    data = json_body()
    raw = data.get("scans")
    if not isinstance(raw, list):
        raise ApiError(400, "required", _("A list of scans is required."), "scans")
    if len(raw) > checkin.MAX_SYNC_SCANS:
        raise ApiError(400, "too_many", _("Too many scans at once."), "scans")
    scans = []
    for index, scan in enumerate(raw):
        prefix = f"scans[{index}]"
        if not isinstance(scan, dict):
            raise ApiError(400, "invalid", _("Each scan must be an object."), prefix)
        scans.append(
            {
                "secret": _secret(scan.get("secret"), f"{prefix}.secret"),
                "scanned_at": _scanned_at(scan.get("scanned_at"), f"{prefix}.scanned_at"),
                "device_id": str(scan.get("device_id") or "")[:64],
                "listing_id": _listing_id(scan.get("listing_id"), f"{prefix}.listing_id"),
            }
        )
    since = data.get("since")
    answer = checkin_sync.sync(
        scans,
        g.api_user,
        device_id=str(data.get("device_id") or "")[:64],
        since=None if since in (None, "") else _scanned_at(since, "since"),
    )
    return jsonify(
        results=[result.to_json() for result in answer.results],
        news=answer.news,
        cursor=answer.cursor.isoformat(),
    )


@bp.post("/checkins/undo")
@scanner_required
def undo_checkin():
    """A host takes back a check-in: {ticket_id, reason?} -> {outcome: applied | already};
    409 `not_undoable` when the ticket is void or the booking settled; 403 for a guide."""
    data = json_body()
    ticket_id = _listing_id(data.get("ticket_id"), "ticket_id")
    if ticket_id is None:
        raise ApiError(400, "required", _("Which ticket?"), "ticket_id")
    outcome = checkin_undo.undo_checkin(ticket_id, g.api_user, reason=str(data.get("reason") or ""))
    if outcome is Outcome.REFUSED:
        raise ApiError(409, "not_undoable", checkin_undo.refused_message())
    return jsonify(outcome=outcome.value, ticket_id=ticket_id)


_RESULT = {
    "type": "object",
    "required": ["result", "booking", "checked_in_at", "first_checked_in_at"],
    "properties": {
        "result": {"type": "string", "enum": list(checkin.RESULTS)},
        "message": {"type": "string"},
        "booking": {
            "type": ["object", "null"],
            "properties": {
                "reference": {"type": "string"},
                "contact_name": {"type": "string"},
                "admits": {"type": "integer"},
                "amount_due": {"type": "integer"},
            },
        },
        "checked_in_at": {"type": ["string", "null"], "format": "date-time"},
        "first_checked_in_at": {"type": ["string", "null"], "format": "date-time"},
        "checked_in_by": {"type": ["string", "null"]},
        "conflict": {"type": "boolean"},
        "duplicate": {"type": "boolean"},
    },
}
_NEWS = {
    "type": "object",
    "required": ["id", "kind", "ticket_id", "reference"],
    "properties": {
        "id": {"type": "string", "description": "Stable: the same news may come twice"},
        "kind": {"type": "string", "enum": ["also_scanned", "cancelled", "no_show"]},
        "ticket_id": {"type": "integer"},
        "reference": {"type": "string"},
        "contact_name": {"type": "string"},
        "scanned_at": {"type": "string", "format": "date-time"},
        "by": {"type": ["string", "null"]},
    },
}
_AUTH = [{"bearer": []}, {"session": []}]
_ERRORS = {
    "400": {"description": "Invalid input (the field is named)"},
    "401": {"description": "No valid token or session"},
    "403": {"description": "Role may not scan, or not staff of this community"},
}

OPENAPI_PATHS = {
    "/checkins": {
        "post": {
            "summary": "Check a ticket in",
            "tags": ["check-in"],
            "security": _AUTH,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["secret"],
                            "properties": {
                                "secret": {
                                    "type": "string",
                                    "description": "QR text, or a booking reference typed by hand",
                                },
                                "listing_id": {"type": "integer"},
                                "device_id": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The result of the scan",
                    "content": {"application/json": {"schema": _RESULT}},
                },
                **_ERRORS,
            },
        }
    },
    "/checkins/manifest": {
        "get": {
            "summary": "Tickets valid on a day, with the public key to verify them offline",
            "tags": ["check-in"],
            "security": _AUTH,
            "parameters": [
                {"name": "listing_id", "in": "query", "schema": {"type": "integer"}},
                {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"}},
            ],
            "responses": {
                "200": {
                    "description": "The manifest",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "date": {"type": "string", "format": "date"},
                                    "listing_id": {"type": ["integer", "null"]},
                                    "public_key": {"type": "string"},
                                    "reference": {
                                        "type": "object",
                                        "description": "The booking reference format, for "
                                        "reading a typed reference offline",
                                        "properties": {
                                            "pattern": {"type": "string"},
                                            "prefix_length": {"type": "integer"},
                                            "length": {"type": "integer"},
                                            "max_length": {"type": "integer"},
                                        },
                                    },
                                    "tickets": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        }
                    },
                },
                "404": {"description": "Unknown listing"},
                **_ERRORS,
            },
        }
    },
    "/checkins/sync": {
        "post": {
            "summary": "Send scans made offline; the earliest scan of a ticket wins",
            "tags": ["check-in"],
            "security": _AUTH,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["scans"],
                            "properties": {
                                "scans": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["secret", "scanned_at"],
                                        "properties": {
                                            "secret": {"type": "string"},
                                            "scanned_at": {"type": "string", "format": "date-time"},
                                            "device_id": {"type": "string"},
                                            "listing_id": {"type": "integer"},
                                        },
                                    },
                                },
                                "device_id": {
                                    "type": "string",
                                    "description": "This phone: news about its scans come back",
                                },
                                "since": {
                                    "type": "string",
                                    "format": "date-time",
                                    "description": "The cursor of the last answer",
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "One result per scan, in order",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "results": {"type": "array", "items": _RESULT},
                                    "news": {"type": "array", "items": _NEWS},
                                    "cursor": {"type": "string", "format": "date-time"},
                                },
                            }
                        }
                    },
                },
                **_ERRORS,
            },
        }
    },
    "/checkins/undo": {
        "post": {
            "summary": "Take back a check-in (hosts, cooperative, admins)",
            "tags": ["check-in"],
            "security": _AUTH,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["ticket_id"],
                            "properties": {
                                "ticket_id": {"type": "integer"},
                                "reason": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {"description": "`outcome`: applied, or already (was not checked in)"},
                "404": {"description": "Unknown ticket"},
                "409": {"description": "not_undoable: the ticket is void or the booking settled"},
                **_ERRORS,
            },
        }
    },
}
