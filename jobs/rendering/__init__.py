"""Report rendering: readiness reports to HTML and PDF, engagement health to HTML."""

from __future__ import annotations

from jobs.rendering.document import HealthReportDocument, ReportDocument
from jobs.rendering.html_report import render_health_html, render_html
from jobs.rendering.pdf_report import render_pdf

__all__ = [
    "HealthReportDocument",
    "ReportDocument",
    "render_health_html",
    "render_html",
    "render_pdf",
]
