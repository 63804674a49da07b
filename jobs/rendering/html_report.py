"""Self-contained HTML documents: inline CSS and SVG, no scripts, no external fetches.
Every piece of user-supplied text goes through `html.escape`."""

from __future__ import annotations

from html import escape

from jobs.readiness.findings import Finding
from jobs.readiness.rules import RULES_BY_ID
from jobs.rendering import svg
from jobs.rendering.document import (
    HealthReportDocument,
    ReportDocument,
    by_severity,
    fmt_change,
    fmt_score,
    ordered_pillars,
    pillar_label,
    score_band,
    sorted_history,
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


def _findings_table(findings: list[Finding]) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{escape(f.rule_id)}</td><td>{escape(pillar_label(f.pillar.value))}</td>"
        f"<td>{escape(f.message)}</td><td>{escape(f.recommendation)}</td>"
        "</tr>"
        for f in findings
    )
    return (
        "<table><thead><tr><th>Rule</th><th>Pillar</th><th>Finding</th>"
        f"<th>Recommendation</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _comparison(doc: ReportDocument) -> str:
    c = doc.comparison
    if c is None:
        return ""
    resolved = "".join(
        f"<li>{escape(k.rule_id)}: "
        f"{escape(RULES_BY_ID[k.rule_id].checks if k.rule_id in RULES_BY_ID else '')}</li>"
        for k in c.resolved_findings
    )
    return (
        "<section><h2>Since the previous report</h2>"
        f"<p>Score change: <strong>{escape(fmt_change(c.score_change))}</strong>; "
        f"{len(c.new_findings)} new finding(s), {len(c.resolved_findings)} resolved.</p>"
        + (f"<ul>{resolved}</ul>" if resolved else "")
        + "</section>"
    )


def render_html(doc: ReportDocument) -> str:
    """The readiness report as one HTML document."""
    band = score_band(doc.score)
    prepared = f" &middot; prepared by {escape(doc.prepared_by)}" if doc.prepared_by else ""
    groups = by_severity(doc.findings)
    findings_html = (
        "".join(
            f'<h3 class="sev sev-{s.value}">{escape(s.value)} ({len(fs)})</h3>'
            + _findings_table(fs)
            for s, fs in groups
        )
        or "<p>No findings: every rule passed.</p>"
    )
    body = (
        f"<header><h1>{escape(doc.title)}: {escape(doc.client_name)}</h1>"
        f'<p class="meta">Generated {escape(doc.generated_at.isoformat(timespec="minutes"))}'
        f"{prepared}</p></header>"
        f'<section><h2>Overall readiness</h2><p class="score {band}">'
        f"{escape(fmt_score(doc.score))}<small>/100</small></p></section>"
        + _comparison(doc)
        + "<section><h2>Score by pillar</h2>"
        + svg.bar_chart(ordered_pillars(doc.pillar_scores))
        + "</section><section><h2>Score over time</h2>"
        + svg.line_chart(sorted_history(doc.history))
        + f"</section><section><h2>Findings ({len(doc.findings)})</h2>{findings_html}</section>"
    )
    return _page(f"{doc.title}: {doc.client_name}", body)


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
