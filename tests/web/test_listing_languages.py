"""Listing, village and tour texts in Chinese and Korean: demo data, the listing form, fallbacks."""

import pytest

from marketplace.extensions import db
from marketplace.models import Community, Listing, ListingText, Role
from tests.factories import login, make_community, make_listing, make_user

FALLBACK = 'class="notice"'


def _texts(listing: Listing) -> dict[str, str]:
    db.session.expire_all()
    return {t.locale: t.title for t in db.session.get(Listing, listing.id).texts}


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "lang, title, village",
    [
        ("zh", "友联山谷里的 Luận 阿姨高脚屋", "友联社区旅游村"),
        ("ko", "흐우리엔 골짜기의 루안 아주머니네 고상가옥", "흐우리엔 공동체 관광 마을"),
    ],
)
def test_demo_listing_and_village_read_in_chinese_and_korean(client, demo, lang, title, village):
    page = client.get(f"/l/huu-lien-nha-san-ba-luan?lang={lang}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in page
    assert FALLBACK not in page
    community = client.get(f"/c/huu-lien?lang={lang}").get_data(as_text=True)
    assert village in community
    results = client.get(f"/search?community=pac-ngoi&lang={lang}").get_data(as_text=True)
    expected = {"zh": "巴贝湖乘船游 Puông 洞", "ko": "바베 호수 보트 투어와 뿌옹 동굴"}[lang]
    assert expected in results


def test_demo_tour_meeting_point_in_korean(client, demo):
    page = client.get("/l/pac-ngoi-thuyen-ho-ba-be-hang-puong?lang=ko").get_data(as_text=True)
    assert "팍응오이 마을 선착장" in page


@pytest.mark.parametrize("lang", ["zh", "ko"])
def test_a_missing_chinese_or_korean_text_shows_the_fallback_notice(client, lang):
    listing = make_listing(title="Nhà sàn")
    page = client.get(f"/l/{listing.key}?lang={lang}").get_data(as_text=True)
    assert FALLBACK in page
    listing.texts.append(ListingText(locale=lang, title="有文字" if lang == "zh" else "글"))
    db.session.commit()
    assert FALLBACK not in client.get(f"/l/{listing.key}?lang={lang}").get_data(as_text=True)


def test_the_listing_form_offers_every_language_of_the_site(client):
    login(client, make_user(Role.HOST, community=make_community()))
    page = client.get("/host/listings/new?lang=en").get_data(as_text=True)
    for lang in ("vi", "en", "zh", "ko"):
        assert f'name="texts-{lang}-title"' in page
        assert f'name="texts-{lang}-description"' in page
    assert '<fieldset lang="zh">' in page and '<fieldset lang="ko">' in page


def test_a_host_writes_chinese_and_korean_and_clears_one(client):
    village = make_community()
    login(client, make_user(Role.HOST, community=village))
    form = {
        "kind": "stay",
        "texts-vi-title": "Nhà sàn bên suối",
        "texts-en-title": "Stilt house by the stream",
        "texts-zh-title": "溪边高脚屋",
        "texts-zh-summary": "岱依族人家的木制高脚屋",
        "texts-ko-title": "개울가 고상가옥",
        "cancellation_policy": "flexible",
        "payment_methods": ["vietqr"],
    }
    assert client.post("/host/listings/new", data=form).status_code == 302
    listing = db.session.query(Listing).one()
    assert _texts(listing) == {
        "vi": "Nhà sàn bên suối",
        "en": "Stilt house by the stream",
        "zh": "溪边高脚屋",
        "ko": "개울가 고상가옥",
    }
    edit = client.get(f"/host/listings/{listing.id}").get_data(as_text=True)
    assert 'value="溪边高脚屋"' in edit and 'value="岱依族人家的木制高脚屋"' in edit
    form["texts-ko-title"] = ""
    assert client.post(f"/host/listings/{listing.id}", data=form).status_code == 302
    assert set(_texts(listing)) == {"vi", "en", "zh"}


def test_a_chinese_title_alone_is_enough(client):
    login(client, make_user(Role.HOST, community=make_community()))
    form = {
        "kind": "tour",
        "texts-zh-title": "石灰岩山谷徒步",
        "texts-zh-meeting_point": "村文化馆",
        "cancellation_policy": "moderate",
        "payment_methods": ["vietqr"],
    }
    assert client.post("/host/listings/new", data=form).status_code == 302
    text = db.session.query(ListingText).one()
    assert (text.locale, text.meeting_point) == ("zh", "村文化馆")


def test_the_cooperative_adds_korean_to_a_community_listing(client):
    village = make_community()
    listing = make_listing(community=village)
    login(client, make_user(Role.COOP, community=village))
    form = {
        "texts-vi-title": listing.text_for("vi")[0].title,
        "texts-en-title": listing.text_for("en")[0].title,
        "texts-ko-title": "마을 집",
        "texts-ko-house_rules": "실내 금연",
        "cancellation_policy": "moderate",
        "payment_methods": ["vietqr"],
    }
    assert client.post(f"/host/listings/{listing.id}", data=form).status_code == 302
    assert _texts(listing)["ko"] == "마을 집"
    page = client.get(f"/l/{listing.key}?lang=ko").get_data(as_text=True)
    assert "<h1>마을 집</h1>" in page and FALLBACK not in page


def test_reseeding_an_older_demo_database_adds_the_new_languages(runner, demo):
    listing = db.session.query(Listing).filter_by(key="huu-lien-nha-san-ba-luan").one()
    for text in [t for t in listing.texts if t.locale in ("zh", "ko")]:
        listing.texts.remove(text)
    for room in listing.room_types:
        room.name = {k: v for k, v in room.name.items() if k in ("vi", "en")}
    community = db.session.query(Community).filter_by(slug="pac-ngoi").one()
    community.name = {"vi": community.name["vi"], "en": "Edited by the cooperative"}
    community.attractions = [
        {**a, "name": {k: a["name"][k] for k in ("vi", "en")}} for a in community.attractions
    ]
    db.session.commit()

    result = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert result.exit_code == 0 and "listings: +0" in result.output
    db.session.expire_all()
    assert set(_texts(listing)) == {"vi", "en", "zh", "ko"}
    assert all(set(room.name) == {"vi", "en", "zh", "ko"} for room in listing.room_types)
    community = db.session.query(Community).filter_by(slug="pac-ngoi").one()
    assert community.name["en"] == "Edited by the cooperative"  # its own words stay
    assert community.name["ko"] == "팍응오이 마을 – 바베 호수"
    assert community.attractions[0]["name"]["zh"] == "巴贝湖"
