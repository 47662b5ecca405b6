"""VietQR (NAPAS 247) bank-transfer payloads: the EMVCo merchant-presented QR text.

A guest's banking app scans the code and pre-fills an interbank transfer to the
host's account with the amount and a purpose line that lets the host match the
transfer to the booking. Layout (each field is ID, 2-digit length, value):

    00 "01"                      payload format indicator
    01 "12"                      point of initiation: dynamic (one amount, one use)
    38 merchant account information
        00 "A000000727"          NAPAS GUID
        01 beneficiary organisation
            00 bank BIN          6 digits
            01 account number    up to 19 letters/digits
        02 "QRIBFTTA"            service: 24/7 interbank transfer to an account
    53 "704"                     currency: VND
    54 amount                    integer dong, digits only
    58 "VN"                      country
    62 additional data           (left out when the purpose is empty)
        08 purpose               ASCII, at most 25 characters
    63 CRC                       CRC-16/CCITT-FALSE over everything before it,
                                 "6304" included, 4 uppercase hex digits
"""

import binascii
import re
import unicodedata

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT_TRANSFER = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
POINT_OF_INITIATION_DYNAMIC = "12"
PURPOSE_MAX_LENGTH = 25
#: EMVCo caps the amount field at 13 characters
AMOUNT_MAX_DIGITS = 13

#: templates whose value is itself a TLV list, by path of IDs
_TEMPLATES = frozenset({("38",), ("38", "01"), ("62",)})

_BIN_RE = re.compile(r"[0-9]{6}")
_ACCOUNT_RE = re.compile(r"[A-Za-z0-9]{1,19}")
_PURPOSE_DROP_RE = re.compile(r"[^A-Za-z0-9 -]")


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR.

    `binascii.crc_hqx` is that CRC (XMODEM's) with the initial value as its argument.
    """
    return binascii.crc_hqx(data, 0xFFFF)


def clean_purpose(text: str) -> str:
    """The purpose line as banks accept it: no diacritics, only [A-Za-z0-9 -], 25 characters.

    Runs of spaces collapse to one, since the 25 characters are precious.
    """
    # đ/Đ are letters of their own, not d plus a mark, so NFKD leaves them alone
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = _PURPOSE_DROP_RE.sub("", stripped)
    return " ".join(kept.split())[:PURPOSE_MAX_LENGTH].rstrip()


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {tag} is {len(value)} characters long, at most 99 fit")
    return f"{tag}{len(value):02d}{value}"


def _validate(bank_bin: str, account_number: str, amount: int) -> None:
    if not isinstance(bank_bin, str) or not _BIN_RE.fullmatch(bank_bin):
        raise ValueError(f"bank BIN must be 6 digits, got {bank_bin!r}")
    if not isinstance(account_number, str) or not _ACCOUNT_RE.fullmatch(account_number):
        raise ValueError(
            f"account number must be 1 to 19 ASCII letters or digits, got {account_number!r}"
        )
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be an integer number of dong, got {type(amount).__name__}")
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    if len(str(amount)) > AMOUNT_MAX_DIGITS:
        raise ValueError(f"amount {amount} has more than {AMOUNT_MAX_DIGITS} digits")


def build_payload(bank_bin: str, account_number: str, amount: int, purpose: str) -> str:
    """The VietQR text for a transfer of `amount` VND to one bank account.

    `purpose` is cleaned (see `clean_purpose`); if nothing is left, field 62 is omitted.

    Raises ValueError for a BIN that is not 6 digits, an account that is not 1-19 ASCII
    letters/digits, or an amount that is not a positive int of at most 13 digits (floats
    and bools are refused).
    """
    _validate(bank_bin, account_number, amount)
    if not isinstance(purpose, str):
        raise ValueError(f"purpose must be text, got {type(purpose).__name__}")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account_number)
    merchant = (
        _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_ACCOUNT_TRANSFER)
    )
    parts = [
        _tlv("00", "01"),
        _tlv("01", POINT_OF_INITIATION_DYNAMIC),
        _tlv("38", merchant),
        _tlv("53", CURRENCY_VND),
        _tlv("54", str(amount)),
        _tlv("58", COUNTRY_VN),
    ]
    cleaned = clean_purpose(purpose)
    if cleaned:
        parts.append(_tlv("62", _tlv("08", cleaned)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def _parse_tlv(text: str, path: tuple[str, ...]) -> dict[str, str | dict]:
    fields: dict[str, str | dict] = {}
    pos = 0
    while pos < len(text):
        header = text[pos : pos + 4]
        if len(header) < 4 or not header.isascii() or not header.isdigit():
            raise ValueError(f"malformed field header {header!r} at offset {pos}")
        tag, length = header[:2], int(header[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise ValueError(f"field {tag} claims {length} characters, only {len(value)} left")
        if tag in fields:
            raise ValueError(f"field {tag} appears twice")
        sub_path = (*path, tag)
        fields[tag] = _parse_tlv(value, sub_path) if sub_path in _TEMPLATES else value
        pos += 4 + length
    return fields


def parse_payload(text: str) -> dict[str, str | dict]:
    """Split an EMVCo QR text into its fields; templates 38, 38/01 and 62 become nested dicts.

    The CRC (field 63) must be the last field and must match.

    Raises ValueError when the text is not well-formed TLV, has no CRC, or the CRC is wrong.
    """
    if not isinstance(text, str):
        raise ValueError(f"payload must be text, got {type(text).__name__}")
    fields = _parse_tlv(text, ())
    crc = fields.get("63")
    if not isinstance(crc, str) or len(crc) != 4 or not text.endswith("6304" + crc):
        raise ValueError("payload does not end with a 4-character CRC field 63")
    expected = f"{crc16_ccitt(text[:-4].encode('utf-8')):04X}"
    if crc.upper() != expected:
        raise ValueError(f"CRC mismatch: payload says {crc}, computed {expected}")
    return fields
