"""The visitor's second currency: chosen with `?currency=`, remembered in the session.

Templates call `approx(amount)` right after `vnd(amount)`; it shows "≈ US$47.15" when the visitor
sees a currency other than the dong and an admin has set its rate, and nothing otherwise.
"""

from babel.numbers import format_currency
from flask import Blueprint, g, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..money import format_vnd
from ..services.catalogue import exchange_rates

bp = Blueprint("currency", __name__)

SESSION_KEY = "currency"
#: the choice "dong only"
NO_CURRENCY = "VND"
#: what a visitor sees before choosing, by page language (Vietnamese: the dong alone)
DEFAULT_BY_LOCALE = {"en": "USD", "zh": "CNY", "ko": "KRW"}


@bp.before_app_request
def _remember_choice():
    asked = (request.args.get("currency") or "").strip().upper()
    if asked in exchange_rates.CURRENCIES or asked == NO_CURRENCY:
        session[SESSION_KEY] = asked


def _locale() -> str:
    return str(get_locale() or "vi")


def display_currency() -> str | None:
    """The currency shown beside the dong on this request, or None for the dong alone."""
    if not has_request_context():  # mail and jobs: no visitor, no second currency
        return None
    chosen = session.get(SESSION_KEY)
    if chosen == NO_CURRENCY:
        return None
    if chosen in exchange_rates.CURRENCIES:
        return chosen
    return DEFAULT_BY_LOCALE.get(_locale())


def _rate():
    """The display currency's rate, read once per request."""
    if "display_rate" not in g:
        currency = display_currency()
        g.display_rate = (currency, exchange_rates.rate_for(currency) if currency else None)
    return g.display_rate


def approx_text(amount) -> str:
    """ "≈ US$47.15" for `amount` dong, or "" without a display currency or a rate."""
    if not has_request_context() or isinstance(amount, bool) or not isinstance(amount, int):
        return ""
    currency, rate = _rate()
    if rate is None or amount < 0:
        return ""
    value = exchange_rates.convert(amount, rate, currency)
    return "≈ " + format_currency(value, currency, locale=_locale())


def approx(amount) -> Markup:
    text = approx_text(amount)
    if not text:
        return Markup("")
    hint = _("Indicative only: you pay in Vietnamese dong.")
    return Markup('<small class="approx" title="{}">{}</small>').format(hint, text)


def vnd_notice(amount) -> Markup:
    """At payment: the charge is in dong; any other currency shown was an indication."""
    currency = display_currency()
    if currency is None or not isinstance(amount, int) or isinstance(amount, bool):
        return Markup("")
    charged = format_vnd(amount, _locale())
    shown = approx_text(amount)
    if shown:
        text = _(
            "You will be charged %(amount)s in Vietnamese dong; %(approx)s is only an "
            "indication, your bank sets the final rate.",
            amount=charged,
            approx=shown,
        )
    else:
        text = _("You will be charged %(amount)s in Vietnamese dong.", amount=charged)
    return Markup('<p class="vnd-notice">{}</p>').format(escape(text))


def currency_choices() -> list[tuple[str, str]]:
    """(code, label) for the chooser: the dong alone, then each offered currency."""
    return [(NO_CURRENCY, _("₫ only")), *((code, code) for code in exchange_rates.CURRENCIES)]


@bp.app_context_processor
def _currency_helpers():
    return {
        "approx": approx,
        "vnd_notice": vnd_notice,
        "display_currency": display_currency,
        "currency_choices": currency_choices,
    }
