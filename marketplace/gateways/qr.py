"""QR codes: SVG for pages, PNG for email; error correction M; rendered codes are cached."""

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M


def _code(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_version(text: str) -> int:
    """The QR version (1-40) `text` needs at error correction M."""
    return _code(text).version


@lru_cache(maxsize=512)
def render_svg(text: str) -> str:
    image = _code(text).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    return image.to_string(encoding="unicode")


@lru_cache(maxsize=256)
def render_png(text: str, box_size: int = 8) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=4, box_size=box_size)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
