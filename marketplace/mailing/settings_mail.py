"""Emails about a community's money settings: a change asked for, approved or rejected.

`money_settings` emits `mail.settings_change` in the transaction that records the step; the
outbox worker calls `deliver_settings_change` after the commit, and each recipient (the
community's cooperative staff and the admins) gets the message once, in their language.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..gateways import mail
from ..i18n import localized, mail_locale
from ..models import User
from ..models.setting_change import SettingChange
from ..services.payments import money_settings
from ..services.shared import outbox
from ..services.shared.mail_delivery import send_mail_once
from .booking_mail import external_url


@outbox.handles(money_settings.MAIL_TOPIC)
def deliver_settings_change(payload: dict, message_id: int) -> int:
    """Send one message per recipient for one step of a setting change; returns how many went."""
    change = db.session.get(SettingChange, payload["change_id"])
    if change is None:
        return 0
    event = payload["event"]
    link = external_url(
        "admin.community",
        f"/admin/communities/{change.community_id}",
        community_id=change.community_id,
    )
    messages = [
        (f"user:{person.id}", _message(change, event, person, link))
        for person in money_settings.recipients(change.community)
    ]
    return sum(send_mail_once(message_id, part, message) for part, message in messages)


def _message(change: SettingChange, event: str, person: User, link: str):
    locale = mail_locale(person.locale)
    with force_locale(locale):
        name = localized(change.community.name, locale)
        subjects = {
            "requested": _(
                "%(community)s: a change of money settings waits for approval", community=name
            ),
            "approved": _(
                "%(community)s: the change of money settings is approved", community=name
            ),
            "rejected": _(
                "%(community)s: the change of money settings is rejected", community=name
            ),
        }
        labels = {
            "commission_rate_bp": _("Platform commission"),
            "community_fund_rate_bp": _("Community fund"),
            "bank_bin": _("Bank code (BIN)"),
            "bank_account_number": _("Account number"),
            "bank_account_name": _("Account holder"),
        }
        rows = [
            (
                labels[field],
                _shown(field, change.old_values.get(field)),
                _shown(field, change.new_values.get(field)),
            )
            for field in money_settings.MONEY_FIELDS
            if change.old_values.get(field) != change.new_values.get(field)
        ]
        text = render_template(
            "email/settings_change.txt",
            subject=subjects[event],
            event=event,
            person=person,
            change=change,
            community_name=name,
            rows=rows,
            link=link,
        )
    return mail.build_message(
        current_app.config["MAIL_DEFAULT_SENDER"],
        person.email,
        subjects[event],
        text,
        language=locale,
    )


def _shown(field: str, value) -> str:
    if value is None or value == "":
        return "-"
    if field.endswith("_rate_bp"):
        return f"{value / 100:g} %"
    return str(value)
