"""The demo catalogue is complete, bilingual and consistent, and its pictures render."""

import re
from collections import Counter
from datetime import date

import pytest

from marketplace.devtools.demo_art import SCENES, render_scene
from marketplace.devtools.demo_data import COMMUNITIES, DEMO_PASSWORD, LISTINGS, USERS

AMENITIES = {
    "wifi",
    "hot_water",
    "breakfast",
    "dinner",
    "parking",
    "bicycle",
    "kayak",
    "guide",
    "air_conditioning",
    "mosquito_net",
    "shared_bathroom",
    "private_bathroom",
    "family_room",
    "vegetarian",
    "airport_pickup",
    "laundry",
}
CERTIFICATIONS = {"asean_homestay", "asean_cbt", "unesco_geopark", "ocop"}
PAYMENT_METHODS = {"stripe", "vietqr", "pay_at_arrival"}
POLICIES = {"flexible", "moderate", "strict"}
ROLES = {"admin", "coop", "host", "guide", "tourist"}
NAPAS_BINS = {"970436", "970405", "970415"}
LISTING_TEXTS = ("title", "summary", "description", "house_rules", "directions")
#: every demo text is written in each language of the site
LANGS = {"vi", "en", "zh", "ko"}

COMMUNITY_SLUGS = {c["slug"] for c in COMMUNITIES}
USERS_BY_EMAIL = {u["email"]: u for u in USERS}


def _texts(node, path="data"):
    """Every {"vi": ..., "en": ...} dict anywhere in `node`, with where it was found."""
    if isinstance(node, dict):
        if "vi" in node or "en" in node:
            yield path, node
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


def _in_northern_vietnam(item: dict) -> bool:
    return 20.5 <= item["latitude"] <= 23.5 and 103 <= item["longitude"] <= 108


def test_every_text_is_given_in_every_language():
    found = list(_texts({"communities": COMMUNITIES, "listings": LISTINGS}))
    assert len(found) > 100
    for path, text in found:
        assert set(text) == LANGS, path
        for lang in LANGS:
            assert isinstance(text[lang], str) and text[lang].strip(), f"{path}.{lang}"


def test_the_named_text_fields_are_all_present():
    for community in COMMUNITIES:
        for field in ("name", "story"):
            assert set(community[field]) == LANGS, (community["slug"], field)
        for attraction in community["attractions"]:
            assert set(attraction["name"]) == set(attraction["description"]) == LANGS
        for specialty in community["specialties"]:
            assert set(specialty) == LANGS
    for listing in LISTINGS:
        for field in LISTING_TEXTS:
            assert set(listing[field]) == LANGS, (listing["key"], field)
        for lang in LANGS:  # paragraphs kept in every language
            assert "\n\n" in listing["description"][lang], (listing["key"], lang)
        if listing["kind"] == "tour":
            assert set(listing["tour"]["meeting_point"]) == LANGS


def test_vietnamese_texts_carry_their_diacritics_and_english_ones_do_not_need_them():
    for listing in LISTINGS:
        for field in ("title", "description"):
            assert re.search(r"[^\x00-\x7f]", listing[field]["vi"]), (listing["key"], field)
    for community in COMMUNITIES:
        assert re.search(r"[^\x00-\x7f]", community["story"]["vi"])


def test_slugs_keys_prefixes_and_emails_are_unique():
    for values in (
        [c["slug"] for c in COMMUNITIES],
        [c["reference_prefix"] for c in COMMUNITIES],
        [listing["key"] for listing in LISTINGS],
        [u["email"] for u in USERS],
    ):
        duplicates = [v for v, n in Counter(values).items() if n > 1]
        assert not duplicates
    for listing in LISTINGS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", listing["key"]) and len(listing["key"]) <= 80
        room_keys = [room["key"] for room in listing.get("room_types", [])]
        assert len(room_keys) == len(set(room_keys)), listing["key"]


def test_communities_are_well_formed():
    assert {c["slug"] for c in COMMUNITIES} == {"huu-lien", "yen-thinh", "pac-ngoi"}
    for community in COMMUNITIES:
        assert re.fullmatch(r"[A-Z]{2}", community["reference_prefix"])
        assert _in_northern_vietnam(community), community["slug"]
        assert set(community["certifications"]) <= CERTIFICATIONS
        assert 3 <= len(community["attractions"]) <= 6
        for attraction in community["attractions"]:
            assert isinstance(attraction["distance_km"], int) and attraction["distance_km"] >= 0
        assert community["specialties"]
        bank = community["bank"]
        assert bank["bank_bin"] in NAPAS_BINS
        assert bank["account_number"].isdigit() and len(bank["account_number"]) <= 19
        assert re.fullmatch(r"[A-Z0-9 ]+", bank["account_name"]) and len(bank["account_name"]) <= 70
        commission, fund = community["commission_rate_bp"], community["community_fund_rate_bp"]
        assert isinstance(commission, int) and isinstance(fund, int)
        assert 0 <= commission and 0 <= fund and commission + fund <= 10_000


def test_users_are_well_formed():
    assert DEMO_PASSWORD == "demo-pass-2026"
    for user in USERS:
        assert user["role"] in ROLES, user["email"]
        assert user["locale"] in ("vi", "en")
        assert user["name"].strip()
        if user["role"] in ("coop", "host", "guide"):
            assert user["community"] in COMMUNITY_SLUGS, user["email"]
        else:
            assert user["community"] is None, user["email"]
    for slug in COMMUNITY_SLUGS:
        roles = {u["role"] for u in USERS if u["community"] == slug}
        assert {"coop", "host", "guide"} <= roles, slug
    for email in ("admin@demo.test", "tourist@demo.test", "minji@demo.test", "emma@demo.test"):
        assert email in USERS_BY_EMAIL


def test_listings_point_at_existing_communities_hosts_and_guides():
    for listing in LISTINGS:
        assert listing["community"] in COMMUNITY_SLUGS, listing["key"]
        host = USERS_BY_EMAIL[listing["host"]]
        assert host["role"] == "host" and host["community"] == listing["community"]
        if listing["kind"] == "tour":
            guide = USERS_BY_EMAIL[listing["tour"]["guide"]]
            assert guide["role"] == "guide" and guide["community"] == listing["community"]


def test_each_community_has_two_to_four_stays_from_one_to_three_hosts_and_a_tour():
    for slug in COMMUNITY_SLUGS:
        stays = [s for s in LISTINGS if s["community"] == slug and s["kind"] == "stay"]
        tours = [t for t in LISTINGS if t["community"] == slug and t["kind"] == "tour"]
        assert 2 <= len(stays) <= 4, slug
        assert 1 <= len({s["host"] for s in stays}) <= 3, slug
        assert tours, slug


def test_listings_use_known_codes_and_sit_in_northern_vietnam():
    for listing in LISTINGS:
        key = listing["key"]
        assert listing["kind"] in ("stay", "tour"), key
        assert _in_northern_vietnam(listing), key
        assert set(listing["amenities"]) <= AMENITIES, key
        assert set(listing.get("certifications", [])) <= CERTIFICATIONS, key
        assert listing["cancellation_policy"] in POLICIES, key
        assert listing["payment_methods"], key
        assert set(listing["payment_methods"]) <= PAYMENT_METHODS, key
        assert listing["scene"] in SCENES, key
    accepts = [("pay_at_arrival" in s["payment_methods"]) for s in LISTINGS if s["kind"] == "stay"]
    assert any(accepts) and not all(accepts)


def test_room_types_have_realistic_integer_prices():
    stays = [s for s in LISTINGS if s["kind"] == "stay"]
    for listing in stays:
        assert listing["room_types"] and "tour" not in listing, listing["key"]
        for room in listing["room_types"]:
            assert set(room["name"]) == LANGS
            price = room["nightly_price"]
            assert isinstance(price, int) and not isinstance(price, bool) and price > 0
            assert 100_000 <= price <= 1_500_000, (listing["key"], room["key"])
            assert isinstance(room["units"], int) and 1 <= room["units"] <= 6
            assert isinstance(room["max_guests"], int) and 1 <= room["max_guests"] <= 12
            assert room["min_nights"] in (1, 2)
    rooms = [room for s in stays for room in s["room_types"]]
    assert any(room["units"] == 1 for room in rooms)  # something can sell out
    assert any(len(s["room_types"]) == 1 for s in stays)
    assert any(len(s["room_types"]) > 1 for s in stays)


def test_price_rules_are_weekends_or_month_day_seasons():
    for listing in LISTINGS:
        for rule in listing.get("price_rules", []):
            assert rule["kind"] in ("weekend", "season")
            assert isinstance(rule["percent"], int) and -100 < rule["percent"] <= 100
            if rule["kind"] == "season":
                assert set(rule["name"]) == LANGS
                for edge in (rule["start"], rule["end"]):
                    date.fromisoformat(f"2028-{edge}")  # a leap year accepts every month-day


def test_tours_have_a_schedule_a_price_and_a_capacity():
    tours = [t for t in LISTINGS if t["kind"] == "tour"]
    assert len(tours) >= 5
    for listing in tours:
        tour = listing["tour"]
        assert "room_types" not in listing, listing["key"]
        assert isinstance(tour["duration_minutes"], int) and tour["duration_minutes"] > 0
        assert isinstance(tour["capacity"], int) and 8 <= tour["capacity"] <= 20
        price = tour["price_per_person"]
        assert isinstance(price, int) and 150_000 <= price <= 900_000
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", tour["start_time"])
        assert all(day in range(7) for day in tour["weekdays"])
        dates = [date.fromisoformat(d) for d in tour.get("dates", [])]
        assert tour["weekdays"] or dates, listing["key"]
    special = [t for t in tours if not t["tour"]["weekdays"]]
    assert special, "the yearly Xuan Duong love market runs on given dates only"


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("size", [(1200, 800), (360, 240)])
def test_every_scene_renders_to_the_requested_size(scene, size):
    image = render_scene(scene, seed=7, width=size[0], height=size[1])
    assert image.size == size
    assert image.mode == "RGB"
    colours = image.resize((32, 32)).getcolors(32 * 32)
    assert colours is not None and len(colours) > 20  # a picture, not a blank


def test_scenes_are_deterministic_and_vary_with_the_seed():
    first = render_scene("stilt_house", seed=3, width=240, height=160).tobytes()
    again = render_scene("stilt_house", seed=3, width=240, height=160).tobytes()
    other = render_scene("stilt_house", seed=4, width=240, height=160).tobytes()
    assert first == again
    assert first != other


def test_an_unknown_scene_is_refused():
    with pytest.raises(ValueError):
        render_scene("volcano", seed=1)


def test_chinese_and_korean_are_written_in_their_own_scripts():
    for path, text in _texts({"communities": COMMUNITIES, "listings": LISTINGS}):
        assert re.search(r"[\u4e00-\u9fff]", text["zh"]), f"{path}.zh"
        assert re.search(r"[\uac00-\ud7a3]", text["ko"]), f"{path}.ko"
        assert text["zh"] != text["en"] and text["ko"] != text["en"], path


def test_every_chinese_and_korean_text_belongs_to_a_demo_text():
    from marketplace.devtools.demo_texts_zh_ko import TEXTS

    english = {t["en"] for _path, t in _texts({"communities": COMMUNITIES, "listings": LISTINGS})}
    assert set(TEXTS) == english
