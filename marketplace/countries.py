"""Countries: the ISO 3166-1 codes, named in a language and sorted as its readers look for them.

The booking form's nationality list, the booking request's check, review authors and guest lists
all use this one list. Codes come from pycountry (the ISO list itself): Babel's territories also
hold regions ('001', 'EU', 'UN') and private-use codes ('XA', 'ZZ') that are no one's country.
Names come from Babel (CLDR) in the page's language.

Order: the Unicode Collation Algorithm (pyuca, pure Python), which already sorts Hangul in
dictionary order and Chinese by radical and stroke. Vietnamese gets its alphabet on top of it
(a ă â b c d đ e ê ... o ô ơ ... u ư): ASCII folding put "Đức" between "Úc" and "Uganda".
"""

import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError

#: every ISO 3166-1 alpha-2 code (VN, KR, CN, ...)
CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)

#: the Vietnamese alphabet's letters as primary weights; foreign letters (f j w z) in their place
VI_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"


@lru_cache(maxsize=1)
def _collator():
    import pyuca  # reads its 2 MB table: only when a list is first sorted

    return pyuca.Collator()


def _babel_locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def country_name(code: str | None, locale: str) -> str:
    """The country's name in `locale` (KR: Hàn Quốc, South Korea, 대한민국); unknown: the code."""
    if not code:
        return ""
    code = code.strip().upper()
    return _babel_locale(locale).territories.get(code) or code


def _vietnamese_letters(text: str) -> tuple[int, ...]:
    """Primary weights of `text` by the Vietnamese alphabet; tones and punctuation are ignored."""
    letters: list[str] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(char):
            # breve, circumflex and horn make letters of their own (ă â ê ô ơ ư); tones do not
            marked = unicodedata.normalize("NFC", letters[-1] + char) if letters else ""
            if marked in VI_ALPHABET:
                letters[-1] = marked
        elif char.isspace():
            letters.append(" ")  # word by word: "Ai Cập" before "Albania"
        elif char.isalnum():
            letters.append(char)
    return tuple(
        0 if c == " " else VI_ALPHABET.index(c) + 1 if c in VI_ALPHABET else 64 + ord(c)
        for c in letters
    )


def sort_key(text: str, locale: str) -> tuple:
    """The collation key of `text` for readers of `locale`."""
    uca = tuple(_collator().sort_key(text))
    if _babel_locale(locale).language == "vi":
        return (_vietnamese_letters(text), uca)
    return ((), uca)


@lru_cache(maxsize=16)
def countries(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, named in `locale` and sorted for its readers."""
    names = _babel_locale(locale).territories
    english = Locale("en").territories
    pairs = [(code, names.get(code) or english.get(code) or code) for code in CODES]
    return tuple(sorted(pairs, key=lambda pair: sort_key(pair[1], locale)))
