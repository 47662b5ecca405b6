"""Charts of the visitor figures: plain SVG drawn on the server, no script, no library.

They draw a finished `statistics.Report` for the page; the figures themselves are computed by
the service, and the CSV export never needs these. Labels and titles are escaped; the result is
Markup safe to embed.
"""

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ...services.backoffice.statistics import Report


def bar_chart(labels: list[str], series: list[tuple[str, list[int], str]], title: str) -> Markup:
    """Grouped vertical bars; `series` = [(name, values, css class)]. Safe to embed."""
    width, height, left, bottom, top = 360, 200, 34, 24, 22
    plot_w, plot_h = width - left - 6, height - bottom - top
    peak = max([v for _n, values, _c in series for v in values] + [1])
    group = plot_w / max(len(labels), 1)
    bar = max((group - 4) / max(len(series), 1), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 6}" y2="{top + plot_h}" '
        'class="chart-axis"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="chart-label">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="chart-label">0</text>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * group + 2
        for j, (name, values, css) in enumerate(series):
            value = values[i]
            h = plot_h * value / peak
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" class="{css}"><title>{escape(name)} {escape(label)}: '
                f"{value}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group / 2 - 2:.1f}" y="{height - 8}" text-anchor="middle" '
            f'class="chart-label">{escape(label)}</text>'
        )
    for j, (name, _values, css) in enumerate(series):
        parts.append(f'<rect x="{left + j * 130}" y="4" width="10" height="10" class="{css}"/>')
        parts.append(
            f'<text x="{left + j * 130 + 14}" y="13" class="chart-label">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def hbar_chart(rows: list[tuple[str, int]], title: str) -> Markup:
    """Horizontal bars, one per label (nationalities, listings)."""
    rows = rows[:12]
    width, row_h, left = 360, 22, 60
    height = max(len(rows), 1) * row_h + 8
    peak = max([v for _l2, v in rows] + [1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        w = (width - left - 50) * value / peak
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="chart-label">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
            'class="chart-bar-a"/>'
        )
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" class="chart-label">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def charts(report: Report) -> dict[str, Markup]:
    labels = [f"{m['month']}" for m in report.months]
    # two charts, each on its own scale: a guest night and a tour seat are not the same unit
    return {
        "guest_nights": bar_chart(
            labels,
            [
                (
                    str(_l("Guest nights")),
                    [m["guest_nights"] for m in report.months],
                    "chart-bar-a",
                )
            ],
            str(_l("Guest nights per month")),
        ),
        "participants": bar_chart(
            labels,
            [
                (
                    str(_l("Tour participants")),
                    [m["participants"] for m in report.months],
                    "chart-bar-b",
                )
            ],
            str(_l("Tour participants per month")),
        ),
        "nationality": hbar_chart(
            [(row[0], row[1] + row[2]) for row in report.tables["nationality"].rows],
            str(_l("By nationality")),
        ),
    }
