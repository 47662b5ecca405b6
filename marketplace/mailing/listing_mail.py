"""Emails to a host about the cooperative's decision on a listing: approved, sent back, suspended.

`listing_review.move_listing` emits `mail.listing_review` in the transaction that moves the
listing; the worker sends it once, in the host's language, with the reviewer's reason.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..i18n import localized, mail_locale
from ..models import Listing
from ..services.catalogue import listing_review
from ..services.shared import outbox
from ..services.shared.mail_delivery import send_mail_once
from .booking_mail import external_url


@outbox.handles(listing_review.MAIL_TOPIC)
def deliver_listing_review(payload: dict, message_id: int) -> int:
    listing = db.session.get(Listing, payload["listing_id"])
    if listing is None or listing.host is None:
        return 0
    host = listing.host
    locale = mail_locale(host.locale)
    link = external_url("host.listing_edit", f"/host/listings/{listing.id}", listing_id=listing.id)
    with force_locale(locale):
        text_row = listing.text_for(locale)[0]
        title = text_row.title if text_row else listing.key
        subjects = {
            "approved": _("%(listing)s is published", listing=title),
            "rejected": _("%(listing)s needs changes before it is published", listing=title),
            "suspended": _("%(listing)s is suspended", listing=title),
        }
        event = payload["event"]
        text = render_template(
            "email/listing_review.txt",
            subject=subjects[event],
            event=event,
            host=host,
            title=title,
            community=localized(listing.community.name, locale),
            note=payload.get("note") or "",
            link=link,
        )
    message = mail.build_message(
        current_app.config["MAIL_DEFAULT_SENDER"],
        host.email,
        subjects[event],
        text,
        language=locale,
    )
    return int(send_mail_once(message_id, f"user:{host.id}", message))
