"""HTML and PDF rendering of readiness and engagement health reports."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from jobs.readiness import Finding, ObjectType, Pillar, Severity, build_readiness, compare
from jobs.readiness.comparison import PreviousReport
from jobs.readiness.findings import FindingKey
from jobs.rendering import (
    HealthReportDocument,
    ReportDocument,
    render_health_html,
    render_html,
    render_pdf,
)
from jobs.rendering.pdftext import pdf_safe
from tests.jobs.factories import SnapshotBuilder

NASTY = (
    "<script>alert('x')</script> & \"quotes\" 🚀👩🏽‍💻 שלום مرحبا \u202ereversed\u202c "
    "zero\u200bwidth \x00\x07\x1b[31m ctrl \ud800 Łódź € — “smart” … 漢字 \U0001f9ea"
)
GENERATED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
HISTORY = [(date(2026, 3, 1), 40.0), (date(2026, 1, 1), 25.5), (date(2026, 6, 1), 61.0)]


def finding(severity: Severity, message: str = "msg", rule_id: str = "OWN-001") -> Finding:
    return Finding(
        rule_id, Pillar.OWNERSHIP, severity, ObjectType.PROCESS, uuid4(), message, "Do the thing"
    )


def document(**overrides: object) -> ReportDocument:
    b = SnapshotBuilder(client_name="Acme <Insurance> & Co")
    b.process("Claims <triage>", risk="critical", checkpoints=0)
    b.healthy_process("Invoice processing")
    result = build_readiness(b.build())
    comparison = compare(PreviousReport(50.0, (FindingKey("FBK-001", uuid4()),)), result)
    doc = ReportDocument.from_result(
        b.client_name,
        GENERATED,
        result,
        history=HISTORY,
        comparison=comparison,
        prepared_by="Steward & Partners",
    )
    if overrides:
        from dataclasses import replace

        doc = replace(doc, **overrides)  # type: ignore[arg-type]
    return doc


def test_html_is_self_contained_with_both_charts() -> None:
    html = render_html(document())
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 2 and "<polyline" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "Acme &lt;Insurance&gt; &amp; Co" in html
    assert "Claims &lt;triage&gt;" in html and "Claims <triage>" not in html


def test_html_escapes_hostile_text_everywhere() -> None:
    doc = document(client_name=NASTY, findings=[finding(Severity.HIGH, NASTY)], prepared_by=NASTY)
    html = render_html(doc)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "🚀" in html  # HTML is UTF-8: odd text survives, it is only escaped


def test_html_groups_findings_by_severity_in_order() -> None:
    doc = document(
        findings=[
            finding(Severity.LOW, "low one"),
            finding(Severity.CRITICAL, "crit"),
            finding(Severity.MEDIUM, "med"),
        ]
    )
    html = render_html(doc)
    headings = re.findall(r'<h3 class="sev sev-(\w+)">', html)
    assert headings == ["critical", "medium", "low"]
    assert html.index("crit") < html.index("med") < html.index("low one")


def test_html_bar_chart_marks_not_applicable_pillars() -> None:
    html = render_html(document())
    assert "Vendor clauses" in html and ">n/a<" in html


def test_html_handles_empty_report() -> None:
    doc = ReportDocument("Empty", GENERATED, None, {}, [])
    html = render_html(doc)
    assert "No history yet" in html and "every rule passed" in html and "n/a" in html


def test_html_single_history_point() -> None:
    html = render_html(document(history=[(date(2026, 6, 1), 50.0)]))
    assert "<circle" in html and "<polyline" not in html


def test_pdf_renders() -> None:
    pdf = render_pdf(document())
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_pdf_survives_odd_unicode() -> None:
    findings = [finding(s, NASTY * 3) for s in Severity] + [finding(Severity.LOW, "x" * 2000)]
    doc = document(client_name=NASTY, findings=findings, prepared_by=NASTY, title=NASTY)
    assert render_pdf(doc).startswith(b"%PDF-")


def test_pdf_many_findings_paginate_and_empty_report() -> None:
    rules = ("OWN-001", "OWN-002", "AUT-001", "AUT-002")
    many = document(
        findings=[finding(Severity.MEDIUM, f"finding {i}", rules[i % 4]) for i in range(200)]
    )
    assert render_pdf(many).count(b"/Type /Page\n") > 3 or len(render_pdf(many)) > 20000
    assert render_pdf(ReportDocument("Empty", GENERATED, None, {}, [])).startswith(b"%PDF-")


def test_pdf_lists_at_most_a_hundred_objects_per_rule() -> None:
    from jobs.rendering.pdf_report import MAX_LISTED_PER_RULE

    few = render_pdf(document(findings=[finding(Severity.LOW, f"f{i}") for i in range(100)]))
    lots = render_pdf(document(findings=[finding(Severity.LOW, f"f{i}") for i in range(5000)]))
    assert MAX_LISTED_PER_RULE == 100
    assert len(lots) < 2 * len(few)


def test_pdf_is_deterministic_for_a_document() -> None:
    doc = document()
    assert render_pdf(doc) == render_pdf(doc)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Łódź", "Lódz"),
        ("café", "café"),
        ("“smart” — quotes…", '"smart" - quotes...'),
        ("a\x00b\u200bc\u202ed", "abcd"),
        ("tab\there\r\n", "tab here\n"),
        ("🚀 שלום", "? ????"),
        ("ﬁ ligature", "fi ligature"),
        ("\ud800", ""),
    ],
)
def test_pdf_safe_text(raw: str, safe: str) -> None:
    assert pdf_safe(raw) == safe
    pdf_safe(raw).encode("latin-1")


def test_health_html() -> None:
    doc = HealthReportDocument(
        client_name="Acme <x>",
        generated_at=GENERATED,
        status="amber",
        reasons=["2 orphaned live processes", "<b>milestone</b> overdue"],
        period_start=date(2026, 5, 25),
        period_end=date(2026, 5, 31),
        readiness_score=61.0,
        metrics={"Open high incidents": 1},
    )
    html = render_health_html(doc)
    assert "status-AMBER" in html and "&lt;b&gt;milestone&lt;/b&gt;" in html
    assert "Acme &lt;x&gt;" in html and "2026-05-25" in html and "Open high incidents" in html


def test_health_status_validated() -> None:
    with pytest.raises(ValueError, match="RED, AMBER or GREEN"):
        HealthReportDocument("x", GENERATED, "BLUE")
