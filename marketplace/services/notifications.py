"""Emails to tourists and hosts about their bookings, each in the recipient's language.

Mail is best effort: `bookings._after_commit()` calls `booking_event()` after the booking is
committed, so a refused message never undoes a booking.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..models import Booking, User
from . import booking_queries

EVENTS = ("received", "confirmed", "cancelled", "refunded", "move_offered")
#: events that concern the tourist alone (a late payment given back: the host lost nothing; the
#: choice between another departure and a refund after a closure)
TOURIST_ONLY = frozenset({"refunded", "move_offered"})


def booking_event(booking: Booking, event: str) -> list[str]:
    """Tell the tourist and each host that `booking` was received, confirmed or cancelled.

    With MAIL_IN_BACKGROUND (production) the messages are written and sent by a mail thread of
    this process, so a slow SMTP server never holds a booking request; returns [] then. Otherwise
    returns where each message went (outbox paths, or "smtp"). Raises ValueError for an unknown
    event; in the foreground mail transport errors propagate (the caller logs them).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown booking event {event!r}")
    links = _links(booking)  # built now: only the request knows its host name
    if current_app.config.get("MAIL_IN_BACKGROUND"):
        app = current_app._get_current_object()
        _executor().submit(_send_later, app, booking.id, event, links)
        return []
    return _send_all(booking, event, links)


def _links(booking: Booking) -> dict[str, str]:
    values = {"reference": booking.reference}
    if booking.tourist_id is None:
        from ..web.booking_access import booking_key

        values["key"] = booking_key(booking)
    return {
        "tourist": external_url("trips.detail", f"/trips/{booking.reference}", **values),
        "host": external_url("host.booking", f"/host/bookings/{booking.reference}"),
    }


def _send_all(booking: Booking, event: str, links: dict[str, str]) -> list[str]:
    sent = [_send_to_tourist(booking, event, links["tourist"])]
    if event in TOURIST_ONLY:
        return sent
    for host_id in sorted({item.host_id for item in booking.items}):
        host = db.session.get(User, host_id)
        if host is not None and host.email:
            sent.append(_send_to_host(booking, event, host, links["host"]))
    return sent


def _send_later(app, booking_id: int, event: str, links: dict[str, str]) -> None:
    with app.app_context():
        try:
            booking = db.session.get(Booking, booking_id)
            if booking is not None:
                _send_all(booking, event, links)
        except Exception:  # noqa: BLE001  (mail is best effort; log and carry on)
            app.logger.exception("background mail failed for booking %s", booking_id)
        finally:
            db.session.remove()


_executor_state: dict = {}


def _executor() -> ThreadPoolExecutor:
    """One mail thread per process (a forked gunicorn worker makes its own)."""
    if _executor_state.get("pid") != os.getpid():
        _executor_state.update(
            pid=os.getpid(),
            executor=ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail"),
        )
    return _executor_state["executor"]


def wait_for_background_mail(timeout: float = 30) -> None:
    """Block until the mail thread has sent what was queued before this call."""
    _executor().submit(lambda: None).result(timeout=timeout)


def _supported(locale: str | None) -> str:
    languages = current_app.config["LANGUAGES"]
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _send_to_tourist(booking: Booking, event: str, link: str) -> str:
    locale = _supported(booking.locale)
    with force_locale(locale):
        subjects = {
            "received": _("Booking %(reference)s received", reference=booking.reference),
            "confirmed": _("Booking %(reference)s confirmed", reference=booking.reference),
            "cancelled": _("Booking %(reference)s cancelled", reference=booking.reference),
            "refunded": _(
                "Booking %(reference)s: your payment is refunded", reference=booking.reference
            ),
            "move_offered": _(
                "Booking %(reference)s: your departure is cancelled, choose another one or a refund",
                reference=booking.reference,
            ),
        }
        context = dict(booking=booking, event=event, link=link, to_host=False, locale=locale)
        if event == "move_offered":
            from . import closures

            context["offer"] = closures.open_offer(booking)
        return _deliver(booking.contact_email, subjects[event], context)


def _send_to_host(booking: Booking, event: str, host: User, link: str) -> str:
    locale = _supported(host.locale)
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
