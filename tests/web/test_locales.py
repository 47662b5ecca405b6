"""Four languages: which one a page, an API booking and its mails speak, and the language picker."""

import email
import email.policy
import re
from pathlib import Path

import pytest

from marketplace.extensions import db
from marketplace.i18n import LANGUAGE_NAMES, best_language
from marketplace.models import Booking
from tests.factories import (
    BOOKING_CONTACT,
    FOREIGN_GUEST,
    bearer,
    make_listing,
    make_user,
    stay_item,
)

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["vi", "en", "zh", "ko"]
HANGUL = re.compile("[\uac00-\ud7a3]")
HAN = re.compile("[\u4e00-\u9fff]")


def _compiled(lang: str) -> bool:
    return (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.mo").exists()


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "header,expected",
    [
        (None, "vi"),
        ("*", "vi"),
        ("vi-VN", "vi"),
        ("vi-VN,vi;q=0.9,en-US;q=0.8", "vi"),
        ("ko-KR", "ko"),
        ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-TW", "zh"),
        ("fr-FR", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", "en"),
        ("fr, vi;q=0.5", "vi"),
        ("en-GB,en;q=0.9", "en"),
    ],
)
def test_page_language_from_accept_language(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    page = client.get("/", headers=headers).get_data(as_text=True)
    assert _lang(page) == expected


def test_a_garbled_header_gets_a_language_not_an_error():
    assert best_language(";;;q=x,,", LANGUAGES, "vi") in LANGUAGES
    assert best_language("", LANGUAGES, "vi") == "vi"
    assert best_language("fr", ["vi"], "vi") == "vi"  # no English to fall back to


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_chosen_language_is_remembered_over_the_browser(client, lang):
    assert _lang(client.get(f"/?lang={lang}").get_data(as_text=True)) == lang
    later = client.get("/account/login", headers={"Accept-Language": "fr-FR"})
    assert _lang(later.get_data(as_text=True)) == lang


def test_unknown_lang_parameter_is_ignored(client):
    page = client.get("/?lang=xx", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert _lang(page) == "ko"


def test_picker_offers_the_four_languages_in_their_own_names(client):
    page = client.get("/?lang=vi").get_data(as_text=True)
    assert '<strong aria-current="true">VI</strong>' in page
    for code in ("en", "zh", "ko"):
        assert f'hreflang="{code}" lang="{code}" title="{LANGUAGE_NAMES[code]}"' in page
    assert LANGUAGE_NAMES["zh"] == "中文 (简体)" and LANGUAGE_NAMES["ko"] == "한국어"


def test_configured_languages(app):
    assert app.config["LANGUAGES"] == LANGUAGES
    assert list(LANGUAGE_NAMES) == LANGUAGES


@pytest.mark.skipif(not _compiled("ko"), reason="Korean catalog not compiled")
def test_korean_page_is_in_korean(client):
    page = client.get("/", headers={"Accept-Language": "ko-KR"}).get_data(as_text=True)
    assert HANGUL.search(page.split("</header>")[1])


@pytest.mark.skipif(not _compiled("zh"), reason="Chinese catalog not compiled")
def test_chinese_page_is_in_chinese(client):
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert HAN.search(page.split("</header>")[1])


# -- API bookings and their mails --------------------------------------------------------------


def _book(client, *, headers=None, **extra):
    room = make_listing(units=2).room_types[0]
    body = {
        "items": [stay_item(room)],
        "contact": dict(BOOKING_CONTACT),
        "guests": [dict(FOREIGN_GUEST)],
        **extra,
    }
    return client.post(
        "/api/v1/bookings", json=body, headers={**bearer(make_user()), **(headers or {})}
    )


def _mails_to(outbox, before: set, address: str) -> list:
    paths = sorted(set(Path(outbox).glob("*.eml")) - before)
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths
    ]
    return [m for m in messages if m["To"] == address]


def test_api_booking_mails_the_traveller_in_the_accept_language(client, outbox):
    before = set(Path(outbox).glob("*.eml"))
    response = _book(client, headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert response.status_code == 201, response.json
    booking = db.session.query(Booking).filter_by(reference=response.json["reference"]).one()
    assert booking.locale == "ko"
    [mail] = _mails_to(outbox, before, BOOKING_CONTACT["email"])
    assert mail["Content-Language"] == "ko"
    if _compiled("ko"):
        assert HANGUL.search(mail["Subject"]) or HANGUL.search(
            mail.get_body(("plain",)).get_content()
        )


@pytest.mark.parametrize(
    "headers,extra,expected",
    [
        ({}, {}, "vi"),
        ({"Accept-Language": "fr-FR"}, {}, "en"),
        ({"Accept-Language": "zh-TW"}, {}, "zh"),
        ({"Accept-Language": "ko"}, {"locale": "zh"}, "zh"),
        ({}, {"locale": "en"}, "en"),
    ],
)
def test_api_booking_language_field_then_header(client, outbox, headers, extra, expected):
    before = set(Path(outbox).glob("*.eml"))
    response = _book(client, headers=headers, **extra)
    assert response.status_code == 201, response.json
    booking = db.session.query(Booking).filter_by(reference=response.json["reference"]).one()
    assert booking.locale == expected
    [mail] = _mails_to(outbox, before, BOOKING_CONTACT["email"])
    assert mail["Content-Language"] == expected


@pytest.mark.parametrize("value", ["fr", "ko-KR", "", 7, ["ko"]])
def test_api_refuses_a_language_the_site_lacks(client, value):
    response = _book(client, locale=value)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid"
    assert response.json["error"]["field"] == "locale"
    assert db.session.query(Booking).count() == 0


def test_openapi_documents_the_locale_field_and_the_header(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/bookings"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][reference.rpartition("/")[2]]
    # null is allowed too: it means "use Accept-Language", as leaving the field out does
    locale = schema["properties"]["locale"]["anyOf"][0]
    assert locale["enum"] == app.config["LANGUAGES"]
    assert "Accept-Language" in {p["name"] for p in operation["parameters"]}


def test_account_mail_goes_in_the_language_of_the_sign_up_page(client, outbox):
    before = set(Path(outbox).glob("*.eml"))
    client.get("/?lang=zh")
    client.post(
        "/account/signup",
        data={"name": "Li Wei", "email": "liwei@example.test", "password": "long-enough-1"},
    )
    [mail] = _mails_to(outbox, before, "liwei@example.test")
    assert mail["Content-Language"] == "zh"
