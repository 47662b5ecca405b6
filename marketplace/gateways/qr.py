"""QR code images for tickets and VietQR transfers: inline SVG for pages, PNG for e-mail.

All codes use error correction level M (15 % recovery): enough for a phone screen shown
to a scanner or a slightly creased printout, without growing the code a version.
Rendering takes a few milliseconds, and the same code is shown again and again (ticket
page reloads, booking confirmation), so results are memoised per process.
"""

from functools import lru_cache
from io import BytesIO

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathFillImage

_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
_CACHE_SIZE = 512
#: the quiet zone the QR specification requires around the code, in modules
QUIET_ZONE = 4


class _InlineSvgImage(SvgPathFillImage):
    """One <path> on a white square, sized in CSS pixels, safe to embed many times a page.

    The white background keeps the code scannable under a dark colour scheme; qrcode's
    default millimetre size and fixed path id (duplicated ids are invalid HTML) are replaced.
    """

    def _svg(self, viewBox=None, **kwargs):  # noqa: N803 - qrcode's own parameter name
        svg = super()._svg(viewBox=viewBox, **kwargs)
        svg.set("width", str(self.pixel_size))
        svg.set("height", str(self.pixel_size))
        return svg

    def process(self) -> None:
        super().process()
        if self.path is not None:
            self.path.attrib.pop("id", None)


def _make(text: str, box_size: int, border: int) -> qrcode.QRCode:
    if not isinstance(text, str) or not text:
        raise ValueError("QR content must be non-empty text")
    if box_size < 1 or border < 0:
        raise ValueError("box_size must be at least 1 and border not negative")
    code = qrcode.QRCode(error_correction=_ERROR_CORRECTION, box_size=box_size, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code


@lru_cache(maxsize=_CACHE_SIZE)
def render_svg(text: str, *, box_size: int = 10, border: int = QUIET_ZONE) -> str:
    """An `<svg>` element (no XML declaration) to put straight into HTML.

    It has a viewBox, so CSS can scale it (`width: 100%; height: auto`); its width and
    height attributes give the natural size in pixels.

    Raises ValueError for empty text or bad sizes, qrcode's DataOverflowError for text
    beyond version 40.
    """
    image = _make(text, box_size, border).make_image(image_factory=_InlineSvgImage)
    return image.to_string(encoding="unicode")


@lru_cache(maxsize=_CACHE_SIZE)
def render_png(text: str, *, box_size: int = 8) -> bytes:
    """A black-on-white PNG with the standard 4-module quiet zone, for e-mail and downloads.

    Raises ValueError for empty text or a bad size, qrcode's DataOverflowError for text
    beyond version 40.
    """
    image = _make(text, box_size, QUIET_ZONE).make_image()
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=_CACHE_SIZE)
def qr_version(text: str) -> int:
    """The QR version (1-40) qrcode picks for `text` at error correction M.

    Raises ValueError for empty text, qrcode's DataOverflowError beyond version 40.
    """
    return int(_make(text, 1, 0).version)
