"""Report rendering: readiness reports to HTML and PDF from one template, engagement
health to HTML."""

from __future__ import annotations

from jobs.rendering.document import Branding, HealthReportDocument, ReportDocument
from jobs.rendering.html_report import render_health_html
from jobs.rendering.report import SECTIONS, render_html, render_pdf

__all__ = [
    "SECTIONS",
    "Branding",
    "HealthReportDocument",
    "ReportDocument",
    "render_health_html",
    "render_html",
    "render_pdf",
]
