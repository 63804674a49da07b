"""Any Unicode name renders in the PDF: glyphs from the embedded, subset Noto faces, no tofu."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import cache

import pypdf
from fontTools.ttLib import TTFont

from jobs.readiness import build_readiness
from jobs.rendering import ReportDocument, render_pdf
from jobs.rendering.fonts import BASE, FACES, faces_for
from tests.jobs.factories import SnapshotBuilder

NAMES = {
    "Japanese": "株式会社みらい保険",
    "Chinese": "北京数据平台",
    "Korean": "서울보험",
    "Cyrillic": "Ирина Петрова",
    "Greek": "Αθηνά Παππά",
    "Arabic": "شركة الأمل",
}


@cache
def _cmap(family: str) -> frozenset[int]:
    face = next(f for f in FACES if f.family.replace(" ", "-") == family)
    with TTFont(face.path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _embedded(pdf: bytes) -> tuple[set[str], str]:
    """The embedded font families (subset prefix and weight dropped) and the text."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    families = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            base = str(ref.get_object()["/BaseFont"])
            assert re.match(r"/[A-Z]{6}\+", base), f"{base} is not a subset"
            families.add(re.sub(r"-(Bold|Italic|BoldItalic)$", "", base.split("+", 1)[1]))
    return families, "\n".join(p.extract_text() for p in reader.pages)


def test_names_in_any_script_are_embedded_with_glyphs_that_cover_them() -> None:
    b = SnapshotBuilder(client_name=NAMES["Japanese"])
    b.process(NAMES["Chinese"], risk="critical", checkpoints=0)
    for script in ("Korean", "Cyrillic", "Greek", "Arabic"):
        b.process(NAMES[script], risk="high")
    snapshot = b.build()
    doc = ReportDocument.from_snapshot(
        snapshot, datetime(2026, 6, 1, tzinfo=UTC), build_readiness(snapshot)
    )
    families, text = _embedded(render_pdf(doc))
    # Only the packaged faces are embedded: no system font stood in for a missing glyph.
    assert families <= {f.family.replace(" ", "-") for f in FACES}
    covered = frozenset().union(*(_cmap(f) for f in families))
    for script, name in NAMES.items():
        missing = [ch for ch in name if not ch.isspace() and ord(ch) not in covered]
        assert missing == [], f"{script}: no embedded glyph for {missing}"
    for script in ("Japanese", "Chinese", "Korean", "Cyrillic", "Greek"):
        assert NAMES[script] in text, f"{script} name not in the PDF text"
    # Arabic is shaped right to left; its letters are there, in some order of extraction.
    assert set(NAMES["Arabic"].replace(" ", "")) <= set(text)


def test_a_latin_report_declares_no_script_face() -> None:
    assert faces_for("Zoë Ñúñez, Łukasz, Ирина, Αθηνά") == BASE
    assert [f.family for f in faces_for("Zoë 北京")] == [
        "Report Sans",
        "Report Sans",
        "Report Sans JP",
        "Report Sans SC",
    ]
