"""The fonts a PDF report embeds, all from pinned pip packages: nothing downloads at run
time, and WeasyPrint embeds only the glyphs a report uses (subset).

Noto Sans covers Latin, Greek and Cyrillic; Noto Sans Arabic, and Noto Sans JP, SC and KR
(Japanese, Chinese, Korean) follow it in the CSS font list, so a name in any of those
scripts falls back glyph by glyph to a face that has it instead of printing tofu. Japanese
comes before Chinese, so a Han character shared by both takes the Japanese form.

A script face is declared only when the report has a character of its script (`faces_for`):
WeasyPrint loads every declared face and subsetting a CJK face costs seconds, which a
report in Latin script alone should not pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from markupsafe import Markup

_NOTO = Path(str(files("fontpkg_noto_sans"))) / "files"
_ARABIC = Path(str(files("fontpkg_noto_sans_arabic"))) / "files"
_CJK = Path(str(files("justmytype_intl_cjk"))) / "fonts" / "ofl"


Ranges = tuple[tuple[int, int], ...]
_ARABIC_SCRIPT: Ranges = (
    (0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)  # fmt: skip
_HAN_AND_KANA: Ranges = (
    (0x3000, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF), (0x20000, 0x2FA1F),
)  # fmt: skip
_HANGUL: Ranges = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))


@dataclass(frozen=True, slots=True)
class FontFace:
    family: str
    path: Path
    style: str = "normal"
    script: Ranges = ()  # empty: always declared

    def needed_by(self, text: str) -> bool:
        return not self.script or any(
            lo <= ord(ch) <= hi for ch in set(text) for lo, hi in self.script
        )

    @property
    def url(self) -> str:
        return self.path.as_uri()


FACES: tuple[FontFace, ...] = (
    FontFace("Report Sans", _NOTO / "NotoSans[wdth,wght].ttf"),
    FontFace("Report Sans", _NOTO / "NotoSans-Italic[wdth,wght].ttf", "italic"),
    FontFace(
        "Report Sans Arabic", _ARABIC / "NotoSansArabic[wdth,wght].ttf", script=_ARABIC_SCRIPT
    ),
    FontFace("Report Sans JP", _CJK / "notosansjp" / "NotoSansJP[wght].ttf", script=_HAN_AND_KANA),
    FontFace("Report Sans SC", _CJK / "notosanssc" / "NotoSansSC[wght].ttf", script=_HAN_AND_KANA),
    FontFace("Report Sans KR", _CJK / "notosanskr" / "NotoSansKR[wght].ttf", script=_HANGUL),
)
BASE: tuple[FontFace, ...] = tuple(f for f in FACES if not f.script)


def faces_for(text: str) -> tuple[FontFace, ...]:
    """The faces a document with this text needs, in fallback order."""
    return tuple(f for f in FACES if f.needed_by(text))


def families(faces: tuple[FontFace, ...]) -> Markup:
    """The CSS font-family list, most specific first, each family once; Markup, because it
    goes into a style sheet, where an HTML-escaped quote would be no quote."""
    names = dict.fromkeys(f.family for f in faces)
    return Markup(", ".join(f'"{n}"' for n in names))  # noqa: S704 (constants above, no input)
