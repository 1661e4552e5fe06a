"""Server-rendered SVG charts. Each has a <title> and <desc> for assistive technology; pages show a data
table and a one-line summary beside every chart, so nothing is only in the picture."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

INK = "#212b32"
BLUE = "#005eb8"
GREY = "#768692"
WIDTH = 640
LABEL_WIDTH = 220
ROW_HEIGHT = 28


def _svg(chart_id: str, title: str, summary: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{summary}</desc>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        summary=summary,
        body=body,
    )


def _scale(value: float, maximum: float, length: int) -> float:
    return round(length * value / maximum, 1) if maximum else 0


def bar_chart(chart_id: str, title: str, summary: str, bars: list[tuple[str, int]]) -> SafeString:
    """Horizontal bars, one per (label, value), the value written at the end of each bar."""
    plot = WIDTH - LABEL_WIDTH - 50
    maximum = max((value for _, value in bars), default=0)
    rows = []
    for index, (label, value) in enumerate(bars):
        y = index * ROW_HEIGHT
        length = _scale(value, maximum, plot)
        rows.append(
            format_html(
                '<text x="{lx}" y="{ty}" text-anchor="end" fill="{ink}" font-size="14">{label}</text>'
                '<rect x="{x}" y="{ry}" width="{len}" height="18" fill="{blue}"></rect>'
                '<text x="{vx}" y="{ty}" fill="{ink}" font-size="14">{value}</text>',
                lx=LABEL_WIDTH - 8,
                ty=y + 18,
                ink=INK,
                label=label,
                x=LABEL_WIDTH,
                ry=y + 4,
                len=length,
                blue=BLUE,
                vx=LABEL_WIDTH + length + 6,
                value=value,
            )
        )
    return _svg(chart_id, title, summary, WIDTH, max(len(bars), 1) * ROW_HEIGHT + 8, mark_safe("".join(rows)))  # noqa: S308


def stacked_columns(
    chart_id: str, title: str, summary: str, columns: list[tuple[str, int, int]], series: tuple[str, str]
) -> SafeString:
    """Vertical columns of (label, first, second) stacked: first (blue) at the bottom, second (grey) on top."""
    height, top, bottom = 260, 30, 40
    plot = height - top - bottom
    gap = WIDTH / max(len(columns), 1)
    maximum = max((a + b for _, a, b in columns), default=0)
    parts = [
        format_html(
            '<rect x="0" y="4" width="14" height="14" fill="{}"></rect>'
            '<text x="20" y="16" fill="{}" font-size="14">{}</text>'
            '<rect x="160" y="4" width="14" height="14" fill="{}"></rect>'
            '<text x="180" y="16" fill="{}" font-size="14">{}</text>',
            BLUE,
            INK,
            series[0],
            GREY,
            INK,
            series[1],
        )
    ]
    for index, (label, first, second) in enumerate(columns):
        x = round(index * gap + gap * 0.2, 1)
        width = round(gap * 0.6, 1)
        first_h, second_h = _scale(first, maximum, plot), _scale(second, maximum, plot)
        base = height - bottom
        parts.append(
            format_html(
                '<rect x="{x}" y="{y1}" width="{w}" height="{h1}" fill="{blue}"></rect>'
                '<rect x="{x}" y="{y2}" width="{w}" height="{h2}" fill="{grey}"></rect>'
                '<text x="{cx}" y="{ty}" text-anchor="middle" fill="{ink}" font-size="12">{total}</text>'
                '<text x="{cx}" y="{ly}" text-anchor="middle" fill="{ink}" font-size="12">{label}</text>',
                x=x,
                y1=round(base - first_h, 1),
                w=width,
                h1=first_h,
                blue=BLUE,
                y2=round(base - first_h - second_h, 1),
                h2=second_h,
                grey=GREY,
                cx=round(x + width / 2, 1),
                ty=round(base - first_h - second_h - 4, 1),
                ink=INK,
                total=first + second,
                ly=height - bottom + 18,
                label=label,
            )
        )
    return _svg(chart_id, title, summary, WIDTH, height, mark_safe("".join(parts)))  # noqa: S308


def range_chart(chart_id: str, title: str, summary: str, ranges: list[tuple[str, float, float, float]]) -> SafeString:
    """One row per (label, shortest, median, longest): a line for the range and a dot at the median."""
    plot = WIDTH - LABEL_WIDTH - 60
    maximum = max((longest for *_, longest in ranges), default=0)
    rows = [
        format_html(
            '<text x="{lx}" y="{ty}" text-anchor="end" fill="{ink}" font-size="14">{label}</text>'
            '<line x1="{x1}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="{ink}" stroke-width="2"></line>'
            '<circle cx="{mx}" cy="{ly}" r="6" fill="{blue}"></circle>'
            '<text x="{vx}" y="{ty}" fill="{ink}" font-size="14">{median} days</text>',
            lx=LABEL_WIDTH - 8,
            ty=index * ROW_HEIGHT + 18,
            ink=INK,
            label=label,
            x1=LABEL_WIDTH + _scale(shortest, maximum, plot),
            x2=LABEL_WIDTH + _scale(longest, maximum, plot),
            ly=index * ROW_HEIGHT + 13,
            mx=LABEL_WIDTH + _scale(median, maximum, plot),
            blue=BLUE,
            vx=LABEL_WIDTH + _scale(longest, maximum, plot) + 10,
            median=f"{median:g}",
        )
        for index, (label, shortest, median, longest) in enumerate(ranges)
    ]
    return _svg(
        chart_id,
        title,
        summary,
        WIDTH,
        max(len(ranges), 1) * ROW_HEIGHT + 8,
        format_html_join("", "{}", ((row,) for row in rows)),
    )
