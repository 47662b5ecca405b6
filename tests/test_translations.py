"""Every user-facing string is translated into each site language, and the catalogs are current."""

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["vi", "en", "zh", "ko"]


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as f:
        catalog = read_po(f)
    return {m.id for m in catalog if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete_and_current(lang, source_ids):
    po = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    messages = {m.id: m for m in catalog if m.id}
    missing = sorted(str(i) for i in source_ids - messages.keys())
    assert not missing, (
        f"{lang}: strings not in the catalog (run `make translations-update`): {missing[:10]}"
    )
    untranslated = [
        str(m.id)
        for m in messages.values()
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    assert not untranslated, f"{lang}: untranslated: {untranslated[:10]}"
    fuzzy = [str(m.id) for m in messages.values() if m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:10]}"


def test_vietnamese_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page


def test_language_from_query_is_remembered(client):
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_from_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_switcher_on_every_page_keeps_the_query(client):
    page = client.get("/account/login?next=/x").get_data(as_text=True)
    assert "lang=en" in page and "next=%2Fx" in page
