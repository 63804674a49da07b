"""Message catalogues for everything a report says, and locale-aware formatting.

Catalogues are gettext `.po` files under `locale/<lang>/LC_MESSAGES/messages.po`, with the
English text as msgid (English needs no catalogue). They are compiled in memory by Babel the
first time a locale is used, so a fresh clone, a wheel or an image needs no build step and no
`.mo` file can go stale beside its `.po`.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "en"
#: Locales whose catalogue is complete (a test holds every msgid translated).
SUPPORTED_LOCALES = ("en", "de")


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it here."""
    return message


def normalize_locale(value: str | None) -> str:
    """A supported language code for `value` ("de-AT" -> "de"); the default otherwise."""
    if not value:
        return DEFAULT_LOCALE
    try:
        language = Locale.parse(value.replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        return DEFAULT_LOCALE
    return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE


@lru_cache(maxsize=8)
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of a supported locale; English is the msgids themselves."""
    language = normalize_locale(locale)
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LOCALE or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


__all__ = [
    "DEFAULT_LOCALE",
    "N_",
    "SUPPORTED_LOCALES",
    "normalize_locale",
    "translations",
]
