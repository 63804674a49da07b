"""Inline SVG charts, shared by the HTML and the PDF (WeasyPrint draws the same SVG). No
scripts, no external references. Text is escaped; labels come in already localised."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from html import escape

from jobs.rendering.document import score_band

BAND_COLOURS = {"good": "#2e7d32", "fair": "#ef8f00", "poor": "#c62828", "na": "#9e9e9e"}
_DAY = timedelta(days=1)


def _text(x: float, y: float, content: str, *, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(content)}</text>'


def _open(kind: str, width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart {kind}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="11"><title>{escape(title)}</title>'
    )


def bar_chart(
    rows: Sequence[tuple[str, float | None, str]], *, title: str, width: int = 640
) -> str:
    """Horizontal bars, one per pillar: (label, score, score text); a pillar without a
    score gets an empty track."""
    label_w, row_h, pad = 180, 24, 6
    track_w = width - label_w - 50
    height = pad * 2 + row_h * max(1, len(rows))
    parts = [_open("bar-chart", width, height, title)]
    for i, (label, score, shown) in enumerate(rows):
        y = pad + i * row_h
        parts.append(_text(label_w - 8, y + 15, label, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{track_w}" height="{row_h - 12}" '
            'fill="#eeeeee"/>'
        )
        if score is not None:
            bar_w = track_w * max(0.0, min(100.0, score)) / 100
            parts.append(
                f'<rect x="{label_w}" y="{y + 5}" width="{bar_w:.1f}" height="{row_h - 12}" '
                f'fill="{BAND_COLOURS[score_band(score)]}"/>'
            )
        parts.append(_text(label_w + track_w + 8, y + 15, shown))
    parts.append("</svg>")
    return "".join(parts)


def _window(first: datetime, last: datetime) -> tuple[datetime, datetime]:
    """The time axis: padded on both sides, at least a day wide, so a lone point sits in
    the middle and points minutes apart still stand apart."""
    span = last - first
    if span < _DAY:
        middle = first + span / 2
        return middle - _DAY / 2, middle + _DAY / 2
    pad = span * 0.06
    return first - pad, last + pad


def _labelled(points: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """The points whose value is written beside them: the latest always, with few points
    each one that does not crowd the label after it (reports minutes apart overlap)."""
    if len(points) > 6:
        return points[-1:]
    chosen: list[tuple[float, float, float]] = []
    for point in reversed(points):
        if not chosen or abs(chosen[-1][0] - point[0]) >= 28:
            chosen.append(point)
    return chosen


def line_chart(
    history: Sequence[tuple[datetime, float]],
    *,
    title: str,
    empty: str,
    tick_label: Callable[[datetime, bool], str],
    value_label: Callable[[float], str],
    accent: str = "#1565c0",
    width: int = 640,
    height: int = 200,
) -> str:
    """Score over time on a real time axis. `tick_label(moment, short_span)` formats an
    axis tick (times of day when the whole window is about a day)."""
    left, right, top, bottom = 36, 16, 14, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [_open("line-chart", width, height, title)]
    for level in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - level / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{"#cccccc" if level in (0, 100) else "#eeeeee"}"/>'
        )
        parts.append(_text(left - 6, y + 4, str(level), anchor="end", extra='fill="#757575"'))
    if not history:
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, empty, anchor="middle"))
        return "".join([*parts, "</svg>"])
    start, end = _window(history[0][0], history[-1][0])
    total = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        return left + plot_w * (moment - start).total_seconds() / total

    short = end - start <= _DAY * 1.5
    for i in range(5):
        tick = start + (end - start) * (0.1 + 0.2 * i)
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" '
            f'y2="{top + plot_h + 4}" stroke="#9e9e9e"/>'
        )
        parts.append(
            _text(x, height - 8, tick_label(tick, short), anchor="middle", extra='fill="#616161"')
        )
    points = [(x_of(m), top + plot_h * (1 - max(0.0, min(100.0, s)) / 100), s) for m, s in history]
    if len(points) > 1:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{accent}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
    radius = 4 if len(points) < 20 else 2.5
    for x, y, _ in points:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{accent}"/>')
    # Label the latest value (and, with few points, each one) beside its point.
    for x, y, score in _labelled(points):
        parts.append(
            _text(
                x,
                y - 8,
                value_label(score),
                anchor="middle",
                extra='font-weight="bold" fill="#212121"',
            )
        )
    parts.append("</svg>")
    return "".join(parts)
