"""PDF documents with fpdf2: core fonts (no font files, see `pdftext`), charts drawn
with fpdf2's own primitives so nothing beyond the lock file is needed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from itertools import groupby

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from jobs.readiness.findings import Finding
from jobs.rendering.document import (
    ReportDocument,
    by_severity,
    fmt_change,
    fmt_score,
    ordered_pillars,
    pillar_label,
    score_band,
    sorted_history,
)
from jobs.rendering.pdftext import pdf_safe

_BAND_RGB = {
    "good": (46, 125, 50),
    "fair": (239, 143, 0),
    "poor": (198, 40, 40),
    "na": (158, 158, 158),
}
_FONT = "helvetica"
# Objects listed per rule. A client with thousands of processes would otherwise get a
# PDF of hundreds of pages (and minutes of layout); the HTML report and the API list
# every finding.
MAX_LISTED_PER_RULE = 100


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FONT, size=8)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"{self._footer_text} - page {self.page_no()}", align="C")

    def line_text(self, text: str, *, size: float = 10, style: str = "", h: float = 5) -> None:
        self.set_font(_FONT, style=style, size=size)
        self.multi_cell(0, h, pdf_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.ln(3)
        self.set_text_color(33, 33, 33)
        self.line_text(text, size=13, style="B", h=7)


def _bar_chart(pdf: _Pdf, rows: Sequence[tuple[str, float | None]]) -> None:
    label_w, row_h, track_w = 55.0, 7.0, 100.0
    if pdf.will_page_break(row_h * len(rows) + 4):
        pdf.add_page()
    x0, y = pdf.l_margin, pdf.get_y() + 2
    pdf.set_font(_FONT, size=9)
    for label, score in rows:
        pdf.set_text_color(33, 33, 33)
        pdf.set_xy(x0, y)
        pdf.cell(label_w - 2, row_h - 1, pdf_safe(label), align="R")
        pdf.set_fill_color(238, 238, 238)
        pdf.rect(x0 + label_w, y + 1, track_w, row_h - 3, style="F")
        if score is not None:
            pdf.set_fill_color(*_BAND_RGB[score_band(score)])
            width = track_w * max(0.0, min(100.0, score)) / 100
            if width > 0:
                pdf.rect(x0 + label_w, y + 1, width, row_h - 3, style="F")
        pdf.set_xy(x0 + label_w + track_w + 2, y)
        pdf.cell(15, row_h - 1, fmt_score(score))
        y += row_h
    pdf.set_xy(x0, y + 2)


def _line_chart(pdf: _Pdf, history: Sequence[tuple[date, float]]) -> None:
    left, width, height = pdf.l_margin + 10, 160.0, 50.0
    if pdf.will_page_break(height + 12):
        pdf.add_page()
    top = pdf.get_y() + 2
    pdf.set_font(_FONT, size=8)
    pdf.set_draw_color(220, 220, 220)
    pdf.set_line_width(0.2)
    for level in (0, 50, 100):
        y = top + height * (1 - level / 100)
        pdf.line(left, y, left + width, y)
        pdf.set_xy(left - 10, y - 2)
        pdf.cell(8, 4, str(level), align="R")
    if not history:
        pdf.set_xy(left, top + height / 2 - 2)
        pdf.cell(width, 4, "No history yet", align="C")
    else:
        first, last = history[0][0], history[-1][0]
        span = max(1, (last - first).days)
        points = [
            (
                left + (width * (d - first).days / span if len(history) > 1 else width / 2),
                top + height * (1 - max(0.0, min(100.0, s)) / 100),
            )
            for d, s in history
        ]
        pdf.set_draw_color(21, 101, 192)
        pdf.set_fill_color(21, 101, 192)
        pdf.set_line_width(0.6)
        if len(points) > 1:
            pdf.polyline(points, style="D")
        for x, y in points:
            pdf.rect(x - 0.8, y - 0.8, 1.6, 1.6, style="F")
        pdf.set_xy(left, top + height + 1)
        pdf.cell(40, 4, first.isoformat())
        if len(history) > 1:
            pdf.set_xy(left + width - 40, top + height + 1)
            pdf.cell(40, 4, last.isoformat(), align="R")
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, top + height + 8)


def _rule_group(pdf: _Pdf, findings: Sequence[Finding]) -> None:
    """One rule's findings: the recommendation once, then each finding's message. Repeating
    an identical recommendation per object is noise to a reader and slow to lay out."""
    first = findings[0]
    if pdf.will_page_break(22):
        pdf.add_page()
    pdf.set_text_color(33, 33, 33)
    pdf.line_text(
        f"{first.rule_id} - {pillar_label(first.pillar.value)} ({len(findings)})",
        size=10,
        style="B",
    )
    pdf.set_text_color(90, 90, 90)
    pdf.line_text(f"Recommendation: {first.recommendation}", size=9, style="I")
    pdf.set_text_color(33, 33, 33)
    for f in findings[:MAX_LISTED_PER_RULE]:
        pdf.line_text(f"- {f.message}", size=9, h=4.6)
    hidden = len(findings) - MAX_LISTED_PER_RULE
    if hidden > 0:
        pdf.set_text_color(90, 90, 90)
        pdf.line_text(
            f"... and {hidden} more; the HTML report and the API list every finding.",
            size=9,
            style="I",
        )
    pdf.ln(2)


def render_pdf(doc: ReportDocument) -> bytes:
    """The readiness report as PDF bytes. Deterministic for a given document: the PDF's
    creation date is the report's `generated_at`, not the wall clock."""
    pdf = _Pdf(pdf_safe(f"{doc.client_name} - {doc.title}"))
    pdf.set_title(pdf_safe(f"{doc.title}: {doc.client_name}"))
    pdf.set_creation_date(_aware(doc.generated_at))
    pdf.add_page()
    pdf.set_text_color(33, 33, 33)
    pdf.line_text(doc.title, size=18, style="B", h=9)
    pdf.line_text(doc.client_name, size=14, h=7)
    generated = f"Generated {doc.generated_at.isoformat(timespec='minutes')}"
    pdf.line_text(generated + (f" - prepared by {doc.prepared_by}" if doc.prepared_by else ""))
    pdf.ln(3)
    pdf.set_text_color(*_BAND_RGB[score_band(doc.score)])
    pdf.line_text(f"Overall readiness: {fmt_score(doc.score)}/100", size=16, style="B", h=8)
    pdf.set_text_color(33, 33, 33)
    if doc.comparison is not None:
        c = doc.comparison
        pdf.line_text(
            f"Since the previous report: score change {fmt_change(c.score_change)}, "
            f"{len(c.new_findings)} new finding(s), {len(c.resolved_findings)} resolved."
        )
    pdf.heading("Score by pillar")
    _bar_chart(pdf, ordered_pillars(doc.pillar_scores))
    pdf.heading("Score over time")
    _line_chart(pdf, sorted_history(doc.history))
    pdf.heading(f"Findings ({len(doc.findings)})")
    groups = by_severity(doc.findings)
    if not groups:
        pdf.line_text("No findings: every rule passed.")
    for severity, findings in groups:
        pdf.heading(f"{severity.value.capitalize()} ({len(findings)})")
        for _, group in groupby(findings, key=lambda f: f.rule_id):
            _rule_group(pdf, list(group))
    return bytes(pdf.output())


def _aware(moment: datetime) -> datetime:
    # fpdf2 would otherwise localise a naive datetime with the machine's time zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
