"""Languages and locale selection: `?lang=`, then the remembered choice, then Accept-Language."""

from collections.abc import Sequence

from flask import current_app, has_request_context, request, session
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文 (简体)", "ko": "한국어"}
SESSION_KEY = "lang"
#: for a browser that asks only for languages we lack: a foreign visitor reads English sooner
#: than Vietnamese
FOREIGN_FALLBACK = "en"


def supported() -> list[str]:
    return current_app.config["LANGUAGES"]


def best_language(header: str | None, languages: Sequence[str], default: str) -> str:
    """The language an Accept-Language header asks for, among `languages`.

    No header (or only `*`) gets `default`; a listed language we have wins whatever its rank
    among ones we lack (`fr, vi;q=0.5` → vi); regional tags match their language (`ko-KR` → ko,
    `zh-TW` → zh); a header naming only languages we lack gets English.
    """
    accepted = parse_accept_header(header or "", LanguageAccept)
    if not accepted or all(value == "*" for value, _quality in accepted):
        return default
    found = accepted.best_match(list(languages))
    if found:
        return found
    return FOREIGN_FALLBACK if FOREIGN_FALLBACK in languages else default


def request_language() -> str:
    """The current request's Accept-Language choice (see `best_language`)."""
    return best_language(
        request.headers.get("Accept-Language"),
        supported(),
        current_app.config["BABEL_DEFAULT_LOCALE"],
    )


def select_locale() -> str:
    """The request's language; a `?lang=` choice is remembered in the session and on the account."""
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in supported():
        session[SESSION_KEY] = asked
        return asked
    remembered = session.get(SESSION_KEY)
    if remembered in supported():
        return remembered
    if current_user and current_user.is_authenticated and current_user.locale in supported():
        return current_user.locale
    return request_language()


def mail_locale(locale: str | None) -> str:
    """The language a mail is written in: the recipient's when we have it, else the default."""
    languages = current_app.config["LANGUAGES"]
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def text_fallbacks(locale: str) -> tuple[str, ...]:
    """Which languages to try for a host's text: a visitor who reads neither Vietnamese nor
    Chinese or Korean most likely reads English, so every other language falls back to English
    before Vietnamese."""
    if locale == "vi":
        return ("vi", "en")
    return (locale, "en", "vi")


def localized(texts: dict | None, locale: str) -> str:
    """Pick a language from a {lang: text} dict, by `text_fallbacks`, else any."""
    if not texts:
        return ""
    for lang in text_fallbacks(locale):
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), "")
