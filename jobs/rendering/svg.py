"""Inline SVG charts for the HTML report. No scripts, no external references: the
document stays self-contained and safe to open from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from jobs.rendering.document import fmt_score, score_band

BAND_COLOURS = {"good": "#2e7d32", "fair": "#ef8f00", "poor": "#c62828", "na": "#9e9e9e"}


def _text(x: float, y: float, content: str, *, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(content)}</text>'


def bar_chart(rows: Sequence[tuple[str, float | None]], *, width: int = 640) -> str:
    """Horizontal bars, one per pillar; not-applicable pillars get an empty track."""
    label_w, row_h, pad = 180, 26, 8
    track_w = width - label_w - 60
    height = pad * 2 + row_h * max(1, len(rows))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart bar-chart" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="12">',
        "<title>Score by pillar</title>",
    ]
    for i, (label, score) in enumerate(rows):
        y = pad + i * row_h
        parts.append(_text(label_w - 8, y + 16, label, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{track_w}" height="{row_h - 10}" '
            'fill="#eeeeee"/>'
        )
        if score is not None:
            bar_w = track_w * max(0.0, min(100.0, score)) / 100
            colour = BAND_COLOURS[score_band(score)]
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 10}" '
                f'fill="{colour}"/>'
            )
        parts.append(_text(label_w + track_w + 8, y + 16, fmt_score(score)))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    history: Sequence[tuple[date, float]], *, width: int = 640, height: int = 220
) -> str:
    """Score over time, 0-100 on the y axis, x proportional to elapsed days."""
    left, right, top, bottom = 40, 20, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart line-chart" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="11">',
        "<title>Readiness score over time</title>",
    ]
    for level in (0, 50, 100):
        y = top + plot_h * (1 - level / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>'
        )
        parts.append(_text(left - 6, y + 4, str(level), anchor="end"))
    if not history:
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, "No history yet", anchor="middle"))
        parts.append("</svg>")
        return "".join(parts)
    first, last = history[0][0], history[-1][0]
    span = max(1, (last - first).days)
    points = []
    for day, score in history:
        x = left + (plot_w * (day - first).days / span if len(history) > 1 else plot_w / 2)
        y = top + plot_h * (1 - max(0.0, min(100.0, score)) / 100)
        points.append((x, y, day, score))
    if len(points) > 1:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    for x, y, day, score in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1565c0">'
            f"<title>{escape(day.isoformat())}: {score:.1f}</title></circle>"
        )
    parts.append(_text(left, height - 8, first.isoformat()))
    if len(points) > 1:
        parts.append(_text(left + plot_w, height - 8, last.isoformat(), anchor="end"))
    parts.append("</svg>")
    return "".join(parts)
