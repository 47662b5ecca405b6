"""QR rendering: embeddable SVG, real PNG, version at ECC M, memoisation."""

import re
import xml.etree.ElementTree as ET

import pytest

from marketplace.gateways.qr import qr_version, render_png, render_svg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_svg_is_an_inline_element_with_viewbox():
    svg = render_svg("hello")
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    # natural size in CSS pixels: (21 modules + 2 x 4 quiet zone) x 10 for a version 1 code
    assert root.get("width") == root.get("height") == "290"
    # no fixed id: several codes on one page must not clash
    assert 'id="' not in svg
    # white background so the code stays scannable under a dark colour scheme
    assert root.find("{http://www.w3.org/2000/svg}rect").get("fill") == "white"
    assert len(root.findall("{http://www.w3.org/2000/svg}path")) == 1


def test_svg_box_size_and_border_change_the_size():
    small = ET.fromstring(render_svg("hello", box_size=5, border=2))
    assert small.get("width") == str((21 + 2 * 2) * 5)


def test_png_has_png_magic():
    png = render_png("hello")
    assert png.startswith(PNG_MAGIC)
    assert render_png("hello", box_size=4) != png


def test_version_is_an_int():
    version = qr_version("hello")
    assert isinstance(version, int)
    assert version == 1
    assert qr_version("x" * 200) > version


def test_results_are_cached():
    render_svg.cache_clear()
    render_png.cache_clear()
    first = render_svg("cache me")
    assert render_svg("cache me") is first
    assert render_svg.cache_info().hits == 1
    png = render_png("cache me")
    assert render_png("cache me") is png
    assert render_png.cache_info().hits == 1
    assert render_svg.cache_info().maxsize == 512


def test_empty_text_refused():
    with pytest.raises(ValueError):
        render_svg("")
    with pytest.raises(ValueError):
        qr_version("")
