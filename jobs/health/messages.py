"""A health reason's sentence in a language, made from its code and stored parameters
with the message catalogues (jobs/i18n/health.py), so a stored report can be rendered
again in another language. Numbers are formatted by locale; names are kept as written."""

from __future__ import annotations

from babel.numbers import format_decimal

from jobs.health.registry import Params
from jobs.i18n import DEFAULT_LOCALE, normalize_locale, translations
from jobs.i18n.health import HEALTH_MESSAGES, NAMES_AND_MORE

MESSAGES = HEALTH_MESSAGES


def _number(value: object, locale: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(round(float(value)), locale=locale)


def _shown(params: Params, locale: str) -> dict[str, str]:
    t = translations(locale)
    shown = {k: _number(v, locale) for k, v in params.items() if not isinstance(v, list)}
    names = ", ".join(str(n) for n in params.get("names", []))
    more = int(params.get("more", 0) or 0)
    shown["names"] = (
        t.gettext(NAMES_AND_MORE) % {"names": names, "more": _number(more, locale)}
        if more
        else names
    )
    shown["duties"] = ", ".join(str(d) for d in params.get("duties", []))
    return shown


def message(code: str, params: Params, locale: str = DEFAULT_LOCALE) -> str:
    """The reason's sentence in `locale`; the code itself for one without a message."""
    found = MESSAGES.get(code)
    if found is None:
        return code
    language = normalize_locale(locale)
    singular, plural = found
    t = translations(language)
    template = (
        t.ngettext(singular, plural, int(params.get("count", 0) or 0))
        if plural
        else t.gettext(singular)
    )
    try:
        return template % _shown(params, language)
    except (KeyError, ValueError, TypeError):
        return code
