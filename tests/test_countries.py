"""The country list: ISO codes only, named in the page's language, in its readers' order."""

import pytest

from marketplace.countries import CODES, countries, country_name, sort_key


def _names(locale: str) -> list[str]:
    return [name for _code, name in countries(locale)]


def test_only_iso_3166_alpha_2_codes():
    assert {"VN", "KR", "CN", "FR", "US", "TW", "HK"} <= CODES
    assert not CODES & {"XA", "XB", "ZZ", "EU", "EZ", "UN", "QO", "AC", "IC", "001", "150"}
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in CODES)
    assert len(CODES) == 249


@pytest.mark.parametrize("locale", ["vi", "en", "zh", "ko"])
def test_every_country_once_and_named(locale):
    pairs = countries(locale)
    assert sorted(code for code, _ in pairs) == sorted(CODES)
    assert all(name and name != code for code, name in pairs)


def test_names_in_the_language():
    assert country_name("KR", "vi") == "Hàn Quốc"
    assert country_name("kr", "ko") == "대한민국"
    assert country_name("CN", "zh") == "中国"
    assert country_name("DE", "en") == "Germany"
    assert country_name("XX", "vi") == "XX" and country_name(None, "vi") == ""


def test_vietnamese_order_follows_its_alphabet():
    names = _names("vi")
    # Đ is a letter after D: "Đức" among the D/Đ names, not where ASCII folding put it (Úc, Uganda)
    assert names.index("Dominica") < names.index("Đức") < names.index("Ecuador")
    assert names.index("Úc") + 1 == names.index("Uganda")
    # Â after A: "Ấn Độ" after every A name, before B
    assert names.index("Áo") < names.index("Azerbaijan") < names.index("Ấn Độ")
    assert names.index("Ấn Độ") + 1 == names.index("Ba Lan")
    # tones do not make letters: "Úc" sorts as "Uc"
    assert names.index("Tuvalu") < names.index("Úc")


def test_korean_order_is_hangul_dictionary_order():
    names = _names("ko")
    assert names[0] == "가나"
    initials = [name[0] for name in names if "\uac00" <= name[0] <= "\ud7a3"]
    assert initials == sorted(initials)
    assert names.index("대한민국") < names.index("베트남") < names.index("중국")


def test_chinese_order_is_the_unicode_collation():
    names = _names("zh")
    assert names == sorted(names, key=lambda name: sort_key(name, "zh"))
    assert "中国" in names and "越南" in names


def test_english_ignores_accents():
    names = _names("en")
    assert names.index("Afghanistan") < names.index("Åland Islands") < names.index("Albania")
    assert names.index("Curaçao") < names.index("Cyprus")


def test_unknown_locale_falls_back_to_english():
    assert country_name("VN", "xx") == "Vietnam"
