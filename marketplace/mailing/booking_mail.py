"""Emails to tourists and hosts about their bookings, each in the recipient's language.

A booking's service emits `mail.booking_event` in the transaction that changes it
(`booking_events.announce`); the outbox worker calls `deliver_booking_event` after the commit, at least
once, and each recipient's message is sent once (`mail_delivery.send_mail_once`).
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..i18n import mail_locale
from ..models import Booking, User
from ..services.backoffice import departure_moves
from ..services.booking import booking_queries
from ..services.booking.booking_events import HOST_ONLY_EVENTS, TOURIST_ONLY_EVENTS
from ..services.shared import outbox
from ..services.shared.mail_delivery import send_mail_once
from . import booking_ticket


@outbox.handles("mail.booking_event")
def deliver_booking_event(payload: dict, message_id: int) -> int:
    """Send the tourist's and each host's message for one booking event; returns how many went."""
    booking = db.session.get(Booking, payload["booking_id"])
    if booking is None:
        return 0
    event = payload["event"]
    links = _links(booking)
    messages = []
    if event not in HOST_ONLY_EVENTS:  # a tourist who moved gets the confirmation, new ticket
        tourist_event = "confirmed" if event == "move_accepted" else event
        messages.append(("tourist", _to_tourist(booking, tourist_event, links["tourist"])))
    if event not in TOURIST_ONLY_EVENTS:
        for host_id in sorted({item.host_id for item in booking.items}):
            host = db.session.get(User, host_id)
            if host is not None and host.email:
                messages.append((f"host:{host_id}", _to_host(booking, event, host, links["host"])))
    return sum(send_mail_once(message_id, part, message) for part, message in messages)


def _links(booking: Booking) -> dict[str, str]:
    values = {"reference": booking.reference}
    if booking.tourist_id is None:
        from ..web.booking_access import booking_key

        values["key"] = booking_key(booking)
    return {
        "tourist": external_url("trips.detail", f"/trips/{booking.reference}", **values),
        "host": external_url("host.booking", f"/host/bookings/{booking.reference}"),
    }


def _to_tourist(booking: Booking, event: str, link: str):
    locale = mail_locale(booking.locale)
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
        context["reason"] = _reason(booking, event)
        if event == "move_offered":
            context["offer"] = departure_moves.open_offer(booking)
        if event == "confirmed":  # the ticket, the host, the place, the dates for the calendar
            details, images = booking_ticket.item_details(booking, locale, _ticket_url)
            context["details"] = details
            ics = booking_ticket.calendar_file(booking, details, link)
            return _build(
                booking.contact_email, subjects[event], context, inline=images, attachments=[ics]
            )
        return _build(booking.contact_email, subjects[event], context)


def _ticket_url(secret: str) -> str:
    return external_url("tickets.show", f"/t/{secret}", secret=secret)


def _to_host(booking: Booking, event: str, host: User, link: str):
    locale = mail_locale(host.locale)
    items = [item for item in booking.items if item.host_id == host.id]
    with force_locale(locale):
        subjects = {
            "received": _("New booking %(reference)s", reference=booking.reference),
            "confirmed": _("Booking %(reference)s is confirmed", reference=booking.reference),
            "cancelled": _("Booking %(reference)s was cancelled", reference=booking.reference),
            "move_offered": _(
                "Booking %(reference)s: departure cancelled, the guest was offered another one",
                reference=booking.reference,
            ),
            "move_accepted": _(
                "Booking %(reference)s: the guest moved to another departure",
                reference=booking.reference,
            ),
            "move_declined": _(
                "Booking %(reference)s: the guest chose a refund", reference=booking.reference
            ),
        }
        context = dict(
            booking=booking,
            event=event,
            link=link,
            to_host=True,
            host=host,
            items=items,
            locale=locale,
            reason=_reason(booking, event),
        )
        return _build(host.email, subjects[event], context)


def _reason(booking: Booking, event: str) -> str:
    """Why the booking was cancelled, or its departure (a closure): told to every recipient."""
    if event == "cancelled":
        return booking.cancel_reason or ""
    offer = departure_moves.latest_offer(booking.id) if event.startswith("move_") else None
    return offer.reason if offer is not None else ""


def _build(to: str, subject: str, context: dict, *, inline=(), attachments=()):
    context.setdefault("items", context["booking"].items)
    locale = context["locale"]
    context["item_title"] = lambda item: booking_queries.item_title(item, locale)
    text = render_template("email/booking.txt", subject=subject, **context)
    html = render_template("email/booking.html", subject=subject, **context)
    return mail.build_message(
        current_app.config["MAIL_DEFAULT_SENDER"],
        to,
        subject,
        text,
        html,
        language=locale,
        inline=inline,
        attachments=attachments,
    )


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
