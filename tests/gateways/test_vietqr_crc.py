"""The VietQR CRC from the standard library equals the bit-by-bit definition of CRC-16/CCITT-FALSE."""

from hypothesis import given
from hypothesis import strategies as st

from marketplace.gateways.vietqr import build_payload, crc16_ccitt, parse_payload


def bitwise_crc(data: bytes) -> int:
    """Polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR, one bit at a time."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


@given(st.binary(max_size=512))
def test_crc_equals_the_bitwise_definition(data):
    assert crc16_ccitt(data) == bitwise_crc(data)


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200))
def test_crc_of_printable_payloads(text):
    data = text.encode("ascii")
    assert crc16_ccitt(data) == bitwise_crc(data)


@given(
    amount=st.integers(min_value=1, max_value=10**12),
    purpose=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", max_size=25),
)
def test_payload_crc_checks_on_parse(amount, purpose):
    payload = build_payload("970436", "0123456789", amount, purpose)
    assert payload[-4:] == f"{bitwise_crc(payload[:-4].encode('ascii')):04X}"
    assert parse_payload(payload)["54"] == str(amount)
