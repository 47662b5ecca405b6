"""Dates and times every reader can read the same way: the month by name, the clock in 24 hours.

Babel's short and medium dates are all digits in many locales ("2/1/27" is 1 February to a
Vietnamese reader and 2 January to an American), and English times come in 12 hours. Flask-Babel's
`dateformat`, `datetimeformat` and `timeformat` filters (and `format_date` & co.) read their
patterns from `babel.date_formats`; this mapping answers with patterns built from CLDR skeletons for
the language in force (the request's, or the one a mail job forces), so vi, en, zh and ko all get
month names and a 24-hour clock without a table kept by hand.
"""

from datetime import datetime
from functools import lru_cache

from babel import Locale
from flask_babel import get_locale

#: the day with the month's name and the year ("Feb 1, 2027", "1 thg 2, 2027", "2027年2月1日")
DATE_SKELETON = "yMMMd"
#: hours and minutes on a 24-hour clock ("05:00", "5:00")
TIME_SKELETON = "Hm"
TIME_WITH_SECONDS_SKELETON = "Hms"


@lru_cache(maxsize=64)
def patterns(locale: str) -> dict[str, str]:
    """The Flask-Babel `date_formats` entries for `locale` (long and full dates keep Babel's)."""
    data = Locale.parse(locale)
    day = str(data.datetime_skeletons[DATE_SKELETON])
    clock = str(data.datetime_skeletons[TIME_SKELETON])
    seconds = str(data.datetime_skeletons[TIME_WITH_SECONDS_SKELETON])

    def joined(width: str, date_pattern: str) -> str:
        glue = str(data.datetime_formats.get(width, "{1} {0}"))
        return glue.replace("{1}", date_pattern).replace("{0}", clock)

    return {
        "date.short": day,
        "date.medium": day,
        "time.short": clock,
        "time.medium": seconds,
        "time.long": clock,
        "time.full": clock,
        "datetime.short": joined("short", day),
        "datetime.medium": joined("medium", day),
        # Babel's long and full datetimes read "5:00:00 AM GMT+7" in English
        "datetime.long": joined("long", str(data.date_formats["long"])),
        "datetime.full": joined("full", str(data.date_formats["full"])),
    }


class LocaleDateFormats(dict):
    """Flask-Babel's `date_formats`, answering per-locale patterns for the current language."""

    def __getitem__(self, key):
        locale = get_locale()
        if locale is not None:
            found = patterns(str(locale)).get(key)
            if found is not None:
                return found
        return super().__getitem__(key)


def install(babel) -> None:
    """Give a Flask-Babel instance (after `init_app`) the per-locale patterns."""
    babel.date_formats = LocaleDateFormats(babel.default_date_formats)


def skeleton(value, name: str = "MMMEd") -> str:
    """`value` (a date or an aware datetime, shown in the business time zone) by a CLDR skeleton
    such as "MMMEd" ("Mon, Feb 1" / "Th 2, 1 thg 2") or "MMMd", in the current language."""
    from babel.dates import format_skeleton
    from flask_babel import get_timezone

    if isinstance(value, datetime):
        return format_skeleton(name, value, tzinfo=get_timezone(), locale=get_locale())
    return format_skeleton(name, value, locale=get_locale())


def format_day(value, locale: str) -> str:
    """A day with its month's name in `locale`, outside a request (mail, Stripe line items)."""
    from babel import UnknownLocaleError
    from babel.dates import format_date

    try:
        pattern = patterns(locale)["date.medium"]
    except (UnknownLocaleError, ValueError):
        locale, pattern = "en", patterns("en")["date.medium"]
    return format_date(value, pattern, locale=locale)
