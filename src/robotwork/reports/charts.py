"""Small inline SVG charts for the reports: bars, lines and progress bars, drawn as plain elements.

A printed government report needs vector charts that look the same in a browser and in the PDF,
with no script to run: WeasyPrint draws inline SVG as PDF vector paths. The charts are simple
enough that a hundred lines of our own beat a plotting library's dependencies and its defaults.
"""

import math
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

FONT = "Noto Sans CJK SC, Noto Sans, sans-serif"
INK, GRID, MUTED = "#1d2733", "#d5dbe3", "#6b7785"
BLUE, GREEN, GREY, RED = "#1f4e8c", "#2e7d4f", "#a9b3bf", "#b3261e"

Number = int | float


def _fmt(value: Number) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


TICKS = 4  # gridlines above the baseline


def nice_ceiling(value: float, *, whole: bool = False) -> float:
    """The axis top: four steps of 1, 2, 2.5, 3, 4 or 5 times a power of ten reaching `value`, so ticks
    read well; `whole` keeps the steps whole numbers, for counts of robots."""
    if value <= 0:
        return float(TICKS) if whole else 1.0
    raw = value / TICKS
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 3, 4, 5, 10) if raw <= m * power + 1e-9)
    if whole:
        step = max(1.0, math.ceil(step))
    return step * TICKS


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}" font-size="9" fill="{INK}">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: float = 9, color: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}">'
        f"{escape(text)}</text>"
    )


def _y_axis(
    left: float, right: float, top: float, bottom: float, top_value: float, fmt: Callable[[float], str]
) -> list[str]:
    parts = []
    for i in range(TICKS + 1):
        y = bottom - (bottom - top) * i / TICKS
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(_text(left - 4, y + 3, fmt(top_value * i / TICKS), anchor="end", size=8, color=MUTED))
    return parts


def bar_chart(
    bars: Sequence[tuple[str, Number]],
    *,
    width: int = 300,
    height: int = 170,
    colors: Sequence[str] | None = None,
    label: str = "",
) -> Markup:
    """Vertical bars with their values on top; `colors` per bar, else one blue."""
    left, right, top, bottom = 34.0, width - 6.0, 14.0, height - 22.0
    top_value = nice_ceiling(max((v for _, v in bars), default=0), whole=True)
    parts = _y_axis(left, right, top, bottom, top_value, _fmt)
    slot = (right - left) / max(len(bars), 1)
    for i, (name, value) in enumerate(bars):
        h = (bottom - top) * value / top_value
        x = left + slot * i + slot * 0.18
        color = colors[i] if colors else BLUE
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{slot * 0.64:.1f}" '
            f'height="{h:.1f}" fill="{color}"/>'
        )
        parts.append(_text(x + slot * 0.32, bottom - h - 3, _fmt(value), size=8.5))
        parts.append(_text(x + slot * 0.32, bottom + 12, name, size=8.5))
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}" stroke-width="0.8"/>'
    )
    return _svg(width, height, parts, label)


def line_chart(
    points: Sequence[tuple[str, Number | None]],
    *,
    width: int = 320,
    height: int = 160,
    top_value: float | None = None,
    fmt: Callable[[float], str] = _fmt,
    color: str = BLUE,
    every: int = 7,
    label: str = "",
) -> Markup:
    """A line over labelled points; a None value breaks the line (a day with nothing to measure)."""
    left, right, top, bottom = 38.0, width - 10.0, 10.0, height - 22.0
    values = [v for _, v in points if v is not None]
    whole = all(float(v).is_integer() for v in values)
    ceiling = top_value or nice_ceiling(max(values, default=0), whole=whole)
    parts = _y_axis(left, right, top, bottom, ceiling, fmt)
    step = (right - left) / max(len(points) - 1, 1)
    path, pen_down = [], False
    for i, (name, value) in enumerate(points):
        x = left + step * i
        if (len(points) - 1 - i) % every == 0:  # counted from the last point, which is always labelled
            parts.append(_text(x, bottom + 12, name, size=7.5, color=MUTED))
        if value is None:
            pen_down = False
            continue
        y = bottom - (bottom - top) * min(value, ceiling) / ceiling
        path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.7" fill="{color}"/>')
        pen_down = True
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{color}" stroke-width="1.4"/>')
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}" stroke-width="0.8"/>'
    )
    return _svg(width, height, parts, label)


def hbar_pair(items: Sequence[tuple[str, Number, str]], *, width: int = 300, label: str = "") -> Markup:
    """Horizontal bars on one scale, for two figures a reader must compare (declared, verified)."""
    row, left = 26, 70.0
    height = row * len(items) + 8
    scale = (width - left - 50) / max(max((v for _, v, _ in items), default=0), 1)
    parts = []
    for i, (name, value, color) in enumerate(items):
        y = 6 + i * row
        parts.append(_text(left - 6, y + 13, name, anchor="end", size=9))
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{max(value * scale, 1):.1f}" height="14" fill="{color}"/>'
        )
        parts.append(_text(left + value * scale + 5, y + 14, _fmt(value), anchor="start", size=9.5))
    return _svg(width, height, parts, label)


def progress_bar(
    value: Number, target: Number, *, width: int = 300, color: str = BLUE, label: str = ""
) -> Markup:
    """A bar filled to value / target (capped at full), for the distance to a national target."""
    share = min(value / target, 1.0) if target else 1.0
    inner = width - 2
    parts = [
        f'<rect x="1" y="1" width="{inner}" height="12" fill="#eef1f5" stroke="{GRID}" stroke-width="0.8"/>',
        f'<rect x="1" y="1" width="{max(inner * share, 0.5):.1f}" height="12" fill="{color}"/>',
    ]
    return _svg(width, 14, parts, label)
