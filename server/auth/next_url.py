"""Where to send the browser after login: only ever a path on this origin.

Browsers read `//evil.example`, `/\\evil.example` and `\\\\evil.example` as other
hosts, strip tabs and newlines before parsing, and some proxies decode `%2F`
and `%5C`, so anything that could become a scheme, an authority or a backslash
under any of those readings is refused rather than repaired.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

DEFAULT_NEXT = "/"
MAX_LENGTH = 2000


class UnsafeNextError(ValueError):
    """`next` is not a same-origin relative path."""


def _printable_ascii(value: str) -> bool:
    return all(0x21 <= ord(ch) <= 0x7E for ch in value)


def safe_next(value: str | None) -> str:
    """`value` when it is a same-origin path (default "/"), else UnsafeNextError."""
    if value is None or value == "":
        return DEFAULT_NEXT
    if len(value) > MAX_LENGTH:
        raise UnsafeNextError("next is too long")
    if not _printable_ascii(value):
        raise UnsafeNextError("next must be printable ASCII without spaces (percent-encode)")
    decoded = unquote(value)
    for candidate in (value, decoded):
        if not candidate.startswith("/") or candidate.startswith("//"):
            raise UnsafeNextError("next must be a path starting with a single /")
        if "\\" in candidate:
            raise UnsafeNextError("next must not contain backslashes")
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
            raise UnsafeNextError("next must not contain control characters, even encoded")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        raise UnsafeNextError("next must not name a scheme or host")
    return value
