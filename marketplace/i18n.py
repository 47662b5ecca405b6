"""Languages and locale selection: `?lang=`, then the remembered choice, then Accept-Language."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
SESSION_KEY = "lang"


def supported() -> list[str]:
    return current_app.config["LANGUAGES"]


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
    return (
        request.accept_languages.best_match(supported())
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def localized(texts: dict | None, locale: str) -> str:
    """Pick a language from a {lang: text} dict, falling back to Vietnamese, then any."""
    if not texts:
        return ""
    for lang in (locale, "vi", "en"):
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), "")
