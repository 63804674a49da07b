"""Inline SVG charts, shared by the HTML and the PDF (WeasyPrint draws the same SVG). No
scripts, no external references. Text is escaped; labels come in already localised."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class _Plot:
    """The plotting area inside a chart's margins, in SVG units."""

    left: float
    top: float
    width: float
    height: float

    def y_of(self, score: float) -> float:
        return self.top + self.height * (1 - max(0.0, min(100.0, score)) / 100)


def _score_grid(plot: _Plot) -> list[str]:
    parts = []
    for level in (0, 25, 50, 75, 100):
        y = plot.y_of(level)
        parts.append(
            f'<line x1="{plot.left}" y1="{y:.1f}" x2="{plot.left + plot.width}" y2="{y:.1f}" '
            f'stroke="{"#cccccc" if level in (0, 100) else "#eeeeee"}"/>'
        )
        parts.append(_text(plot.left - 6, y + 4, str(level), anchor="end", extra='fill="#757575"'))
    return parts


def _time_ticks(
    plot: _Plot,
    start: datetime,
    end: datetime,
    x_of: Callable[[datetime], float],
    tick_label: Callable[[datetime, bool], str],
    label_y: float,
) -> list[str]:
    parts = []
    short = end - start <= _DAY * 1.5
    for i in range(5):
        tick = start + (end - start) * (0.1 + 0.2 * i)
        x = x_of(tick)
        bottom = plot.top + plot.height
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#9e9e9e"/>'
        )
        parts.append(
            _text(x, label_y, tick_label(tick, short), anchor="middle", extra='fill="#616161"')
        )
    return parts


def _series(
    points: list[tuple[float, float, float]], accent: str, value_label: Callable[[float], str]
) -> list[str]:
    parts = []
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
    return parts


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
    plot = _Plot(left, top, width - left - right, height - top - bottom)
    parts = [_open("line-chart", width, height, title), *_score_grid(plot)]
    if not history:
        parts.append(_text(left + plot.width / 2, top + plot.height / 2, empty, anchor="middle"))
        return "".join([*parts, "</svg>"])
    start, end = _window(history[0][0], history[-1][0])
    total = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        return left + plot.width * (moment - start).total_seconds() / total

    parts += _time_ticks(plot, start, end, x_of, tick_label, height - 8)
    points = [(x_of(m), plot.y_of(s), s) for m, s in history]
    parts += _series(points, accent, value_label)
    parts.append("</svg>")
    return "".join(parts)
