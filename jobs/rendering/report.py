"""The readiness report: one Jinja2 template, rendered to HTML and, through WeasyPrint, to
PDF, so the two never disagree. The report is a list of sections (`SECTIONS`); a new one is
a template under `templates/sections/` and a name added here."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from jobs.i18n.rules import (
    AUTHORITY_NAMES,
    BAND_NAMES,
    PILLAR_NAMES,
    SEVERITY_NAMES,
    STAGE_NAMES,
    TIER_NAMES,
)
from jobs.readiness.frameworks.coverage import COVERAGE_NAMES
from jobs.readiness.rules import RULES_BY_ID
from jobs.rendering import fonts, svg
from jobs.rendering.document import (
    LOGO_TYPES,
    ReportDocument,
    ordered_pillar_keys,
    score_band,
    sorted_history,
)
from jobs.rendering.localized import Localized
from jobs.rendering.summary import by_pillar_and_severity, top_gaps

TEMPLATES = Path(__file__).parent / "templates"
SECTIONS: tuple[str, ...] = (
    "cover",
    "summary",
    "assessed",
    "method",
    "pillars",
    "findings",
    "register",
    "owners",
    "frameworks",
)
# Objects listed per rule in the PDF: a client with thousands of processes would otherwise
# get hundreds of pages (and minutes of layout); the HTML lists every one.
MAX_LISTED_PER_RULE = 100
# Rows of the process and owner tables in the PDF, for the same reason (at 5,000 processes
# the register alone took 100 pages and most of 30 s of layout).
MAX_TABLE_ROWS = 300


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(value: object) -> Markup:
    """A CSS string literal's content: every character outside plain letters, digits and
    spaces as a CSS escape, so text in `@page` content can neither break out nor show
    HTML entities (autoescape would turn "&" into "&amp;" there)."""
    out = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x} " for ch in str(value))
    return Markup(out)  # noqa: S704 - every special character is escaped above


def _chart_context(doc: ReportDocument, loc: Localized) -> dict[str, Markup]:
    bars = [
        (loc.gettext(PILLAR_NAMES.get(k, k)), doc.pillar_scores[k], loc.score(doc.pillar_scores[k]))
        for k in ordered_pillar_keys(doc.pillar_scores)
    ]
    line = svg.line_chart(
        sorted_history(doc.history),
        title=loc.gettext("Readiness score over time"),
        empty=loc.gettext("No earlier reports yet"),
        tick_label=lambda m, short: loc.time(m) if short else loc.date(m, "medium"),
        value_label=loc.score,
        accent=doc.branding.accent,
    )
    return {
        "bar_chart": Markup(svg.bar_chart(bars, title=loc.gettext("Score by pillar"))),  # noqa: S704 - built from escaped parts
        "line_chart": Markup(line),  # noqa: S704 - built from escaped parts
    }


def _logo(doc: ReportDocument) -> str | None:
    b = doc.branding
    if not b.logo or b.logo_type not in LOGO_TYPES:
        return None
    return f"data:{b.logo_type};base64,{base64.b64encode(b.logo).decode()}"


def context(doc: ReportDocument, locale: str | None, *, pdf: bool) -> dict[str, Any]:
    loc = Localized.of(locale or doc.branding.locale, doc.branding.time_zone)
    names = {
        "pillar": PILLAR_NAMES,
        "severity": SEVERITY_NAMES,
        "stage": STAGE_NAMES,
        "tier": TIER_NAMES,
        "authority": AUTHORITY_NAMES,
        "band": BAND_NAMES,
        "coverage": COVERAGE_NAMES,
    }
    return {
        "doc": doc,
        "loc": loc,
        "pdf": pdf,
        "font_faces": fonts.BASE,
        "font_families": fonts.families(fonts.BASE),
        "logo": _logo(doc),
        "band": score_band(doc.score),
        "sections": SECTIONS,
        "gaps": top_gaps(doc.findings),
        "groups": by_pillar_and_severity(doc.findings),
        "rules": RULES_BY_ID,
        "name": lambda kind, key: loc.gettext(names[kind].get(key) or str(key)),
        "listed": MAX_LISTED_PER_RULE if pdf else None,
        "rows": MAX_TABLE_ROWS if pdf else None,
        **_chart_context(doc, loc),
    }


def _render(doc: ReportDocument, locale: str | None, *, pdf: bool) -> str:
    ctx = context(doc, locale, pdf=pdf)
    env = _environment()
    loc: Localized = ctx["loc"]
    template = env.get_template("report.html.j2")
    html = template.render(ctx, _=loc.gettext, gettext=loc.gettext, ngettext=loc.ngettext)
    faces = fonts.faces_for(html)
    if not pdf or faces == fonts.BASE:
        return html
    # A name in another script: declare the faces it needs and render again (cheap
    # next to the PDF layout), so its glyphs are embedded instead of tofu.
    ctx.update(font_faces=faces, font_families=fonts.families(faces))
    return template.render(ctx, _=loc.gettext, gettext=loc.gettext, ngettext=loc.ngettext)


def render_html(doc: ReportDocument, locale: str | None = None) -> str:
    """The readiness report as one self-contained HTML document."""
    return _render(doc, locale, pdf=False)


def render_pdf(doc: ReportDocument, locale: str | None = None) -> bytes:
    """The same report as PDF bytes (A4, page x of y, fonts embedded and subset)."""
    from weasyprint import HTML  # imported here: loading Pango costs the API nothing

    pdf: bytes = HTML(string=_render(doc, locale, pdf=True), base_url=str(TEMPLATES)).write_pdf()
    return pdf
