"""Emails to tourists and hosts about their bookings, each in the recipient's language.

Mail is best effort: `bookings._after_commit()` calls `booking_event()` after the booking is
committed, so a refused message never undoes a booking.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..models import Booking, User
from . import booking_queries

EVENTS = ("received", "confirmed", "cancelled")


def booking_event(booking: Booking, event: str) -> list[str]:
    """Tell the tourist and each host that `booking` was received, confirmed or cancelled.

    Returns where each message went (outbox paths, or "smtp"). Raises ValueError for an unknown
    event; mail transport errors propagate (the caller logs them).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown booking event {event!r}")
    sent = [_send_to_tourist(booking, event)]
    for host_id in sorted({item.host_id for item in booking.items}):
        host = db.session.get(User, host_id)
        if host is not None and host.email:
            sent.append(_send_to_host(booking, event, host))
    return sent


def _supported(locale: str | None) -> str:
    languages = current_app.config["LANGUAGES"]
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _send_to_tourist(booking: Booking, event: str) -> str:
    locale = _supported(booking.locale)
    values = {"reference": booking.reference}
    if booking.tourist_id is None:
        from ..web.booking_access import booking_key

        values["key"] = booking_key(booking)
    link = external_url("trips.detail", f"/trips/{booking.reference}", **values)
    with force_locale(locale):
        subjects = {
            "received": _("Booking %(reference)s received", reference=booking.reference),
            "confirmed": _("Booking %(reference)s confirmed", reference=booking.reference),
            "cancelled": _("Booking %(reference)s cancelled", reference=booking.reference),
        }
        context = dict(booking=booking, event=event, link=link, to_host=False, locale=locale)
        return _deliver(booking.contact_email, subjects[event], context)


def _send_to_host(booking: Booking, event: str, host: User) -> str:
    locale = _supported(host.locale)
    link = external_url("host.booking", f"/host/bookings/{booking.reference}")
    items = [item for item in booking.items if item.host_id == host.id]
    with force_locale(locale):
        subjects = {
            "received": _("New booking %(reference)s", reference=booking.reference),
            "confirmed": _("Booking %(reference)s is confirmed", reference=booking.reference),
            "cancelled": _("Booking %(reference)s was cancelled", reference=booking.reference),
        }
        context = dict(
            booking=booking,
            event=event,
            link=link,
            to_host=True,
            host=host,
            items=items,
            locale=locale,
        )
        return _deliver(host.email, subjects[event], context)


def _deliver(to: str, subject: str, context: dict) -> str:
    context.setdefault("items", context["booking"].items)
    locale = context["locale"]
    context["item_title"] = lambda item: booking_queries.item_title(item, locale)
    text = render_template("email/booking.txt", subject=subject, **context)
    html = render_template("email/booking.html", subject=subject, **context)
    message = mail.build_message(current_app.config["MAIL_DEFAULT_SENDER"], to, subject, text, html)
    return mail.send(message, current_app.config)


def external_url(endpoint: str, path: str, **values) -> str:
    """An absolute link: url_for within a request, else built on BASE_URL (CLI, jobs)."""
    if has_request_context() and endpoint in current_app.view_functions:
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config.get("BASE_URL") or "http://localhost")
    if endpoint in current_app.view_functions:
        adapter = current_app.url_map.bind(
            base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
        )
        return adapter.build(endpoint, values, force_external=True)
    query = "&".join(f"{k}={v}" for k, v in values.items() if k != "reference")
    root = f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}"
    return f"{root}{path}" + (f"?{query}" if query else "")
