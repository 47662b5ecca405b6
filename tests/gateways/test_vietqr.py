"""VietQR payloads: CRC, exact layout, parsing, purpose cleaning, refused inputs."""

import binascii

import pytest

from marketplace.gateways.vietqr import (
    build_payload,
    clean_purpose,
    crc16_ccitt,
    parse_payload,
)

#: Published example from the subiz/vietqr README (Go library): 120,000 VND to account
#: 0011001932418 at BIN 970415, purpose "ung ho lu lut".
PUBLISHED_SAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_crc16_ccitt_check_value():
    # the catalogue check value of CRC-16/CCITT-FALSE
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_crc16_ccitt_edge_vectors():
    assert crc16_ccitt(b"") == 0xFFFF
    assert crc16_ccitt(b"A") == 0xB915
    # the standard library's crc_hqx is the same polynomial, unreflected: an independent check
    for data in (b"\x00", b"\xff" * 7, b"VietQR 704 VN", bytes(range(256))):
        assert crc16_ccitt(data) == binascii.crc_hqx(data, 0xFFFF)


def test_crc_reproduces_published_sample():
    assert f"{crc16_ccitt(PUBLISHED_SAMPLE[:-4].encode('ascii')):04X}" == PUBLISHED_SAMPLE[-4:]


def test_build_reproduces_published_sample():
    # same inputs as the published example; its purpose had diacritics ("ủng hộ lũ lụt")
    assert build_payload("970415", "0011001932418", 120000, "ủng hộ lũ lụt") == PUBLISHED_SAMPLE


def test_build_payload_exact_layout():
    expected = (
        "000201"  # 00 payload format "01"
        "010212"  # 01 dynamic
        "3857"  # 38, 57 characters:
        "0010A000000727"  # 00 GUID
        "0127"  # 01 beneficiary, 27 characters:
        "0006970436"  # 00 BIN
        "01130011001932418"  # 01 account, 13 digits
        "0208QRIBFTTA"  # 02 service
        "5303704"  # 53 currency VND
        "54071250000"  # 54 amount, 7 digits
        "5802VN"  # 58 country
        "6226"  # 62, 26 characters:
        "0822Dat phong BK-2024-0042"  # 08 purpose, 22 characters
        "6304"  # 63, 4 characters
        "B739"
    )
    payload = build_payload("970436", "0011001932418", 1_250_000, "Đặt phòng BK-2024-0042")
    assert payload == expected
    assert f"{binascii.crc_hqx(expected[:-4].encode(), 0xFFFF):04X}" == "B739"


def test_round_trip_through_parse():
    payload = build_payload("970418", "ABC123456789", 350_000, "Homestay Ba Be 3 dem")
    assert parse_payload(payload) == {
        "00": "01",
        "01": "12",
        "38": {
            "00": "A000000727",
            "01": {"00": "970418", "01": "ABC123456789"},
            "02": "QRIBFTTA",
        },
        "53": "704",
        "54": "350000",
        "58": "VN",
        "62": {"08": "Homestay Ba Be 3 dem"},
        "63": payload[-4:],
    }


def test_parse_published_sample():
    fields = parse_payload(PUBLISHED_SAMPLE)
    assert fields["38"]["01"] == {"00": "970415", "01": "0011001932418"}
    assert fields["54"] == "120000"
    assert fields["62"] == {"08": "ung ho lu lut"}


def test_parse_rejects_wrong_crc_and_bad_tlv():
    with pytest.raises(ValueError, match="CRC"):
        parse_payload(PUBLISHED_SAMPLE[:-4] + "0000")
    with pytest.raises(ValueError):
        parse_payload(PUBLISHED_SAMPLE.replace("5406120000", "5407120000"))
    with pytest.raises(ValueError):
        parse_payload("000201")  # no CRC
    with pytest.raises(ValueError):
        parse_payload("00020101021263")  # truncated header


def test_diacritics_are_stripped():
    assert clean_purpose("Đường Lên Đỉnh Mẫu Sơn") == "Duong Len Dinh Mau Son"
    assert clean_purpose("Bắc Kạn – Ba Bể") == "Bac Kan Ba Be"  # en dash dropped
    assert clean_purpose("Phở đặc biệt #12!") == "Pho dac biet 12"
    assert clean_purpose("  nhiều   khoảng   trắng ") == "nhieu khoang trang"


def test_purpose_truncated_to_25_characters():
    long_purpose = "Thanh toán đặt chỗ homestay Lạng Sơn mã BK-000123"
    cleaned = clean_purpose(long_purpose)
    assert cleaned == "Thanh toan dat cho homest"
    assert len(cleaned) == 25
    payload = build_payload("970436", "123456", 100_000, long_purpose)
    assert parse_payload(payload)["62"] == {"08": cleaned}


def test_empty_purpose_omits_field_62():
    payload = build_payload("970436", "123456", 100_000, "!!! ???")
    fields = parse_payload(payload)
    assert "62" not in fields
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "63"]


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "message"),
    [
        ("97043", "123456", 1000, "BIN"),
        ("9704361", "123456", 1000, "BIN"),
        ("97043a", "123456", 1000, "BIN"),
        ("٩٧٠٤٣٦", "123456", 1000, "BIN"),  # Arabic-Indic digits are not ASCII digits
        (970436, "123456", 1000, "BIN"),
        ("970436", "", 1000, "account"),
        ("970436", "1" * 20, 1000, "account"),
        ("970436", "0011-0019", 1000, "account"),
        ("970436", "tài khoản", 1000, "account"),
        ("970436", "123456", 0, "positive"),
        ("970436", "123456", -5000, "positive"),
        ("970436", "123456", 1000.0, "integer"),
        ("970436", "123456", True, "integer"),
        ("970436", "123456", "1000", "integer"),
        ("970436", "123456", 10**13, "13 digits"),
    ],
)
def test_bad_inputs_raise_value_error(bank_bin, account, amount, message):
    with pytest.raises(ValueError, match=message):
        build_payload(bank_bin, account, amount, "test")


def test_largest_amount_accepted():
    payload = build_payload("970436", "1" * 19, 10**13 - 1, "")
    assert parse_payload(payload)["54"] == "9" * 13
