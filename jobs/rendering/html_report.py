"""The engagement health report as a self-contained HTML document: inline CSS, no scripts,
no external fetches. Every piece of user-supplied text goes through `html.escape`."""

from __future__ import annotations

from html import escape

from jobs.rendering.document import (
    HealthReportDocument,
    fmt_score,
)

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#212121;
max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{margin-bottom:.2rem}.meta{color:#616161;margin-top:0}
.score{font-size:3rem;font-weight:700}.good{color:#2e7d32}.fair{color:#ef8f00}
.poor{color:#c62828}.na{color:#9e9e9e}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #e0e0e0;padding:.4rem;text-align:left;vertical-align:top}
th{background:#fafafa}.sev{font-weight:700;text-transform:uppercase}
.sev-critical{color:#b71c1c}.sev-high{color:#c62828}.sev-medium{color:#ef6c00}
.sev-low{color:#546e7a}.chart{max-width:100%;height:auto}
.status{display:inline-block;padding:.3rem .9rem;border-radius:4px;color:#fff;font-weight:700}
.status-RED{background:#c62828}.status-AMBER{background:#ef8f00}.status-GREEN{background:#2e7d32}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No scripts or remote content are ever needed, so forbid them outright.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def render_health_html(doc: HealthReportDocument) -> str:
    """The engagement health report: status badge, reasons, optional metrics."""
    status = doc.status.upper()
    period = ""
    if doc.period_start and doc.period_end:
        period = f" for {doc.period_start.isoformat()} to {doc.period_end.isoformat()}"
    reasons = "".join(f"<li>{escape(r)}</li>" for r in doc.reasons) or "<li>No concerns.</li>"
    metrics = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
        for k, v in doc.metrics.items()
    )
    body = (
        f"<header><h1>Engagement health: {escape(doc.client_name)}</h1>"
        f'<p class="meta">Generated {escape(doc.generated_at.isoformat(timespec="minutes"))}'
        f"{escape(period)}</p></header>"
        f'<p><span class="status status-{status}">{status}</span> '
        f"Readiness score: {escape(fmt_score(doc.readiness_score))}</p>"
        f"<section><h2>Reasons</h2><ul>{reasons}</ul></section>"
        + (f"<section><h2>Indicators</h2><table>{metrics}</table></section>" if metrics else "")
    )
    return _page(f"Engagement health: {doc.client_name}", body)
