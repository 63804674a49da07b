"""Make any text printable with fpdf2's core fonts, which only encode latin-1.

Core fonts need no font file, so rendering installs from the lock file alone; the price
is the character set. Rather than crash on an emoji or an RTL name, text is reduced:
common typography maps to ASCII look-alikes, accented letters outside latin-1 lose their
accent (NFKD), control and formatting characters (bidi marks, zero-width joiners, lone
surrogates) are dropped, and anything left becomes "?".
"""

from __future__ import annotations

import unicodedata

_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "*",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u20ac": "EUR",
    "\u2122": "(TM)",
    "\u0141": "L",
    "\u0142": "l",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u0131": "i",
}

_KEEP_CONTROLS = {"\n": "\n", "\t": " ", "\r": ""}


def _latin1(ch: str) -> bool:
    return ord(ch) < 256


def pdf_safe(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in _KEEP_CONTROLS:
            out.append(_KEEP_CONTROLS[ch])
            continue
        category = unicodedata.category(ch)
        if category[0] == "C":  # Cc, Cf, Cs, Co, Cn: nothing printable
            continue
        if category in ("Zl", "Zp"):
            out.append("\n")
        elif category == "Zs":
            out.append(" ")
        elif _latin1(ch):
            out.append(ch)
        elif ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if _latin1(c))
            base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
            out.append(base if base.strip() else "?")
    return "".join(out)
