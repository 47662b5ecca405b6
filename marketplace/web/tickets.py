"""The ticket page: whoever holds the link holds the ticket (the signed token is the credential).

The page is kept by a small service worker once opened, so it shows at a cave mouth with no
signal; it can be added to the home screen and printed.
"""

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_babel import get_locale

from ..gateways import qr
from ..models import Ticket
from ..services.booking import tickets

bp = Blueprint("tickets", __name__, url_prefix="/t")

#: the ticket's own pages may be cached by the phone; they are private to its holder
PRIVATE_CACHE = "private, max-age=86400"


def _ticket(secret: str) -> Ticket:
    """The ticket with this token, or 404."""
    ticket = tickets.get_by_secret(secret)
    if ticket is None:
        abort(404)
    return ticket


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = PRIVATE_CACHE
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/<secret>")
def show(secret: str):
    ticket = _ticket(secret)
    item = ticket.item
    text, _fallback = item.listing.text_for(str(get_locale()))
    response = current_app.make_response(
        render_template(
            "tickets/ticket.html",
            ticket=ticket,
            item=item,
            booking=item.booking,
            listing_text=text,
        )
    )
    return _private(response)


@bp.get("/<secret>/qr.svg")
def qr_svg(secret: str):
    ticket = _ticket(secret)
    return _private(Response(qr.render_svg(ticket.secret), mimetype="image/svg+xml"))


@bp.get("/<secret>/qr.png")
def qr_png(secret: str):
    ticket = _ticket(secret)
    return _private(Response(qr.render_png(ticket.secret), mimetype="image/png"))


@bp.get("/<secret>/manifest.webmanifest")
def web_manifest(secret: str):
    """Lets "add to home screen" open this very ticket."""
    ticket = _ticket(secret)
    response = current_app.response_class(
        render_template(
            "tickets/manifest.webmanifest",
            ticket=ticket,
            start_url=url_for("tickets.show", secret=ticket.secret),
        ),
        mimetype="application/manifest+json",
    )
    return _private(response)


@bp.get("/sw.js")
def service_worker():
    """Keeps every ticket page the phone has opened, for use with no signal."""
    response = current_app.send_static_file("js/ticket-sw.js")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
