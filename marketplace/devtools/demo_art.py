"""Flat illustrations of the mountain provinces for demo listings that have no photos yet.

Everything is drawn with Pillow from a scene name and a seed, so the pictures are the same on
every machine and no image files need to live in the repository. Drawing happens at twice the
requested size and is reduced at the end, which smooths the edges.
"""

import colorsys
import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFilter

SCENES = ("karst", "stilt_house", "lake", "cave", "market", "terraces")

RGB = tuple[int, int, int]
Point = tuple[float, float]

_SUPERSAMPLE = 2


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------


def _hex(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _shade(color: RGB, factor: float) -> RGB:
    """Darken (factor < 1) or lighten (factor > 1) a colour."""
    if factor < 1:
        return _mix(color, (0, 0, 0), 1 - factor)
    return _mix(color, (255, 255, 255), factor - 1)


def _jitter(rng: random.Random, color: RGB, hue=0.02, sat=0.08, val=0.06) -> RGB:
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in color))
    h = (h + rng.uniform(-hue, hue)) % 1.0
    s = max(0.0, min(1.0, s + rng.uniform(-sat, sat)))
    v = max(0.0, min(1.0, v + rng.uniform(-val, val)))
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return (round(r * 255), round(g * 255), round(b * 255))


def _rgba(color: RGB, alpha: float) -> tuple[int, int, int, int]:
    return (*color, round(255 * max(0.0, min(1.0, alpha))))


_SKIES = [
    # top, horizon, sun glow
    (_hex("#7fb6d9"), _hex("#e9f1ee"), _hex("#fff4d6")),  # clear morning
    (_hex("#9cc3d8"), _hex("#f3e6cf"), _hex("#ffe2a8")),  # warm afternoon
    (_hex("#a7c7cf"), _hex("#dfe9e3"), _hex("#f6f3e4")),  # misty
    (_hex("#6e9fc7"), _hex("#f6d7b4"), _hex("#ffcf8f")),  # golden hour
]

_GREENS = [
    [_hex("#7fb54a"), _hex("#98c255"), _hex("#6aa345"), _hex("#b3cf62")],  # young rice
    [_hex("#c9b54a"), _hex("#d8c25a"), _hex("#a9b04a"), _hex("#e0cb6a")],  # ripening
    [_hex("#5f9e4a"), _hex("#78b04f"), _hex("#4f8e45"), _hex("#8fbd5a")],  # lush
]

_MOUNTAINS = [_hex("#2f6b5a"), _hex("#365f6e"), _hex("#3c6b4c"), _hex("#2c5f62")]

_FESTIVE = [
    _hex("#d9412b"),
    _hex("#2a6fb0"),
    _hex("#f0b429"),
    _hex("#2f9e6b"),
    _hex("#e0702e"),
    _hex("#8e3fa0"),
    _hex("#e86aa6"),
]
_INDIGO = _hex("#1f2d5a")
_SKIN = _hex("#c99a74")
_STRAW = _hex("#e8d9a8")


def _pick_sky(rng: random.Random) -> tuple[RGB, RGB, RGB]:
    top, horizon, glow = rng.choice(_SKIES)
    return _jitter(rng, top, 0.02, 0.05, 0.04), _jitter(rng, horizon, 0.01, 0.03, 0.02), glow


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------


def _gradient(size: tuple[int, int], stops: Sequence[tuple[float, RGB]]) -> Image.Image:
    """A vertical gradient through `stops` (position 0..1 from the top, colour)."""
    steps = 128
    column = []
    for i in range(steps):
        t = i / (steps - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if t <= p1:
                column.append(_mix(c0, c1, (t - p0) / max(p1 - p0, 1e-6)))
                break
        else:
            column.append(stops[-1][1])
    strip = Image.new("RGB", (1, steps))
    strip.putdata(column)
    strip = strip.resize((1, size[1]), Image.Resampling.BILINEAR)
    return strip.resize(size, Image.Resampling.NEAREST)


class _Small:
    """Draws full-size coordinates onto a small, offset mask."""

    def __init__(self, draw: ImageDraw.ImageDraw, scale: float, ox: float, oy: float):
        self.draw, self.s, self.ox, self.oy = draw, scale, ox, oy

    def _p(self, x: float, y: float) -> Point:
        return ((x - self.ox) * self.s, (y - self.oy) * self.s)

    def ellipse(self, box, fill: int) -> None:
        self.draw.ellipse([*self._p(box[0], box[1]), *self._p(box[2], box[3])], fill=fill)

    def polygon(self, points, fill: int) -> None:
        self.draw.polygon([self._p(x, y) for x, y in points], fill=fill)


def _soft_paint(
    image: Image.Image,
    color: RGB,
    box: tuple[float, float, float, float],
    paint: Callable[[_Small], None],
    blur: float,
) -> None:
    """Paint a soft-edged shape (glow, mist, light) in `color` inside `box` of the image."""
    w, h = image.size
    x0, y0 = max(0, int(box[0] - 2 * blur)), max(0, int(box[1] - 2 * blur))
    x1, y1 = min(w, int(box[2] + 2 * blur)), min(h, int(box[3] + 2 * blur))
    if x1 <= x0 or y1 <= y0:
        return
    scale = 1 / 8
    small = Image.new("L", (max(1, int((x1 - x0) * scale)), max(1, int((y1 - y0) * scale))), 0)
    paint(_Small(ImageDraw.Draw(small), scale, x0, y0))
    small = small.filter(ImageFilter.GaussianBlur(max(0.5, blur * scale)))
    mask = small.resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR)
    image.paste(color, (x0, y0, x1, y1), mask)


def _waves(rng: random.Random, count: int, low: float, high: float) -> list[tuple]:
    """Random sine components (weight, frequency, phase) for organic outlines."""
    return [
        (rng.uniform(0.4, 1.0), rng.uniform(low, high), rng.uniform(0, math.tau))
        for _ in range(count)
    ]


def _wave_value(waves: list[tuple], x: float) -> float:
    return sum(a * math.sin(f * x + p) for a, f, p in waves) / max(1, len(waves))


def _fill_below(draw: ImageDraw.ImageDraw, outline: list[Point], bottom: float, color) -> None:
    draw.polygon([(outline[0][0], bottom), *outline, (outline[-1][0], bottom)], fill=color)


def _layer_colours(near: RGB, haze: RGB, count: int) -> list[RGB]:
    """From far (hazy) to near (saturated)."""
    return [_mix(near, haze, 0.8 * (1 - i / max(1, count - 1)) + 0.04) for i in range(count)]


# --------------------------------------------------------------------------------------------
# Sky, mist, mountains
# --------------------------------------------------------------------------------------------


def _sky(
    rng: random.Random,
    size: tuple[int, int],
    top: RGB,
    horizon: RGB,
    glow: RGB,
    sun_y: tuple[float, float] = (0.1, 0.2),
):
    """Gradient sky with a soft sun and a few streaks of cloud."""
    w, h = size
    mid = _mix(top, horizon, 0.55)
    image = _gradient(size, [(0.0, top), (0.4, mid), (0.7, horizon), (1.0, horizon)])
    sx, sy = rng.uniform(0.12, 0.88) * w, rng.uniform(*sun_y) * h
    r = rng.uniform(0.032, 0.045) * w

    def glow_shape(d: _Small) -> None:
        d.ellipse([sx - 3.5 * r, sy - 3.5 * r, sx + 3.5 * r, sy + 3.5 * r], 90)
        d.ellipse([sx - 1.6 * r, sy - 1.6 * r, sx + 1.6 * r, sy + 1.6 * r], 170)

    _soft_paint(
        image, glow, (sx - 3.5 * r, sy - 3.5 * r, sx + 3.5 * r, sy + 3.5 * r), glow_shape, 1.8 * r
    )
    ImageDraw.Draw(image).ellipse(
        [sx - r, sy - r, sx + r, sy + r], fill=_mix(glow, (255, 255, 255), 0.55)
    )
    cloud = _mix(horizon, (255, 255, 255), 0.7)
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(0, w), rng.uniform(0.07, 0.3) * h
        length = rng.uniform(0.14, 0.28) * w
        blobs = [
            (
                cx + rng.uniform(-0.5, 0.5) * length,
                cy + rng.uniform(-0.012, 0.012) * h,
                length * rng.uniform(0.2, 0.4),
            )
            for _ in range(5)
        ]

        def cloud_shape(d: _Small, blobs=blobs) -> None:
            for bx, by, br in blobs:
                d.ellipse([bx - br, by - br * 0.2, bx + br, by + br * 0.2], 130)

        _soft_paint(
            image,
            cloud,
            (cx - length, cy - 0.06 * h, cx + length, cy + 0.06 * h),
            cloud_shape,
            0.012 * w,
        )
    return image


def _mist(image: Image.Image, y: float, thickness: float, color: RGB, strength: int = 150):
    w, _ = image.size

    def band(d: _Small) -> None:
        d.polygon(
            [
                (-w, y - thickness / 2),
                (2 * w, y - thickness / 2),
                (2 * w, y + thickness / 2),
                (-w, y + thickness / 2),
            ],
            strength,
        )

    _soft_paint(image, color, (0, y - thickness / 2, w, y + thickness / 2), band, thickness * 0.6)


def _karst_outline(
    rng: random.Random,
    width: int,
    base_y: float,
    peak: float,
    towers: int,
    tower_width: tuple[float, float],
    roughness: float = 0.02,
) -> list[Point]:
    """The skyline of a row of limestone towers: steep walls, domed tops, forest fuzz."""
    shapes = []
    for _ in range(towers):
        shapes.append(
            (
                rng.uniform(-0.08, 1.08) * width,  # centre
                rng.uniform(*tower_width) * width,  # half width
                peak * rng.uniform(0.5, 1.0),  # height
                rng.uniform(1.7, 3.2),  # squareness of the dome
                rng.uniform(-0.25, 0.25),  # lean
            )
        )
    broad = _waves(rng, 3, 2.0 / width, 6.0 / width)
    fine = _waves(rng, 4, 50.0 / width, 140.0 / width)
    step = max(3, width // 420)
    points: list[Point] = []
    for x in range(-step, width + 2 * step, step):
        lift = peak * 0.07 * (_wave_value(broad, x) + 1)
        for cx, half, th, p, lean in shapes:
            d = (x - cx) / half
            d = d - lean * (1 - d * d) if abs(d) < 1 else d
            if abs(d) < 1:
                lift = max(lift, th * (1 - abs(d) ** p) ** (1 / p))
            if abs(d) < 2.2:  # a foot of scree and forest around each tower
                lift = max(lift, th * 0.22 * math.exp(-((d / 1.3) ** 2)))
        lift += peak * roughness * _wave_value(fine, x) * (0.2 + lift / peak)
        points.append((x, base_y - lift))
    return points


def _karst_range(
    rng: random.Random,
    image: Image.Image,
    horizon: float,
    near: RGB,
    haze: RGB,
    layers: int,
    top: float = 0.18,
) -> None:
    """Layers of limestone towers receding into haze, with mist between them."""
    w, h = image.size
    for i, color in enumerate(_layer_colours(near, haze, layers)):
        depth = i / max(1, layers - 1)  # 0 far .. 1 near
        base = horizon + depth * 0.03 * h
        peak = (horizon - top * h) * rng.uniform(0.6, 1.0) * (1.0 - 0.2 * depth)
        outline = _karst_outline(
            rng,
            w,
            base,
            peak,
            towers=rng.randint(5, 8) - (i if layers > 3 else 0),
            tower_width=(0.03 + 0.015 * depth, 0.06 + 0.03 * depth),
            roughness=0.01 + 0.025 * depth,
        )
        draw = ImageDraw.Draw(image)
        if depth > 0.3:
            # lit western faces: the layer in a lighter tone, then itself shifted right
            _fill_below(draw, outline, h, _mix(color, haze, 0.28))
            dx, dy = 0.012 * w * (0.4 + depth), 0.006 * h
            outline = [(x + dx, y + dy) for x, y in outline]
        _fill_below(draw, outline, h, color)
        if i < layers - 1:
            _mist(image, base - 0.005 * h, 0.06 * h, haze, strength=rng.randint(110, 170))


def _rolling_hills(
    rng: random.Random, image: Image.Image, horizon: float, near: RGB, haze: RGB, layers: int
) -> None:
    w, h = image.size
    draw = ImageDraw.Draw(image)
    for i, color in enumerate(_layer_colours(near, haze, layers)):
        depth = i / max(1, layers - 1)
        waves = _waves(rng, 3, 3.0 / w, 9.0 / w)
        fine = _waves(rng, 3, 80.0 / w, 200.0 / w)
        amp = (0.09 - 0.03 * depth) * h
        base = horizon + depth * 0.05 * h
        step = max(3, w // 300)
        outline = [
            (x, base - amp * (_wave_value(waves, x) + 1) - 0.004 * h * _wave_value(fine, x))
            for x in range(0, w + step, step)
        ]
        _fill_below(draw, outline, h, color)


# --------------------------------------------------------------------------------------------
# Plants and small things
# --------------------------------------------------------------------------------------------


def _tree_line(rng: random.Random, draw, y: float, x0: float, x1: float, color: RGB, size: float):
    """A row of rounded tree crowns with the odd palm along a field edge."""
    x = x0
    while x < x1:
        r = size * rng.uniform(0.6, 1.25)
        c = _jitter(rng, color, hue=0.01, sat=0.05, val=0.06)
        if rng.random() < 0.2:
            _palm(draw, x, y, r * 2.6, c)
        else:
            draw.ellipse([x - r, y - 1.7 * r, x + r, y + 0.3 * r], fill=c)
            draw.ellipse(
                [x - 0.75 * r, y - 1.55 * r, x + 0.25 * r, y - 0.7 * r], fill=_shade(c, 1.08)
            )
        x += r * rng.uniform(0.9, 2.0)


def _palm(draw, x: float, y: float, height: float, color: RGB) -> None:
    """A fan palm (the leaves Tay roofs were traditionally thatched with)."""
    cx, cy = x + height * 0.05, y - height
    draw.line([(x, y), (cx, cy)], fill=_shade(color, 0.6), width=max(2, int(height * 0.045)))
    length = height * 0.42
    for k in range(13):
        angle = math.pi * (0.95 + k / 12 * 1.1)
        tip = (cx + math.cos(angle) * length, cy + math.sin(angle) * length * 0.8)
        side = (
            cx + math.cos(angle - 0.12) * length * 0.55,
            cy + math.sin(angle - 0.12) * length * 0.45,
        )
        draw.polygon([(cx, cy), side, tip], fill=color if k % 2 else _shade(color, 1.1))
    for k in range(4):  # drooping old leaves
        angle = math.pi * (0.2 + k * 0.2)
        tip = (cx + math.cos(angle) * length * 0.8, cy + math.sin(angle) * length * 0.6)
        draw.polygon(
            [(cx, cy), (cx + math.cos(angle + 0.25) * length * 0.4, cy + 0.02 * height), tip],
            fill=_shade(color, 0.85),
        )


def _banana(draw, x: float, y: float, height: float, color: RGB) -> None:
    """A banana plant: a stout stem and long paddle leaves that arch and droop."""
    stem_top = y - height * 0.5
    draw.polygon(
        [
            (x - height * 0.04, y),
            (x + height * 0.04, y),
            (x + height * 0.025, stem_top),
            (x - height * 0.025, stem_top),
        ],
        fill=_shade(color, 0.75),
    )
    for k, angle in enumerate((-2.75, -2.25, -1.8, -1.35, -0.9, -0.4)):
        length = height * (0.5 if k % 2 else 0.42)
        droop = height * (0.35 if abs(angle + 1.57) > 0.5 else 0.12)
        dx, dy = math.cos(angle), math.sin(angle)
        spine = []
        for j in range(9):
            t = j / 8
            spine.append((x + dx * length * t, stem_top + dy * length * t + droop * t * t))
        left, right = [], []
        for j, (sx, sy) in enumerate(spine):
            t = j / 8
            half = height * 0.07 * math.sin(math.pi * min(1.0, t * 1.05)) ** 0.7
            if j < 8:
                nx, ny = spine[j + 1][0] - sx, spine[j + 1][1] - sy
            else:
                nx, ny = sx - spine[j - 1][0], sy - spine[j - 1][1]
            norm = math.hypot(nx, ny) or 1.0
            px, py = -ny / norm * half, nx / norm * half
            left.append((sx + px, sy + py))
            right.append((sx - px, sy - py))
        leaf = _shade(color, 1.0 + 0.08 * (k % 2))
        draw.polygon([*left, *reversed(right)], fill=leaf)
        draw.line(spine, fill=_shade(leaf, 1.2), width=max(2, int(height * 0.008)))


def _bamboo(draw, rng: random.Random, x: float, y: float, height: float, color: RGB) -> None:
    """A clump of arching bamboo culms with slender leaves."""
    leaf = _shade(color, 1.05)
    for _ in range(8):
        lean = rng.uniform(-0.45, 0.45)
        top = (x + lean * height, y - height * rng.uniform(0.7, 1.0))
        ctrl = (x + lean * height * 0.15, y - height * 0.55)
        points = []
        for k in range(15):
            t = k / 14
            px = (1 - t) ** 2 * x + 2 * (1 - t) * t * ctrl[0] + t * t * top[0]
            py = (1 - t) ** 2 * y + 2 * (1 - t) * t * ctrl[1] + t * t * top[1]
            points.append((px, py))
        draw.line(points, fill=_shade(color, 0.8), width=max(2, int(height * 0.012)))
        for px, py in points[5:]:
            for side in (-1, 1):
                if rng.random() < 0.55:
                    length = height * rng.uniform(0.05, 0.085)
                    angle = (0.35 if side > 0 else math.pi - 0.35) + rng.uniform(-0.3, 0.3)
                    tip = (px + math.cos(angle) * length, py + math.sin(angle) * length)
                    nx, ny = -math.sin(angle) * length * 0.12, math.cos(angle) * length * 0.12
                    mid = ((px + tip[0]) / 2, (py + tip[1]) / 2)
                    draw.polygon(
                        [(px, py), (mid[0] + nx, mid[1] + ny), tip, (mid[0] - nx, mid[1] - ny)],
                        fill=leaf,
                    )


def _small_house(draw, rng: random.Random, x: float, y: float, s: float) -> None:
    """A distant stilt house: posts, a wooden body and a dark hip roof."""
    wood = _jitter(rng, _hex("#8a5a3a"), 0.01, 0.05, 0.05)
    roof = _jitter(rng, _hex("#5b4a3a"), 0.01, 0.05, 0.05)
    width = s * rng.uniform(1.8, 2.4)
    for k in range(4):
        px = x - width / 2 + width * k / 3
        draw.line(
            [(px, y), (px, y - s * 0.45)], fill=_shade(wood, 0.6), width=max(2, int(s * 0.08))
        )
    draw.rectangle([x - width / 2, y - s * 0.95, x + width / 2, y - s * 0.45], fill=wood)
    draw.polygon(
        [
            (x - width * 0.62, y - s * 0.9),
            (x - width * 0.3, y - s * 1.55),
            (x + width * 0.3, y - s * 1.55),
            (x + width * 0.62, y - s * 0.9),
        ],
        fill=roof,
    )


def _rice_fields(
    rng: random.Random, image: Image.Image, top: float, greens: Sequence[RGB], water: RGB
) -> None:
    """Paddies in perspective: curved rows cut by dikes that fan out towards the viewer."""
    w, h = image.size
    draw = ImageDraw.Draw(image, "RGBA")
    rows = rng.randint(7, 9)
    waves = _waves(rng, 2, 1.5 / w, 4.0 / w)
    step = max(4, w // 160)
    xs = list(range(-step, w + 2 * step, step))
    curves = []
    for i in range(rows + 1):
        t = (i / rows) ** 1.6
        y = top + (h - top) * t
        amp = 0.035 * t * h
        curves.append([y + amp * _wave_value(waves, x + i * 37) for x in xs])
    vx, vy = rng.uniform(0.3, 0.7) * w, top - 0.12 * h

    def fan_x(u: float, y: float) -> float:
        # a dike that starts at u on the far edge and runs towards the viewer
        return vx + (u - vx) * (y - vy) / (top - vy)

    dike = _hex("#9a8a58")
    for i in range(rows):
        t = i / rows
        upper, lower = curves[i], curves[i + 1]
        cuts = sorted(rng.uniform(-0.4, 1.4) * w for _ in range(rng.randint(3, 6)))
        edges = [-10.0 * w, *cuts, 11.0 * w]
        for a, b in zip(edges, edges[1:], strict=False):
            up = [(x, y) for x, y in zip(xs, upper, strict=True) if fan_x(a, y) <= x <= fan_x(b, y)]
            lo = [(x, y) for x, y in zip(xs, lower, strict=True) if fan_x(a, y) <= x <= fan_x(b, y)]
            if len(up) < 2 or len(lo) < 2:
                continue
            if rng.random() < 0.15:
                color = water
            else:
                color = _jitter(rng, rng.choice(greens), hue=0.015, sat=0.05, val=0.05)
                color = _shade(color, 0.9 + 0.12 * (1 - t))
            draw.polygon([*up, *reversed(lo)], fill=color)
            width = max(2, int(3 + 8 * t))
            draw.line([up[0], lo[0]], fill=_rgba(dike, 0.7), width=width)
        draw.line(
            list(zip(xs, lower, strict=True)), fill=_rgba(dike, 0.75), width=max(2, int(3 + 10 * t))
        )


# --------------------------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------------------------


def _scene_karst(rng: random.Random, w: int, h: int) -> Image.Image:
    top, horizon_color, glow = _pick_sky(rng)
    image = _sky(rng, (w, h), top, horizon_color, glow)
    horizon = h * rng.uniform(0.6, 0.66)
    near = _jitter(rng, rng.choice(_MOUNTAINS), 0.02, 0.06, 0.05)
    haze = _mix(horizon_color, top, 0.25)
    _karst_range(rng, image, horizon, near, haze, layers=rng.randint(3, 4))
    greens = rng.choice(_GREENS)
    water = _mix(top, (255, 255, 255), 0.35)
    field_top = horizon + 0.035 * h
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, field_top - 0.02 * h, w, h], fill=_shade(greens[2], 0.85))
    _tree_line(rng, draw, field_top, -20, w + 20, _mix(near, greens[2], 0.4), 0.018 * h)
    for _ in range(rng.randint(1, 3)):
        _small_house(draw, rng, rng.uniform(0.08, 0.92) * w, field_top + 0.002 * h, 0.04 * h)
    _rice_fields(rng, image, field_top + 0.004 * h, greens, water)
    return image


def _scene_terraces(rng: random.Random, w: int, h: int) -> Image.Image:
    top, horizon_color, glow = _pick_sky(rng)
    image = _sky(rng, (w, h), top, horizon_color, glow)
    haze = _mix(horizon_color, top, 0.25)
    near = _jitter(rng, rng.choice(_MOUNTAINS), 0.02, 0.06, 0.05)
    horizon = h * rng.uniform(0.36, 0.42)
    _karst_range(rng, image, horizon, _mix(near, haze, 0.3), haze, layers=2, top=0.2)
    greens = rng.choice(_GREENS)
    water = _mix(top, (255, 255, 255), 0.25)
    draw = ImageDraw.Draw(image, "RGBA")
    hill_top = horizon + 0.01 * h
    rows = rng.randint(10, 13)
    spur_x = rng.uniform(0.3, 0.7) * w
    spur = rng.uniform(0.16, 0.26) * h
    spur_w = rng.uniform(0.18, 0.28)
    tilt = rng.uniform(-0.08, 0.08) * h
    wobble = _waves(rng, 3, 4.0 / w, 10.0 / w)
    step = max(4, w // 200)
    xs = list(range(-step, w + 2 * step, step))

    def contour(i: int) -> list[Point]:
        t = (i / rows) ** 1.3
        y0 = hill_top + (h * 1.06 + spur * 1.2 - hill_top) * t
        points = []
        for x in xs:
            u = (x - spur_x) / w
            # contours bow upwards around a spur of the hill, like real terraces
            y = y0 - spur * math.exp(-((u / spur_w) ** 2)) * (0.2 + t) + tilt * (x / w - 0.5)
            y += (0.004 + 0.014 * t) * h * _wave_value(wobble, x + i * 53)
            points.append((x, y))
        return points

    contours = [contour(i) for i in range(rows + 1)]
    soil = _jitter(rng, _hex("#8d6b43"), 0.01, 0.05, 0.05)
    # in spring some terraces still hold water before planting; none once the rice ripens
    flooded = rng.random() < 0.4 and greens is not _GREENS[1]
    draw.polygon([*contours[0], (w + step, h), (-step, h)], fill=_shade(greens[2], 0.8))
    for i in range(rows):
        t = i / rows
        upper, lower = contours[i], contours[i + 1]
        if flooded and rng.random() < 0.35:
            color = _mix(water, _shade(greens[0], 1.1), rng.uniform(0.0, 0.25))
        else:
            color = _jitter(rng, greens[i % len(greens)], hue=0.012, sat=0.04, val=0.04)
        color = _mix(color, haze, 0.25 * (1 - t))
        draw.polygon([*upper, *reversed(lower)], fill=color)
        if i == 0:
            continue
        # the riser: the earth wall under the lip of the terrace above, taller near the viewer
        riser = max(3.0, (0.006 + 0.026 * t) * h)
        wall = _mix(_mix(_shade(greens[2], 0.55), soil, 0.55), haze, 0.3 * (1 - t))
        draw.polygon([*upper, *[(x, y + riser) for x, y in reversed(upper)]], fill=wall)
        draw.line(upper, fill=_rgba(_shade(greens[3], 1.2), 0.9), width=max(2, int(riser * 0.3)))
    _tree_line(
        rng,
        draw,
        hill_top + 0.012 * h,
        -20,
        w * rng.uniform(0.25, 0.5),
        _mix(near, greens[2], 0.4),
        0.02 * h,
    )
    _small_house(draw, rng, rng.uniform(0.6, 0.9) * w, hill_top + 0.03 * h, 0.045 * h)
    return image


def _scene_stilt_house(rng: random.Random, w: int, h: int) -> Image.Image:
    top, horizon_color, glow = _pick_sky(rng)
    image = _sky(rng, (w, h), top, horizon_color, glow)
    haze = _mix(horizon_color, top, 0.25)
    near = _jitter(rng, rng.choice(_MOUNTAINS), 0.02, 0.06, 0.05)
    horizon = h * rng.uniform(0.48, 0.56)
    _karst_range(rng, image, horizon, _mix(near, haze, 0.2), haze, layers=2, top=0.14)
    greens = rng.choice(_GREENS[::2])
    _rolling_hills(rng, image, horizon + 0.08 * h, _shade(greens[2], 0.8), haze, layers=2)
    draw = ImageDraw.Draw(image, "RGBA")
    if rng.random() < 0.5:  # a neighbour's house on the hillside
        _small_house(draw, rng, rng.uniform(0.1, 0.9) * w, horizon + 0.1 * h, 0.035 * h)
    ground_y = h * rng.uniform(0.78, 0.83)
    ground = _jitter(rng, greens[0], 0.01, 0.04, 0.04)
    draw.polygon(
        [
            (0, ground_y + 0.02 * h),
            (w * 0.5, ground_y - 0.01 * h),
            (w, ground_y + 0.015 * h),
            (w, h),
            (0, h),
        ],
        fill=ground,
    )
    paddy = rng.random() < 0.45
    if paddy:  # the family's rice field in front of the house
        water = _mix(top, (255, 255, 255), 0.35)
        _rice_fields(rng, image, ground_y + 0.06 * h, rng.choice(_GREENS), water)
        draw = ImageDraw.Draw(image, "RGBA")

    house_w = w * rng.uniform(0.38, 0.5)
    cx = w * rng.uniform(0.36, 0.64)
    left, right = cx - house_w / 2, cx + house_w / 2
    floor_y = ground_y - h * rng.uniform(0.14, 0.17)
    wall_top = floor_y - h * rng.uniform(0.13, 0.16)
    wood = _jitter(
        rng, rng.choice([_hex("#9a6440"), _hex("#8b5a3c"), _hex("#a87350")]), 0.01, 0.05, 0.05
    )
    dark_wood = _shade(wood, 0.55)
    thin = max(2, int(w * 0.003))

    draw.ellipse(
        [left - 0.02 * w, ground_y - 0.012 * h, right + 0.02 * w, ground_y + 0.03 * h],
        fill=(0, 0, 0, 45),
    )
    posts = rng.randint(6, 8)
    post_w = max(4, int(w * 0.009))
    for k in range(posts):
        px = left + 0.02 * w + (house_w - 0.04 * w) * k / (posts - 1)
        draw.rectangle(
            [px - post_w / 2, floor_y, px + post_w / 2, ground_y + 0.008 * h], fill=dark_wood
        )
    # under the floor: a woodpile and a basket
    pile_x = left + rng.uniform(0.04, 0.4) * house_w
    draw.rectangle(
        [pile_x, ground_y - 0.035 * h, pile_x + 0.09 * w, ground_y], fill=_shade(wood, 0.75)
    )
    for k in range(4):
        y = ground_y - 0.035 * h + k * 0.009 * h
        draw.line([(pile_x, y), (pile_x + 0.09 * w, y)], fill=dark_wood, width=2)
    bx = right - rng.uniform(0.12, 0.3) * house_w
    draw.ellipse([bx, ground_y - 0.04 * h, bx + 0.04 * w, ground_y], fill=_hex("#b58a4f"))
    # floor beam, plank walls, lattice windows
    draw.rectangle(
        [left - 0.01 * w, floor_y - 0.012 * h, right + 0.01 * w, floor_y + 0.008 * h],
        fill=dark_wood,
    )
    draw.rectangle([left, wall_top, right, floor_y - 0.012 * h], fill=wood)
    x = left
    while x < right:
        draw.line([(x, wall_top), (x, floor_y - 0.012 * h)], fill=_shade(wood, 0.85), width=2)
        x += w * 0.012
    wins = rng.randint(2, 4)
    win_w = house_w * rng.uniform(0.1, 0.13)
    for k in range(wins):
        wx = left + house_w * (k + 0.5) / wins - win_w / 2
        wy0, wy1 = wall_top + 0.03 * h, floor_y - 0.045 * h
        draw.rectangle([wx, wy0, wx + win_w, wy1], fill=_hex("#3a2a20"))
        for j in range(1, 5):
            lx = wx + win_w * j / 5
            draw.line([(lx, wy0), (lx, wy1)], fill=_shade(wood, 1.1), width=thin)
        draw.rectangle([wx - 3, wy0 - 3, wx + win_w + 3, wy0 + 3], fill=dark_wood)
    # veranda with a railing and a ladder
    side = rng.choice((-1, 1))
    vx0, vx1 = (left - 0.11 * w, left) if side < 0 else (right, right + 0.11 * w)
    draw.rectangle([vx0, floor_y - 0.012 * h, vx1, floor_y + 0.006 * h], fill=dark_wood)
    for k in range(6):
        px = vx0 + (vx1 - vx0) * k / 5
        draw.line([(px, floor_y - 0.05 * h), (px, floor_y)], fill=dark_wood, width=thin)
    draw.line(
        [(vx0, floor_y - 0.05 * h), (vx1, floor_y - 0.05 * h)], fill=dark_wood, width=thin + 1
    )
    for px in (vx0, vx1):
        draw.rectangle(
            [px - post_w / 2, floor_y, px + post_w / 2, ground_y + 0.008 * h], fill=dark_wood
        )
    if rng.random() < 0.6:  # washing drying on the veranda rail
        for k in range(rng.randint(2, 4)):
            px = vx0 + (vx1 - vx0) * (0.12 + 0.22 * k)
            cloth = rng.choice([_INDIGO, *_FESTIVE, (240, 240, 235)])
            draw.rectangle(
                [px, floor_y - 0.05 * h, px + 0.018 * w, floor_y - 0.05 * h + 0.045 * h],
                fill=cloth,
            )
    lx = vx0 + 0.02 * w if side < 0 else vx1 - 0.02 * w
    foot = lx + side * 0.06 * w
    for rail in (-0.012 * w, 0.012 * w):
        draw.line(
            [(lx + rail, floor_y), (foot + rail, ground_y + 0.01 * h)],
            fill=dark_wood,
            width=thin + 1,
        )
    for k in range(1, 7):
        t = k / 7
        yy = floor_y + (ground_y - floor_y) * t
        xx = lx + (foot - lx) * t
        draw.line([(xx - 0.012 * w, yy), (xx + 0.012 * w, yy)], fill=dark_wood, width=thin)
    _stilt_roof(draw, rng, w, h, left, right, wall_top)

    # the garden: banana plants, a fan palm, bamboo
    plant = _jitter(rng, _hex("#4f8f3f"), 0.02, 0.06, 0.05)
    far = -side
    bx = cx + far * (house_w / 2 + rng.uniform(0.06, 0.12) * w)
    _banana(draw, bx, ground_y + 0.01 * h, h * rng.uniform(0.22, 0.3), plant)
    if rng.random() < 0.7:
        _banana(draw, bx + far * 0.07 * w, ground_y + 0.02 * h, h * 0.2, _shade(plant, 1.08))
    palm_x = cx - far * (house_w / 2 + rng.uniform(0.16, 0.24) * w)
    _palm(draw, palm_x, ground_y + 0.01 * h, h * rng.uniform(0.36, 0.46), _shade(plant, 0.9))
    bamboo_x = w * (rng.uniform(0.0, 0.06) if far < 0 else rng.uniform(0.94, 1.0))
    _bamboo(
        draw, rng, bamboo_x, ground_y + 0.01 * h, h * rng.uniform(0.42, 0.56), _shade(plant, 1.1)
    )
    if not paddy:
        for _ in range(40):
            gx, gy = rng.uniform(0, w), rng.uniform(ground_y + 0.04 * h, h)
            draw.line(
                [(gx, gy), (gx + rng.uniform(-6, 6), gy - 0.02 * h)],
                fill=_shade(ground, 0.8),
                width=3,
            )
    return image


def _stilt_roof(draw, rng: random.Random, w, h, left: float, right: float, wall_top: float):
    """A steep hip roof: palm-leaf thatch, or the curved clay tiles of Lang Son houses."""
    house_w = right - left
    eave_y = wall_top + 0.01 * h
    ridge_y = wall_top - h * rng.uniform(0.19, 0.24)
    over = 0.06 * w
    roof = [
        (left - over, eave_y),
        (left + house_w * 0.22, ridge_y),
        (right - house_w * 0.22, ridge_y),
        (right + over, eave_y),
    ]
    tiles = rng.random() < 0.4
    if tiles:
        color = _jitter(
            rng, rng.choice([_hex("#8a4a32"), _hex("#6e4a3c"), _hex("#5e5650")]), 0.01, 0.05, 0.04
        )
    else:
        color = _jitter(
            rng, rng.choice([_hex("#7d6a45"), _hex("#6f6545"), _hex("#8a7048")]), 0.01, 0.06, 0.05
        )
    draw.polygon(roof, fill=color)
    draw.polygon([roof[0], roof[1], (left + house_w * 0.12, eave_y)], fill=_shade(color, 0.82))
    draw.polygon([roof[3], roof[2], (right - house_w * 0.12, eave_y)], fill=_shade(color, 0.82))
    if tiles:
        # rows of tiles running down the slope
        step = 0.012 * w
        x = roof[1][0]
        while x < roof[2][0]:
            t = (x - roof[1][0]) / max(1.0, roof[2][0] - roof[1][0])
            bottom_x = left + house_w * 0.12 + (house_w * 0.76) * t
            draw.line(
                [(x, ridge_y), (bottom_x, eave_y)],
                fill=_rgba(_shade(color, 0.7), 0.8),
                width=max(2, int(w * 0.003)),
            )
            x += step
        for k in range(1, 6):
            t = k / 6
            y = ridge_y + (eave_y - ridge_y) * t
            xl = roof[1][0] + (roof[0][0] - roof[1][0]) * t
            xr = roof[2][0] + (roof[3][0] - roof[2][0]) * t
            draw.line([(xl, y), (xr, y)], fill=_rgba(_shade(color, 1.15), 0.35), width=2)
    else:
        rows = 9
        for k in range(1, rows):
            t = k / rows
            y = ridge_y + (eave_y - ridge_y) * t
            xl = roof[1][0] + (roof[0][0] - roof[1][0]) * t
            xr = roof[2][0] + (roof[3][0] - roof[2][0]) * t
            draw.line(
                [(xl, y), (xr, y)],
                fill=_rgba(_shade(color, 0.7), 0.7),
                width=max(2, int(h * 0.004)),
            )
            x = xl
            while x < xr:
                draw.line(
                    [(x, y), (x + 0.004 * w, y - 0.012 * h)],
                    fill=_rgba(_shade(color, 1.2), 0.6),
                    width=2,
                )
                x += 0.011 * w
    draw.line([roof[1], roof[2]], fill=_shade(color, 0.6), width=max(4, int(h * 0.008)))
    draw.line([roof[0], roof[3]], fill=_shade(color, 0.55), width=max(3, int(h * 0.006)))


def _scene_lake(rng: random.Random, w: int, h: int) -> Image.Image:
    top, horizon_color, glow = _pick_sky(rng)
    image = _sky(rng, (w, h), top, horizon_color, glow)
    haze = _mix(horizon_color, top, 0.25)
    near = _jitter(rng, rng.choice(_MOUNTAINS), 0.02, 0.06, 0.05)
    water_y = h * rng.uniform(0.56, 0.62)
    _karst_range(rng, image, water_y, near, haze, layers=rng.randint(3, 4), top=0.12)
    draw = ImageDraw.Draw(image)
    # a near wall of forested cliffs on one side, coming down to the water
    side = rng.choice((-1, 1))
    cliff = _shade(near, 0.85)
    fine = _waves(rng, 4, 60.0 / w, 150.0 / w)
    span = rng.uniform(0.26, 0.38) * w
    top_y = h * rng.uniform(0.08, 0.16)
    pts = []
    for k in range(0, 121):
        t = k / 120
        x = t * span if side < 0 else w - t * span
        y = top_y + (water_y - top_y) * (t**1.7) + 0.01 * h * _wave_value(fine, x)
        pts.append((x, y))
    edge = 0 if side < 0 else w
    lit = [(x - side * 0.012 * w, y - 0.004 * h) for x, y in pts]
    draw.polygon(
        [(edge, water_y), (edge, top_y), *lit, (lit[-1][0], water_y)], fill=_mix(cliff, haze, 0.3)
    )
    draw.polygon([(edge, water_y), (edge, top_y), *pts, (pts[-1][0], water_y)], fill=cliff)
    # the water: a gradient with the hills mirrored in it, then glints
    wy = int(water_y)
    water = _gradient(
        (w, h - wy), [(0.0, _mix(haze, near, 0.25)), (1.0, _shade(_mix(near, top, 0.35), 0.8))]
    )
    reflect_h = min(wy, h - wy)
    reflection = image.crop((0, wy - reflect_h, w, wy)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    reflection = reflection.resize(
        (max(1, w // 6), max(1, reflect_h // 12)), Image.Resampling.BILINEAR
    )
    reflection = reflection.resize((w, reflect_h), Image.Resampling.BILINEAR)
    fade = _gradient((1, reflect_h), [(0.0, (160, 160, 160)), (1.0, (30, 30, 30))]).convert("L")
    water.paste(reflection, (0, 0), fade.resize((w, reflect_h), Image.Resampling.NEAREST))
    image.paste(water, (0, wy))
    draw = ImageDraw.Draw(image, "RGBA")
    draw.line([(0, water_y), (w, water_y)], fill=_rgba(_shade(near, 0.7), 0.5), width=3)
    for _ in range(70):
        y = rng.uniform(water_y + 0.01 * h, h)
        t = (y - water_y) / (h - water_y)
        x = rng.uniform(-0.05, 1) * w
        length = (0.02 + 0.08 * t) * w
        draw.line(
            [(x, y), (x + length, y)],
            fill=_rgba((255, 255, 255), 0.1 + 0.16 * rng.random()),
            width=max(2, int(1 + 3 * t)),
        )
    _long_tail_boat(draw, rng, w, h, water_y)
    return image


def _long_tail_boat(draw, rng: random.Random, w: int, h: int, water_y: float) -> None:
    """A slim wooden boat with a long-tail engine, a boatman at the stern and passengers."""
    s = h * rng.uniform(0.065, 0.08)
    bx = w * rng.uniform(0.38, 0.62)
    by = water_y + (h - water_y) * rng.uniform(0.45, 0.6)
    d = rng.choice((-1, 1))  # the way the bow points
    length = s * 6.5
    hull = _jitter(
        rng, rng.choice([_hex("#5a3a28"), _hex("#2f4a5a"), _hex("#6b3f2a")]), 0.01, 0.05, 0.05
    )
    bow, stern = bx + d * length / 2, bx - d * length / 2
    for k in range(3):  # the wake spreading behind
        reach = stern - d * length * (0.5 + 0.35 * k)
        spread = (k + 1) * 0.3 * s
        draw.line(
            [(stern, by), (reach, by - spread * 0.25)],
            fill=(255, 255, 255, 70),
            width=max(2, int(s * 0.05)),
        )
        draw.line(
            [(stern, by + 0.15 * s), (reach, by + spread)],
            fill=(255, 255, 255, 60),
            width=max(2, int(s * 0.05)),
        )
    draw.polygon(
        [(stern, by + 0.05 * s), (bow, by), (bx, by + 0.6 * s)], fill=_rgba(_shade(hull, 0.5), 0.35)
    )
    gunwale = [(stern, by - 0.35 * s), (bx, by - 0.3 * s), (bow + d * 0.4 * s, by - 0.75 * s)]
    draw.polygon(
        [*gunwale, (bow - d * 0.5 * s, by), (stern + d * 0.3 * s, by + 0.05 * s)], fill=hull
    )
    draw.line(gunwale, fill=_shade(hull, 1.35), width=max(2, int(s * 0.07)))
    # passengers in life jackets, facing the bow
    for k in range(rng.randint(1, 3)):
        qx = bx + d * (0.2 + 0.75 * k) * s
        vest = rng.choice([_hex("#e8702a"), _hex("#f0a030"), _hex("#e85a3a")])
        draw.rectangle([qx - 0.2 * s, by - 0.95 * s, qx + 0.2 * s, by - 0.4 * s], fill=vest)
        draw.ellipse(
            [qx - 0.15 * s, by - 1.27 * s, qx + 0.15 * s, by - 0.95 * s], fill=_hex("#3a2a22")
        )
    # the boatman at the stern with the engine and its long drive shaft
    px = stern + d * 0.9 * s
    draw.rectangle([px - 0.22 * s, by - 1.25 * s, px + 0.22 * s, by - 0.4 * s], fill=_INDIGO)
    draw.ellipse([px - 0.17 * s, by - 1.58 * s, px + 0.17 * s, by - 1.24 * s], fill=_SKIN)
    draw.polygon(
        [(px - 0.5 * s, by - 1.4 * s), (px, by - 1.9 * s), (px + 0.5 * s, by - 1.4 * s)],
        fill=_STRAW,
    )
    ex = stern + d * 0.35 * s
    draw.rectangle(
        [ex - 0.28 * s, by - 0.75 * s, ex + 0.28 * s, by - 0.38 * s], fill=(60, 60, 64, 255)
    )
    draw.line(
        [(px, by - 0.85 * s), (ex, by - 0.55 * s)],
        fill=(50, 50, 54, 255),
        width=max(2, int(s * 0.06)),
    )
    draw.line(
        [(ex, by - 0.55 * s), (stern - d * 1.7 * s, by + 0.25 * s)],
        fill=(50, 50, 54, 255),
        width=max(2, int(s * 0.08)),
    )


def _scene_cave(rng: random.Random, w: int, h: int) -> Image.Image:
    # the world outside the cave mouth, bright and hazy
    top, horizon_color, glow = _pick_sky(rng)
    white = (255, 255, 255)
    image = _sky(rng, (w, h), _mix(top, white, 0.2), _mix(horizon_color, white, 0.3), glow)
    haze = _mix(horizon_color, white, 0.35)
    near = _jitter(rng, rng.choice(_MOUNTAINS), 0.02, 0.06, 0.05)
    water_y = h * rng.uniform(0.58, 0.63)
    _karst_range(rng, image, water_y, _mix(near, haze, 0.25), haze, layers=3, top=0.16)
    river = _mix(haze, near, 0.22)
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle([0, water_y, w, h], fill=river)

    # the mouth: an irregular arch; the river runs out of it towards the viewer
    cx = w * rng.uniform(0.42, 0.58)
    mouth_w = w * rng.uniform(0.46, 0.56)
    mouth_top = h * rng.uniform(0.12, 0.2)
    floor = water_y + 0.01 * h
    lumps = _waves(rng, 4, 3.0, 9.0)
    mouth = []
    for k in range(0, 181, 2):
        a = math.pi * k / 180
        r = 1 + 0.06 * _wave_value(lumps, a)
        mouth.append(
            (
                cx - math.cos(a) * mouth_w / 2 * r,
                floor - math.sin(a) ** 0.75 * (floor - mouth_top) * r,
            )
        )
    bank_l, bank_r = rng.uniform(0.02, 0.16) * w, rng.uniform(0.84, 0.98) * w
    # a river cave like Puong, or a dry show cave like Hua Ma with a stairway
    dry = rng.random() < 0.4
    opening = mouth if dry else [*mouth, (bank_r, h), (bank_l, h)]

    if not dry:
        # the inside of the river: dark near the walls, a bright streak of reflected daylight
        dark_water = _shade(river, 0.35)
        bands = 12
        for k in range(bands):
            t0, t1 = k / bands, (k + 1) / bands
            y0, y1 = floor + (h - floor) * t0, floor + (h - floor) * t1 + 1
            xl0, xl1 = (
                mouth[0][0] + (bank_l - mouth[0][0]) * t0,
                mouth[0][0] + (bank_l - mouth[0][0]) * t1,
            )
            xr0, xr1 = (
                mouth[-1][0] + (bank_r - mouth[-1][0]) * t0,
                mouth[-1][0] + (bank_r - mouth[-1][0]) * t1,
            )
            draw.polygon(
                [(xl0, y0), (xr0, y0), (xr1, y1), (xl1, y1)],
                fill=_mix(river, dark_water, 0.15 + t0 * 0.75),
            )
        sparkle = _mix(glow, white, 0.5)
        for _ in range(45):
            t = rng.random() ** 0.8
            y = floor + (h - floor) * t
            x = cx + rng.gauss(0, 0.3) * mouth_w * (0.5 + 0.4 * t)
            length = (0.015 + 0.05 * t) * w
            draw.line(
                [(x - length / 2, y), (x + length / 2, y)],
                fill=_rgba(sparkle, 0.4 * (1 - t) + 0.1),
                width=max(2, int(1 + 4 * t)),
            )
        # a boat in the light
        if rng.random() < 0.75:
            s = h * 0.028
            bx, by = cx + rng.uniform(-0.08, 0.08) * w, floor + (h - floor) * rng.uniform(0.2, 0.35)
            draw.polygon(
                [
                    (bx - 3 * s, by - 0.4 * s),
                    (bx + 3 * s, by - 0.6 * s),
                    (bx + 2.3 * s, by + 0.2 * s),
                    (bx - 2.4 * s, by + 0.2 * s),
                ],
                fill=(30, 26, 24, 255),
            )
            for k in range(3):
                px = bx - 1.5 * s + k * 1.4 * s
                draw.rectangle(
                    [px - 0.25 * s, by - 1.25 * s, px + 0.25 * s, by - 0.4 * s],
                    fill=rng.choice([(232, 112, 42, 255), (240, 160, 48, 255)]),
                )
                draw.ellipse(
                    [px - 0.2 * s, by - 1.65 * s, px + 0.2 * s, by - 1.25 * s],
                    fill=(40, 32, 28, 255),
                )

    # the rock: drawn on its own layer, then laid over everything but the opening
    rock = _jitter(
        rng, rng.choice([_hex("#3b3530"), _hex("#34373a"), _hex("#3d3a33")]), 0.01, 0.04, 0.03
    )
    rock_img = _gradient(
        (w, h), [(0.0, _shade(rock, 0.55)), (0.45, rock), (1.0, _shade(rock, 0.45))]
    )
    rd = ImageDraw.Draw(rock_img)
    for _ in range(5):  # bedding planes of the limestone
        y = rng.uniform(0.05, 0.95) * h
        waves = _waves(rng, 2, 2.0 / w, 6.0 / w)
        thick = rng.uniform(0.01, 0.03) * h
        edge = [(x, y + 0.04 * h * _wave_value(waves, x)) for x in range(0, w + 40, 40)]
        tone = _shade(rock, rng.choice((0.88, 0.93, 1.05)))
        rd.polygon([*edge, *[(x, yy + thick) for x, yy in reversed(edge)]], fill=tone)
    for _ in range(18):  # flowstone curtains running down the walls
        x = rng.uniform(0, w)
        y0 = rng.uniform(-0.1, 0.5) * h
        length = rng.uniform(0.15, 0.5) * h
        half = rng.uniform(0.01, 0.035) * w
        tone = _shade(rock, rng.uniform(0.88, 1.07))
        rd.polygon(
            [
                (x - half, y0),
                (x + half, y0),
                (x + 0.3 * half, y0 + length),
                (x - 0.2 * half, y0 + length * 0.9),
            ],
            fill=tone,
        )
    light = _mix(glow, rock, 0.45)
    mask = Image.new("L", (w, h), 255)
    md = ImageDraw.Draw(mask)
    md.polygon(opening, fill=0)
    # stalactites hanging into the opening
    for _ in range(rng.randint(10, 16)):
        k = rng.randint(12, len(mouth) - 13)
        x, y = mouth[k]
        length = rng.uniform(0.03, 0.12) * h * math.sin(math.pi * k / (len(mouth) - 1))
        half = rng.uniform(0.006, 0.016) * w
        md.polygon(
            [(x - half, y - 6), (x + half, y - 6), (x + rng.uniform(-0.3, 0.3) * half, y + length)],
            fill=255,
        )
    # boulders on both banks
    for bank, sign in ((bank_l, 1), (bank_r, -1)):
        for _ in range(4):
            t = rng.uniform(0.3, 1.0)
            x = (mouth[0][0] if sign > 0 else mouth[-1][0]) + (
                bank - (mouth[0][0] if sign > 0 else mouth[-1][0])
            ) * t
            y = floor + (h - floor) * t
            r = (0.02 + 0.05 * t) * w
            md.ellipse(
                [x - r + sign * 0.3 * r, y - 0.5 * r, x + r + sign * 0.3 * r, y + 0.35 * r],
                fill=255,
            )
    # daylight catching the rim of the mouth
    rim = mask.resize((w // 8, h // 8), Image.Resampling.BILINEAR).filter(
        ImageFilter.GaussianBlur(2)
    )
    rim = rim.resize((w, h), Image.Resampling.BILINEAR)
    lit_rock = Image.composite(rock_img, Image.new("RGB", (w, h), light), rim)
    image.paste(lit_rock, (0, 0), mask)
    if dry:
        _cave_stairs(ImageDraw.Draw(image, "RGBA"), rng, w, h, cx, floor, rock, light)
    # a soft shaft of light falling into the cave
    beam = [
        (cx - mouth_w * 0.25, mouth_top),
        (cx + mouth_w * 0.1, mouth_top),
        (cx + mouth_w * 0.55, h),
        (cx - mouth_w * 0.15, h),
    ]
    _soft_paint(
        image,
        _mix(glow, white, 0.4),
        (cx - mouth_w * 0.3, mouth_top, cx + mouth_w * 0.6, h),
        lambda d: d.polygon(beam, 40),
        0.04 * w,
    )
    return image


def _cave_stairs(draw, rng: random.Random, w, h, cx: float, floor: float, rock: RGB, light: RGB):
    """A stone stairway climbing to the cave mouth, between stalagmites."""
    stone = _mix(rock, light, 0.45)
    top_half, bottom_half = 0.05 * w, 0.2 * w
    bend = rng.uniform(-0.12, 0.12) * w
    steps = 11
    for k in range(steps):
        t0, t1 = k / steps, (k + 1) / steps
        # the path widens and bends as it comes towards the viewer
        y0 = floor + (h - floor) * t0**1.3
        y1 = floor + (h - floor) * t1**1.3
        c0, c1 = cx + bend * t0 * t0, cx + bend * t1 * t1
        hw0 = top_half + (bottom_half - top_half) * t0
        hw1 = top_half + (bottom_half - top_half) * t1
        tread = _mix(stone, rock, 0.15 + 0.5 * t0)
        draw.polygon([(c0 - hw0, y0), (c0 + hw0, y0), (c1 + hw1, y1), (c1 - hw1, y1)], fill=tread)
        riser = (y1 - y0) * 0.35
        draw.polygon(
            [(c1 - hw1, y1 - riser), (c1 + hw1, y1 - riser), (c1 + hw1, y1), (c1 - hw1, y1)],
            fill=_shade(tread, 0.75),
        )
    # a handrail along one side
    side = rng.choice((-1, 1))
    rail = []
    for k in range(steps + 1):
        t = k / steps
        y = floor + (h - floor) * t**1.3
        c = cx + bend * t * t
        rail.append(
            (c + side * (top_half + (bottom_half - top_half) * t) * 1.08, y - (0.02 + 0.06 * t) * h)
        )
    draw.line(rail, fill=_rgba(_shade(light, 0.8), 0.9), width=max(2, int(0.004 * h)))
    for x, y in rail[1::2]:
        draw.line(
            [(x, y), (x, y + 0.05 * h * (y - floor) / (h - floor) + 0.01 * h)],
            fill=_rgba(_shade(light, 0.7), 0.9),
            width=max(2, int(0.003 * h)),
        )
    # stalagmites rising from the floor on either side
    for _ in range(rng.randint(5, 8)):
        t = rng.uniform(0.1, 0.9)
        y = floor + (h - floor) * t**1.3
        c = cx + bend * t * t
        half_path = top_half + (bottom_half - top_half) * t
        x = c + rng.choice((-1, 1)) * (half_path * rng.uniform(1.3, 3.0))
        height = (0.05 + 0.2 * t) * h * rng.uniform(0.6, 1.0)
        base = (0.012 + 0.03 * t) * w
        tone = _mix(rock, light, rng.uniform(0.05, 0.22))
        _stalagmite(draw, rng, x, y, base, height, tone)


def _stalagmite(draw, rng: random.Random, x: float, y: float, base: float, height: float, tone):
    """A knobbly column of flowstone with a rounded tip, lit from the cave mouth."""
    bumps = _waves(rng, 2, 9.0, 16.0)
    left, right = [], []
    for k in range(13):
        t = k / 12
        half = base * (1 - t) ** 0.8 * (1 + 0.15 * _wave_value(bumps, t * 3)) + base * 0.12
        yy = y - height * t
        left.append((x - half, yy))
        right.append((x + half, yy))
    tip = base * 0.12
    draw.polygon([*left, *reversed(right)], fill=tone)
    draw.ellipse([x - tip, y - height - tip, x + tip, y - height + tip], fill=tone)
    shadow = [(x + base * 0.1 * (1 - k / 12), yy) for k, (_, yy) in enumerate(right)]
    draw.polygon([*shadow, *reversed(right)], fill=_shade(tone, 0.78))


def _scene_market(rng: random.Random, w: int, h: int) -> Image.Image:
    top, horizon_color, glow = _pick_sky(rng)
    image = _sky(rng, (w, h), top, horizon_color, glow)
    haze = _mix(horizon_color, top, 0.25)
    near = _jitter(rng, rng.choice(_MOUNTAINS), 0.02, 0.06, 0.05)
    horizon = h * rng.uniform(0.38, 0.43)
    _karst_range(rng, image, horizon, _mix(near, haze, 0.3), haze, layers=2, top=0.18)
    greens = rng.choice(_GREENS[::2])
    _rolling_hills(rng, image, horizon + 0.1 * h, _shade(greens[2], 0.8), haze, layers=2)
    draw = ImageDraw.Draw(image, "RGBA")
    # the market sits on a hillside clearing that slopes down to one side
    slope = rng.choice((-1, 1)) * rng.uniform(0.05, 0.09) * h
    ground_top = h * 0.58

    def ground_y(x: float) -> float:
        return ground_top - slope * (x / w - 0.5)

    grass = _shade(greens[0], 0.95)
    earth = _jitter(rng, _hex("#c9a877"), 0.01, 0.05, 0.04)
    draw.polygon(
        [(0, ground_y(0) - 0.02 * h), (w, ground_y(w) - 0.02 * h), (w, h), (0, h)], fill=grass
    )
    draw.polygon(
        [(0, ground_y(0) + 0.02 * h), (w, ground_y(w) + 0.02 * h), (w, h), (0, h)], fill=earth
    )
    # a big tree at the edge of the market
    tx = rng.choice((0.06, 0.94)) * w
    trunk = _hex("#5a4030")
    draw.rectangle(
        [tx - 0.012 * w, ground_y(tx) - 0.18 * h, tx + 0.012 * w, ground_y(tx) + 0.02 * h],
        fill=trunk,
    )
    leaf = _jitter(rng, _hex("#3f7f3a"), 0.02, 0.05, 0.05)
    for k in range(7):
        r = rng.uniform(0.05, 0.08) * w
        ox, oy = rng.uniform(-0.06, 0.06) * w, rng.uniform(-0.3, -0.18) * h
        draw.ellipse(
            [tx + ox - r, ground_y(tx) + oy - r * 0.8, tx + ox + r, ground_y(tx) + oy + r * 0.8],
            fill=_shade(leaf, 0.9 + 0.04 * k),
        )
    # bunting strung across the market
    ya, yb = ground_y(0) - 0.25 * h, ground_y(w) - 0.25 * h
    pts = [
        (x, ya + (yb - ya) * x / w + 0.05 * h * math.sin(math.pi * x / w))
        for x in range(0, w + 1, max(1, w // 50))
    ]
    draw.line(pts, fill=(80, 60, 40, 220), width=max(2, int(0.003 * h)))
    for k in range(0, len(pts) - 1, 2):
        (xa, yaa), (xb, ybb) = pts[k], pts[k + 1]
        draw.polygon(
            [(xa, yaa), (xb, ybb), ((xa + xb) / 2, (yaa + ybb) / 2 + 0.035 * h)],
            fill=rng.choice(_FESTIVE),
        )
    # stalls and people, drawn back to front
    things = []
    for depth_y, scale, count in ((0.05, 0.7, 4), (0.17, 0.9, 3), (0.31, 1.15, 3)):
        for k in range(count):
            x = (k + rng.uniform(0.2, 0.8)) / count * w
            things.append((ground_y(x) + depth_y * h, "stall", x, scale))
    for _ in range(rng.randint(12, 16)):
        depth = rng.uniform(0.07, 0.42)
        x = rng.uniform(0.02, 0.98) * w
        things.append((ground_y(x) + depth * h, "person", x, 0.6 + depth * 1.5))
    for base, kind, x, scale in sorted(things):
        if kind == "stall":
            _stall(draw, rng, x, base, h * 0.1 * scale)
        else:
            _person(draw, rng, x, base, h * 0.11 * scale)
    return image


def _stall(draw, rng: random.Random, x: float, base: float, s: float) -> None:
    """A market stall under a big segmented parasol, with goods on a table."""
    pole = (95, 75, 55, 255)
    draw.ellipse([x - 1.3 * s, base - 0.12 * s, x + 1.3 * s, base + 0.14 * s], fill=(0, 0, 0, 40))
    draw.line([(x, base), (x, base - 2.3 * s)], fill=pole, width=max(3, int(s * 0.06)))
    draw.rectangle(
        [x - 1.1 * s, base - 0.75 * s, x + 1.1 * s, base - 0.6 * s], fill=(120, 88, 58, 255)
    )
    draw.rectangle(
        [x - 1.0 * s, base - 0.6 * s, x + 1.0 * s, base], fill=rng.choice([_INDIGO, *_FESTIVE])
    )
    goods = [
        _hex("#f08a24"),
        _hex("#7bb342"),
        _hex("#c62828"),
        _hex("#fdd835"),
        _hex("#8d6e63"),
        _hex("#5d4037"),
    ]
    for k in range(6):
        gx = x - 0.9 * s + k * 0.36 * s
        draw.ellipse(
            [gx - 0.16 * s, base - 0.98 * s, gx + 0.16 * s, base - 0.7 * s], fill=rng.choice(goods)
        )
    top = (x, base - 2.55 * s)
    radius = 1.6 * s
    segments = 8
    colors = rng.sample(_FESTIVE, 2)
    for k in range(segments):
        a0 = math.pi + math.pi * k / segments
        a1 = math.pi + math.pi * (k + 1) / segments
        p0 = (x + math.cos(a0) * radius, base - 1.85 * s)
        p1 = (x + math.cos(a1) * radius, base - 1.85 * s)
        dip = ((p0[0] + p1[0]) / 2, base - 1.72 * s)
        draw.polygon([top, p0, dip, p1], fill=colors[k % 2])
    draw.ellipse([x - 0.08 * s, top[1] - 0.12 * s, x + 0.08 * s, top[1] + 0.04 * s], fill=pole)


def _person(draw, rng: random.Random, x: float, feet: float, s: float) -> None:
    """A villager in indigo, or a visitor in bright clothes, with a hat or a headscarf."""
    indigo = rng.random() < 0.65
    body = _INDIGO if indigo else rng.choice(_FESTIVE)
    legs = _shade(body, 0.75)
    draw.polygon(
        [
            (x - 0.2 * s, feet - 0.5 * s),
            (x + 0.2 * s, feet - 0.5 * s),
            (x + 0.26 * s, feet),
            (x - 0.26 * s, feet),
        ],
        fill=legs,
    )
    draw.polygon(
        [
            (x - 0.17 * s, feet - 0.98 * s),
            (x + 0.17 * s, feet - 0.98 * s),
            (x + 0.22 * s, feet - 0.48 * s),
            (x - 0.22 * s, feet - 0.48 * s),
        ],
        fill=body,
    )
    arm = rng.choice((-1, 1))
    draw.line(
        [(x + arm * 0.17 * s, feet - 0.92 * s), (x + arm * 0.3 * s, feet - 0.55 * s)],
        fill=body,
        width=max(2, int(0.1 * s)),
    )
    if indigo and rng.random() < 0.6:  # a coloured sash
        draw.rectangle(
            [x - 0.21 * s, feet - 0.58 * s, x + 0.21 * s, feet - 0.5 * s], fill=rng.choice(_FESTIVE)
        )
    draw.ellipse([x - 0.13 * s, feet - 1.24 * s, x + 0.13 * s, feet - 0.98 * s], fill=_SKIN)
    hat = rng.random()
    if hat < 0.4:
        draw.polygon(
            [
                (x - 0.34 * s, feet - 1.12 * s),
                (x, feet - 1.42 * s),
                (x + 0.34 * s, feet - 1.12 * s),
            ],
            fill=_STRAW,
        )
    elif indigo:
        draw.rectangle(
            [x - 0.15 * s, feet - 1.28 * s, x + 0.15 * s, feet - 1.12 * s], fill=_hex("#1a2240")
        )
    else:
        draw.chord(
            [x - 0.14 * s, feet - 1.3 * s, x + 0.14 * s, feet - 1.05 * s],
            180,
            360,
            fill=_hex("#2a1d18"),
        )
    if rng.random() < 0.3:  # a carrying basket
        bx = x - arm * 0.28 * s
        draw.polygon(
            [
                (bx - 0.14 * s, feet - 0.75 * s),
                (bx + 0.14 * s, feet - 0.75 * s),
                (bx + 0.1 * s, feet - 0.45 * s),
                (bx - 0.1 * s, feet - 0.45 * s),
            ],
            fill=_hex("#b58a4f"),
        )


_PAINTERS: dict[str, Callable[[random.Random, int, int], Image.Image]] = {
    "karst": _scene_karst,
    "stilt_house": _scene_stilt_house,
    "lake": _scene_lake,
    "cave": _scene_cave,
    "market": _scene_market,
    "terraces": _scene_terraces,
}


def render_scene(scene: str, seed: int, width: int = 1200, height: int = 800) -> Image.Image:
    """Draw `scene` (one of SCENES); the same scene and seed always give the same picture."""
    try:
        painter = _PAINTERS[scene]
    except KeyError:
        raise ValueError(f"unknown scene {scene!r}; expected one of {', '.join(SCENES)}") from None
    if width < 1 or height < 1:
        raise ValueError("width and height must be positive")
    rng = random.Random(f"{scene}:{seed}")
    big = painter(rng, width * _SUPERSAMPLE, height * _SUPERSAMPLE)
    return big.convert("RGB").reduce(_SUPERSAMPLE)
