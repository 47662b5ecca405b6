"""Mail to the host when another site's calendar closes nights a confirmed booking here holds.

`calendars.sync_calendar` emits `mail.calendar_conflict` in the transaction that records the
block; this handler mails the listing's host once, in their language, naming each booking and
its nights. The booking itself is left alone.
"""

from datetime import date

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..i18n import localized, mail_locale
from ..models import Listing, RoomType
from ..services.catalogue import calendar_conflicts
from ..services.shared import outbox
from ..services.shared.mail_delivery import send_mail_once
from .booking_mail import external_url


@outbox.handles(calendar_conflicts.MAIL_TOPIC)
def deliver_calendar_conflict(payload: dict, message_id: int) -> int:
    """Mail the host about one sync's overlaps; returns 1 when it went now."""
    listing = db.session.get(Listing, payload["listing_id"])
    room_type = db.session.get(RoomType, payload["room_type_id"])
    if listing is None or room_type is None or listing.host is None:
        return 0
    host = listing.host
    locale = mail_locale(host.locale)
    with force_locale(locale):
        title = listing.key
        for text in listing.texts:
            if text.locale == locale and text.title:
                title = text.title
        subject = _(
            "%(listing)s: another site's calendar overlaps confirmed bookings", listing=title
        )
        rows = [
            (
                row["reference"],
                ", ".join(format_date(date.fromisoformat(n), "medium") for n in row["nights"]),
            )
            for row in payload["bookings"]
        ]
        text = render_template(
            "email/calendar_conflict.txt",
            subject=subject,
            host=host,
            room_type_name=localized(room_type.name, locale),
            url=payload.get("url", ""),
            rows=rows,
            link=external_url(
                "host.calendar",
                f"/host/calendar/{listing.id}",
                listing_id=listing.id,
                month=payload["bookings"][0]["nights"][0][:7],
            ),
        )
    message = mail.build_message(
        current_app.config["MAIL_DEFAULT_SENDER"], host.email, subject, text, language=locale
    )
    return int(send_mail_once(message_id, f"user:{host.id}", message))
