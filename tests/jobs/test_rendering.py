"""HTML and PDF rendering of readiness and engagement health reports."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pypdf
import pytest
from babel.messages.pofile import read_po

from jobs.i18n import LOCALE_DIR
from jobs.readiness import Finding, ObjectType, Pillar, Severity, build_readiness, compare
from jobs.readiness.comparison import PreviousReport
from jobs.readiness.findings import FindingKey
from jobs.readiness.store import finding_of, stored_finding
from jobs.rendering import (
    SECTIONS,
    Branding,
    HealthReportDocument,
    ReportDocument,
    render_health_html,
    render_html,
    render_pdf,
    svg,
)
from tests.jobs.factories import SnapshotBuilder

GENERATED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
BRAND = Branding(
    name="Müller & Partner",
    footer="Müller & Partner GmbH",
    confidentiality="Confidential",
    time_zone="Europe/Berlin",
    accent="#6a1b9a",
)


def document(**overrides: object) -> ReportDocument:
    b = SnapshotBuilder(client_name="Zoë Ñúñez <Insurance> & Co")
    b.process("Claims <triage>", risk="critical", checkpoints=0)
    b.process("Łukasz segmentation", risk="high")
    b.healthy_process("Invoice processing")
    snapshot = b.build()
    result = build_readiness(snapshot)
    comparison = compare(PreviousReport(50.0, (FindingKey("FBK-001", uuid4()),)), result)
    extra: dict[str, object] = {
        "history": [(GENERATED, result.score or 0.0)],
        "comparison": comparison,
        "lead_consultant": "Łukasz Nowak",
        "branding": BRAND,
        **overrides,
    }
    return ReportDocument.from_snapshot(snapshot, GENERATED, result, **extra)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_html_is_self_contained_and_escapes_user_text() -> None:
    html = render_html(document())
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "Claims &lt;triage&gt;" in html and "Claims <triage>" not in html
    assert html.count("<svg") == 2


def test_report_is_made_of_sections_in_order() -> None:
    html = render_html(document())
    core = ("cover", "summary", "assessed", "method", "pillars", "findings", "register", "owners")
    assert set(core) <= set(SECTIONS)
    # A section with nothing to say (no framework chosen) may leave itself out.
    present = [s for s in SECTIONS if f'<section class="{s}"' in html]
    assert set(core) <= set(present)
    positions = [html.index(f'<section class="{s}"') for s in present]
    assert positions == sorted(positions)


def test_cover_and_summary_say_who_for_whom_when_in_words() -> None:
    html = render_html(document())
    assert "Prepared by" in html and "Müller &amp; Partner, Łukasz Nowak" in html
    assert "June 1, 2026" in html  # the tenant's zone and locale, not an ISO stamp
    assert "Live process without an accountable owner" in html
    assert "finding(s)" not in html and "1 new finding" not in html


def test_plurals_come_from_the_catalogue() -> None:
    html = render_html(document())
    assert re.search(r"\d+ cases?", html)
    de = render_html(document(), "de")
    assert re.search(r"\d+ (Fall|Fälle)", de)


def test_pdf_has_page_x_of_y_and_unicode_names() -> None:
    text = pdf_text(render_pdf(document()))
    assert "Zoë Ñúñez" in text and "Łukasz" in text
    pages = len(pypdf.PdfReader(io.BytesIO(render_pdf(document()))).pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


def test_pdf_metadata_names_the_report_its_author_and_its_date() -> None:
    meta = pypdf.PdfReader(io.BytesIO(render_pdf(document()))).metadata
    assert meta is not None and meta.author == "Müller & Partner"
    assert meta.title is not None and "Zoë Ñúñez" in meta.title
    assert meta.creation_date == GENERATED


def test_pdf_embeds_a_subset_font() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(document())))
    fonts = {
        f["/BaseFont"]
        for p in reader.pages
        for f in (x.get_object() for x in p["/Resources"]["/Font"].values())
    }
    assert fonts and all(re.match(r"/[A-Z]{6}\+", str(f)) for f in fonts)


def test_stored_report_renders_in_both_languages() -> None:
    doc = document()
    stored = [stored_finding(f) for f in doc.findings]
    assert all(s["params"].get("subject") for s in stored if s["object_type"] == "AIProcess")
    again = ReportDocument(
        doc.client_name,
        doc.generated_at,
        doc.score,
        doc.pillar_scores,
        [f for s in stored if (f := finding_of(s))],
        branding=BRAND,
    )
    en, de = render_html(again, "en"), render_html(again, "de")
    assert "Executive summary" in en and "Zusammenfassung" in de
    assert "Laufender Prozess ohne verantwortliche Person" in de and "Claims &lt;triage&gt;" in de
    # The finding's own sentence, from its message key and parameters.
    assert "Claims &lt;triage&gt; ist in der Phase Produktion und hat keine verantwortliche" in de
    assert "Claims &lt;triage&gt; is in production with no accountable owner." in en
    assert "2. Juni 2026" in render_html(
        ReportDocument("x", datetime(2026, 6, 1, 23, 30, tzinfo=UTC), None, {}, [], branding=BRAND),
        "de",
    )


def _template_msgids() -> set[str]:
    from jinja2.ext import babel_extract

    found: set[str] = set()
    for path in (Path(__file__).parents[2] / "jobs" / "rendering" / "templates").rglob("*.j2"):
        with path.open("rb") as fh:
            for _, _, message, _ in babel_extract(fh, ("_", "gettext", "ngettext"), [], {}):
                first = message if isinstance(message, str) or message is None else message[0]
                if first:
                    found.add(first)
    return found


def test_german_catalogue_is_complete() -> None:
    from jobs.i18n import rules as names
    from jobs.readiness.rules import RULES

    with (Path(LOCALE_DIR) / "de" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="de")
    # A plural entry counts for its singular and its plural msgid, every form translated.
    translated = {
        msgid
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
        for msgid in ((m.id,) if isinstance(m.id, str) else m.id)
    }
    from jobs.i18n.health import health_msgids
    from jobs.i18n.messages import RULE_MESSAGES

    needed = _template_msgids() | {r.recommendation for r in RULES} | set(RULE_MESSAGES.values())
    # Every health reason (singular and plural), indicator and word of the health page.
    needed |= health_msgids()
    for table in (
        names.RULE_TITLES,
        names.PILLAR_NAMES,
        names.SEVERITY_NAMES,
        names.STAGE_NAMES,
        names.TIER_NAMES,
        names.AUTHORITY_NAMES,
        names.BAND_NAMES,
    ):
        needed |= set(table.values())
    assert len(needed) > 100
    assert sorted(needed - translated) == []


def _chart(points: list[tuple[datetime, float]]) -> str:
    return svg.line_chart(
        points,
        title="t",
        empty="none",
        value_label=lambda v: f"{v:.0f}",
        tick_label=lambda m, short: m.strftime("%H:%M" if short else "%d %b"),
    )


def test_chart_single_report_is_a_labelled_point_in_the_middle() -> None:
    out = _chart([(GENERATED, 62.0)])
    assert out.count("<circle") == 1 and 'r="4"' in out and ">62<" in out
    cx = float(re.search(r'cx="([\d.]+)"', out).group(1))  # type: ignore[union-attr]
    assert 300 < cx < 340


def test_chart_same_day_reports_spread_by_time() -> None:
    out = _chart([(GENERATED, 40.0), (GENERATED + timedelta(hours=3), 70.0)])
    xs = [float(x) for x in re.findall(r'cx="([\d.]+)"', out)]
    assert xs[1] - xs[0] > 50
    assert re.search(r">\d\d:\d\d<", out)  # ticks are times of day


def test_chart_many_reports_stay_readable() -> None:
    points = [(GENERATED + timedelta(days=7 * i), 30.0 + i) for i in range(40)]
    out = _chart(points)
    assert out.count("<circle") == 40 and 'r="2.5"' in out
    assert out.count('font-weight="bold"') == 1  # only the latest value is labelled


def test_pdf_lists_at_most_a_hundred_objects_per_rule() -> None:
    findings = [
        Finding(
            "OWN-001",
            Pillar.OWNERSHIP,
            Severity.LOW,
            ObjectType.PROCESS,
            uuid4(),
            f"f{i}",
            "Do the thing",
        )
        for i in range(150)
    ]
    doc = ReportDocument("Big", GENERATED, 10.0, {}, findings)
    assert "and 50 more" in pdf_text(render_pdf(doc))
    assert render_html(doc).count("<li>f") == 150


def test_health_html() -> None:
    doc = HealthReportDocument(
        "Acme", GENERATED, "amber", reasons=["Overdue <milestone>"], readiness_score=61.0
    )
    html = render_health_html(doc)
    assert "status-AMBER" in html and "&lt;milestone&gt;" in html


def test_health_html_words_and_dates_come_from_the_catalogue() -> None:
    doc = HealthReportDocument(
        "Acme",
        GENERATED,
        "red",
        reasons=["Zwei Gründe"],
        period_start=date(2026, 5, 25),
        period_end=date(2026, 5, 31),
        metrics={"live_processes": 1234},
    )
    de = render_health_html(doc, "de", "Europe/Berlin")
    assert 'lang="de"' in de and "Zustand des Mandats: Acme" in de and ">ROT<" in de
    assert "für 25.05.2026 bis 31.05.2026" in de
    assert "<th>Laufende Prozesse</th><td>1.234</td>" in de
    en = render_health_html(doc, "en")
    assert "Engagement health: Acme" in en and "<th>Live processes</th><td>1,234</td>" in en


def test_health_status_validated() -> None:
    with pytest.raises(ValueError):
        HealthReportDocument("x", GENERATED, "BLUE")
