"""The readiness report has a section per chosen framework, in HTML and PDF, in English
and German; without chosen frameworks it has none."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf

from jobs.readiness import build_readiness
from jobs.readiness.frameworks import framework_sections
from jobs.rendering import ReportDocument, render_html, render_pdf
from tests.jobs.factories import SnapshotBuilder

GENERATED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def _document(frameworks: list[str]) -> ReportDocument:
    b = SnapshotBuilder()
    b.healthy_process("Claims triage")
    b.process("Orphan", reviewed_days_ago=1)
    snap = b.build()
    result = build_readiness(snap)
    sections = framework_sections(snap, result.findings, frameworks)
    return ReportDocument.from_snapshot(snap, GENERATED, result, frameworks=sections)


def test_section_per_chosen_framework_with_statuses() -> None:
    html = render_html(_document(["eu-ai-act", "nist-ai-rmf"]), "en")
    assert ">Regulatory frameworks<" in html
    assert "EU AI Act (deployer obligations)" in html and "NIST AI Risk Management" in html
    assert "ISO/IEC 42001 AI management system" not in html
    assert "Art. 26(2)" in html and ">partly met<" in html and ">not assessed<" in html
    assert "Regulation (EU) 2024/1689" in html


def test_no_frameworks_chosen_means_no_section() -> None:
    assert "Regulatory frameworks" not in render_html(_document([]), "en")


def test_section_in_german_and_in_the_pdf() -> None:
    doc = _document(["iso-iec-42001"])
    de = render_html(doc, "de")
    assert ">Regulatorische Rahmenwerke<" in de and ">teilweise erfüllt<" in de
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages)
    assert "Regulatory frameworks" in text and "Clause 5.3" in text
