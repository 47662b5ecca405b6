"""Mail about a new message in a conversation: one per recipient, in their language.

`services.messages.post_message` emits `mail.message` in the transaction that stores the message;
the outbox worker calls `deliver_message` after the commit, and `send_mail_once` makes each
recipient's mail go once although the job may run twice.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..i18n import mail_locale
from ..models import Message
from ..services.booking import messages
from ..services.shared import outbox
from ..services.shared.mail_delivery import send_mail_once
from .booking_mail import external_url


@outbox.handles(messages.MAIL_TOPIC)
def deliver_message(payload: dict, message_id: int) -> int:
    """Mail every participant but the sender about one message; returns how many went now."""
    message = db.session.get(Message, payload["message_id"])
    if message is None:
        return 0
    built = [(person["part"], _build(message, person)) for person in messages.recipients(message)]
    return sum(send_mail_once(message_id, part, email) for part, email in built)


def _link(message: Message, person: dict) -> str:
    conversation = message.conversation
    if person["user"] is None:
        from ..web.booking_access import booking_key

        booking = conversation.booking
        return external_url(
            "messages.booking_thread",
            f"/messages/booking/{booking.reference}",
            reference=booking.reference,
            key=booking_key(booking),
        )
    return external_url(
        "messages.conversation",
        f"/messages/{conversation.id}",
        conversation_id=conversation.id,
    )


def _build(message: Message, person: dict):
    locale = mail_locale(person["locale"])
    conversation = message.conversation
    with force_locale(locale):
        sender = message.sender_name or _("Your traveller")
        if conversation.booking is not None:
            subject = _(
                "New message from %(name)s about booking %(reference)s",
                name=sender,
                reference=conversation.booking.reference,
            )
        else:
            subject = _("New message from %(name)s", name=sender)
        context = dict(
            subject=subject,
            message=message,
            name=person["name"],
            link=_link(message, person),
            locale=locale,
        )
        text = render_template("email/message.txt", **context)
        html = render_template("email/message.html", **context)
    return mail.build_message(
        current_app.config["MAIL_DEFAULT_SENDER"],
        person["email"],
        subject,
        text,
        html,
        language=locale,
    )
