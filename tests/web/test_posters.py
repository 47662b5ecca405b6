"""Village posters: one language per sheet, or every language of the site on one A4 sheet."""

import re

from tests.factories import make_community

NAMES = {
    "vi": "Bản Pác Ngòi",
    "en": "Pac Ngoi village",
    "zh": "Pác Ngòi 村",
    "ko": "팍응오이 마을",
}


def _blocks(page: str) -> dict[str, str]:
    found = re.findall(r'<section class="poster-lang" lang="(\w+)">(.*?)</section>', page, re.S)
    return dict(found)


def test_all_languages_on_one_sheet_each_block_in_its_own_language(client):
    make_community("pac-ngoi", name=NAMES, certifications=["asean_homestay"])
    response = client.get("/c/pac-ngoi/poster/all?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    blocks = _blocks(page)
    assert list(blocks) == ["vi", "en", "zh", "ko"]
    for lang, name in NAMES.items():
        assert f"<h2>{name}</h2>" in blocks[lang]
    assert "Scan for homestays, tours, nearby sights" in blocks["en"]
    assert "Quét mã để xem homestay" in blocks["vi"]
    assert "ASEAN Homestay Standard" in blocks["en"]
    assert page.count("<svg") == 1  # one code for all: the page opens in the scanner's language
    assert "http://localhost/c/pac-ngoi" in page
    assert '<html lang="en">' in page  # the blocks borrowed their language, the page kept its own


def test_the_sheet_leaves_the_visitors_language_alone(client):
    make_community("pac-ngoi", name=NAMES)
    client.get("/c/pac-ngoi/poster/all?lang=en")
    after = client.get("/c/pac-ngoi").get_data(as_text=True)
    assert '<html lang="en">' in after


def test_a_missing_name_falls_back_to_english_then_vietnamese(client):
    make_community("pac-ngoi", name={"vi": "Bản Pác Ngòi", "en": "Pac Ngoi village"})
    blocks = _blocks(client.get("/c/pac-ngoi/poster/all").get_data(as_text=True))
    assert "<h2>Pac Ngoi village</h2>" in blocks["ko"]
    make_community("ba-be", name={"vi": "Ba Bể"})
    blocks = _blocks(client.get("/c/ba-be/poster/all").get_data(as_text=True))
    assert "<h2>Ba Bể</h2>" in blocks["ko"]


def test_single_language_poster_shows_the_name_in_that_language_and_links_the_sheet(client):
    make_community("pac-ngoi", name=NAMES)
    page = client.get("/c/pac-ngoi/poster?lang=ko").get_data(as_text=True)
    assert '<html lang="ko">' in page
    assert '<p class="poster-en" lang="ko">팍응오이 마을</p>' in page
    assert 'href="/c/pac-ngoi/poster/all"' in page
    vi = client.get("/c/pac-ngoi/poster?lang=vi").get_data(as_text=True)
    assert '<p class="poster-en" lang="en">Pac Ngoi village</p>' in vi


def test_unknown_village_has_no_poster(client):
    assert client.get("/c/nowhere/poster/all").status_code == 404
