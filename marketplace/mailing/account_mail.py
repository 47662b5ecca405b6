"""Account mails: confirm your address, reset your password, someone tried to sign up as you.

`accounts` emits `mail.account` with the kind and the user id in the transaction that asks for
it; the link is signed here, at delivery, so no secret link is ever stored in the outbox table.
Each message goes once (`send_mail_once`), in the user's language.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..i18n import mail_locale
from ..models import User
from ..services.accounts import account_tokens
from ..services.accounts.accounts import MAIL_TOPIC
from ..services.shared import outbox
from ..services.shared.mail_delivery import send_mail_once
from .booking_mail import external_url

KINDS = ("verify", "reset", "signup_attempt")


@outbox.handles(MAIL_TOPIC)
def deliver_account_mail(payload: dict, message_id: int) -> int:
    """Send one account mail; returns 1 when it went now, 0 when there is nothing (more) to send."""
    kind = payload.get("kind")
    user = db.session.get(User, payload.get("user_id") or 0)
    if user is None or kind not in KINDS or not user.active:
        return 0
    if kind == "verify" and user.email_verified_at is not None:
        return 0
    return int(send_mail_once(message_id, kind, _message(user, kind)))


def _message(user: User, kind: str):
    locale = mail_locale(user.locale)
    with force_locale(locale):
        if kind == "verify":
            subject = _("Confirm your email address")
            link = external_url(
                "account.verify",
                "/account/verify",
                token=account_tokens.verification_token(user),
            )
        elif kind == "reset":
            subject = _("Choose a new password")
            link = external_url(
                "account.reset_password",
                "/account/reset",
                token=account_tokens.reset_token(user),
            )
        else:
            subject = _("Someone tried to create an account with your address")
            link = external_url("account.forgot_password", "/account/forgot")
        context = dict(user=user, kind=kind, link=link, subject=subject, locale=locale)
        text = render_template("email/account.txt", **context)
        html = render_template("email/account.html", **context)
    return mail.build_message(
        current_app.config["MAIL_DEFAULT_SENDER"], user.email, subject, text, html, language=locale
    )
