"""The scanner web app for guides and hosts: camera, manual entry, today's manifest, offline.

The page calls the check-in API with the logged-in session and a CSRF token (see
web/api/checkins.py), so a guide needs nothing but an account. Its service worker keeps the page
and its scripts; scans made with no signal wait in IndexedDB and are synced when it returns.

A page opened from the phone's copy after the browser restarted carries a token of a session
that may be gone (the session cookie ends with the browser; the remember-me cookie starts a new
one). So before each sync the page asks `/checkin/session` for a fresh token: a GET that only
same-origin script can read (no CORS here), answering 401 when the login itself has ended.
"""

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..clock import business_today
from ..http import error_body
from ..services.booking.booking_access import SCANNER_ROLES
from ..services.checkin import checkin, guest_manifest
from ..services.checkin.checkin import result_message
from ..services.shared.errors import ServiceError
from .security import roles_required

bp = Blueprint("checkin", __name__, url_prefix="/checkin")

#: what the service worker keeps for use with no signal
OFFLINE_ASSETS = [
    "vendor/pico/pico.min.css",
    "css/app.css",
    "vendor/jsqr/jsQR.js",
    "vendor/noble-ed25519/index.js",
    "js/ticket-verify.js",
    "js/checkin-store.js",
    "js/reference.js",
    "js/scanner-net.js",
    "js/scanner-lists.js",
    "js/scanner-sync.js",
    "js/scanner-camera.js",
    "js/scanner.js",
]


@bp.get("", strict_slashes=False)
@roles_required(*SCANNER_ROLES)
def scanner():
    today = business_today()
    user = current_user._get_current_object()
    listings = guest_manifest.scannable_listings(user, today)
    selected = request.args.get("listing_id", type=int)
    if selected not in {listing.id for listing in listings}:
        selected = guest_manifest.opening_listing(user, today, listings)
    return render_template(
        "checkin/scanner.html",
        today=today,
        listings=listings,
        messages=_messages(),
        selected=selected,
        may_undo=user.role.value != "guide",
    )


@bp.get("/session")
def session_check():
    """A fresh CSRF token for the scanner's script, or 401 when the login has ended (JSON, never
    a redirect: the script must tell the guide to log in again)."""
    if not current_user.is_authenticated:
        body = error_body(
            "unauthorized", _("Your login has ended. Log in again to send the scans.")
        )
        response = jsonify(body)
        response.status_code = 401
    elif not checkin.may_scan(current_user):
        response = jsonify(error_body("forbidden", _("Your role may not do this.")))
        response.status_code = 403
    else:
        response = jsonify(csrf_token=generate_csrf(), user=current_user.name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _messages() -> dict:
    """The scanner's words, in the page's language, for the script."""
    return {
        "results": {
            **{code: result_message(code) for code in checkin.RESULTS},
            "not_on_list": _("Valid ticket, not on the downloaded list."),
            "unverified": _("Cannot check this code."),
        },
        "person": _("%(num)d person"),
        "people": _("%(num)d people"),
        "already_at": _("Checked in at %(time)s by %(name)s"),
        "already_at_anon": _("Checked in at %(time)s"),
        "offline_ok": _("Checked on this phone; it will be sent when the network is back."),
        "offline_reference": _("Found in today's list; it will be sent when the network is back."),
        "no_manifest": _("No guest list on this phone yet. Connect once to download it."),
        "collect": _("Collect %(amount)s at arrival."),
        "camera_error": _("The camera could not start. Type the booking reference instead."),
        "synced": _("Sent %(num)d queued scans."),
        "synced_one": _("Sent 1 queued scan."),
        "not_on_list_hint": _("Check the name; the scan is sent when the network is back."),
        "unverified": _("Cannot check this code: no guest list on this phone yet."),
        "for_listing": _("For %(title)s"),
        "sync_failed": _("Not sent (%(num)d waiting): %(reason)s"),
        "sync_retry": _("Next try in %(seconds)d s."),
        "sync_login": _("Log in again"),
        "sync_network": _("no connection"),
        "synced_at": _("Last sent at %(time)s."),
        "news_cancelled": _(
            "%(reference)s (%(name)s): admitted offline at %(time)s but the booking was "
            "cancelled meanwhile."
        ),
        "news_no_show": _(
            "%(reference)s (%(name)s): admitted offline at %(time)s but the booking was marked "
            "as no-show. The host can undo it."
        ),
        "news_also": _("%(reference)s (%(name)s): also scanned by another phone at %(time)s."),
        "news_also_by": _(
            "%(reference)s (%(name)s): also scanned by another phone at %(time)s (%(by)s)."
        ),
        "scan_problem": _("%(reference)s: %(message)s"),
        "undo": _("Undo"),
        "undone": _("Check-in undone."),
        "check_in": _("Check in"),
        "no_match": _("No guest by that name on this phone."),
        "cash_button": _("Cash received"),
        "cash_recorded": _("Cash recorded: %(amount)s."),
        "cash_offline": _("No signal: record the cash when the phone is back online."),
        "cash_failed": _("Not recorded. Reload the page and try again."),
        "cash_host_only": _("The host records the cash."),
        "arrived": _("arrived"),
        "expected": _("expected"),
    }


@bp.post("/cash")
@roles_required(*SCANNER_ROLES)
def cash():
    """The "Cash received" button of a green result: JSON {reference, amount} with the page's
    CSRF token in X-CSRFToken; answers {amount_due} or {error} with the service's status."""
    data = request.get_json(silent=True) or {}
    try:
        due = checkin.collect_cash(
            str(data.get("reference") or ""),
            current_user._get_current_object(),
            data.get("amount"),
        )
    except ServiceError as exc:
        return jsonify(error_body(exc.code, exc.message, exc.field)), exc.status
    return jsonify({"amount_due": due})


@bp.get("/sw.js")
def service_worker():
    """The scanner's service worker, allowed to control /checkin itself."""
    response = current_app.response_class(
        render_template(
            "checkin/sw.js",
            # plain paths (v=None: no content hash): the worker matches requests by path
            assets=[url_for("static", filename=path, v=None) for path in OFFLINE_ASSETS],
            page=url_for("checkin.scanner"),
        ),
        mimetype="text/javascript",
    )
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("checkin.scanner")
    return response


@bp.get("/manifest.webmanifest")
def web_manifest():
    return current_app.response_class(
        render_template(
            "checkin/manifest.webmanifest",
            name=_("Check-in scanner"),
            short_name=_("Check-in"),
            start_url=url_for("checkin.scanner"),
        ),
        mimetype="application/manifest+json",
    )
