"""Purpose keywords, for spotting processes and tools that do the same job.

Deliberately simple and deterministic: lowercase words of four letters or more, minus
stop words, with a light suffix strip so "segmentation"/"segments"/"segmenting" meet.
"""

from __future__ import annotations

import re
from itertools import combinations

_WORD = re.compile(r"[^\W\d_]+")

# A plain word list reads better than a 60-line tuple literal.
STOP_WORDS = frozenset(
    """
    about across after also among automate automated automatically based before being
    between both each every from have help helps into more most other over same some such
    than that their them then there these they this those through tool tools under using
    used uses very what when where which while with within without your process processes
    ai model models system systems support supports
    """.split()  # noqa: SIM905
)

# Longest first; the stripped stem must keep four letters so short words stay intact.
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "s")
_ES_AFTER = ("ss", "x", "ch", "sh")

#: Cap on keywords per text; bounds the pairs generated per process (at most 66).
MAX_KEYWORDS = 12


def _stem(word: str) -> str:
    if word.endswith("ss"):
        return word
    if word.endswith("es") and word[:-2].endswith(_ES_AFTER):
        return word[:-2]  # "processes", "boxes", "batches"
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4:
            return stem + ("y" if suffix == "ies" else "")
    return word


def keywords(text: str) -> frozenset[str]:
    words = {
        _stem(w)
        for w in (m.group(0).casefold() for m in _WORD.finditer(text))
        if len(w) >= 4 and w not in STOP_WORDS
    }
    words -= STOP_WORDS
    return frozenset(sorted(words)[:MAX_KEYWORDS])


def signatures(words: frozenset[str]) -> list[tuple[str, ...]]:
    """Buckets a text falls in. Two texts overlap when they share two keywords, or when
    one has a single keyword and the other contains it: grouping by keyword pairs keeps
    the search linear in the number of texts instead of comparing every pair."""
    ordered = sorted(words)
    if len(ordered) == 1:
        return [(ordered[0],)]
    return list(combinations(ordered, 2))


def singles(words: frozenset[str]) -> list[tuple[str, ...]]:
    """The one-word buckets a multi-keyword text joins, to meet single-keyword texts."""
    return [(w,) for w in sorted(words)] if len(words) > 1 else []
