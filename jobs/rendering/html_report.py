"""The engagement health report as a self-contained HTML document: inline CSS, no scripts,
no external fetches. Every word comes from the message catalogues (jobs/i18n/health.py);
every piece of user-supplied text goes through `html.escape`."""

from __future__ import annotations

from html import escape

from jobs.i18n.health import METRIC_LABELS, STATUS_NAMES
from jobs.rendering.document import HealthReportDocument
from jobs.rendering.localized import Localized

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


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No scripts or remote content are ever needed, so forbid them outright.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _metrics(doc: HealthReportDocument, loc: Localized) -> str:
    rows = []
    for key, value in doc.metrics.items():
        label = loc.gettext(METRIC_LABELS.get(key, key))
        shown = loc.number(value, 0) if isinstance(value, int | float) else str(value)
        rows.append(f"<tr><th>{escape(label)}</th><td>{escape(shown)}</td></tr>")
    return "".join(rows)


def render_health_html(
    doc: HealthReportDocument, locale: str | None = None, time_zone: str | None = None
) -> str:
    """The engagement health report in `locale`: status badge, reasons, indicators.

    `doc.reasons` are sentences already in that language (jobs/health/messages.py); every
    other word comes from the catalogue, dates and numbers are formatted by locale."""
    loc = Localized.of(locale, time_zone)
    _ = loc.gettext
    status = doc.status.upper()
    period = ""
    if doc.period_start and doc.period_end:
        period = " " + _("for %(start)s to %(end)s") % {
            "start": loc.date(doc.period_start),
            "end": loc.date(doc.period_end),
        }
    generated = _("Generated %(moment)s") % {"moment": loc.moment(doc.generated_at, "short")}
    reasons = "".join(f"<li>{escape(r)}</li>" for r in doc.reasons)
    metrics = _metrics(doc, loc)
    title = f"{_('Engagement health')}: {doc.client_name}"
    body = (
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="meta">{escape(generated + period)}</p></header>'
        f'<p><span class="status status-{status}">{escape(_(STATUS_NAMES[status]))}</span> '
        f"{escape(_('Readiness score'))}: {escape(loc.score(doc.readiness_score))}</p>"
        f"<section><h2>{escape(_('Reasons'))}</h2>"
        f"<ul>{reasons or '<li>' + escape(_('No concerns.')) + '</li>'}</ul></section>"
        + (
            f"<section><h2>{escape(_('Indicators'))}</h2><table>{metrics}</table></section>"
            if metrics
            else ""
        )
    )
    return _page(title, body, loc.locale)
