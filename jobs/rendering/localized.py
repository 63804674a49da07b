"""One report's language: gettext functions and Babel formatters for a locale and zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from jobs.i18n import normalize_locale, translations
from jobs.i18n.messages import RULE_MESSAGES
from jobs.i18n.rules import AUTHORITY_NAMES, RULE_TITLES, STAGE_NAMES, TIER_NAMES

#: What a table shows for a missing date or number (an en dash).
NONE = "\u2013"


@dataclass(frozen=True, slots=True)
class Localized:
    locale: str
    zone: ZoneInfo

    @classmethod
    def of(cls, locale: str | None, time_zone: str | None) -> Localized:
        try:
            zone = ZoneInfo(time_zone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        return cls(normalize_locale(locale), zone)

    def gettext(self, message: str) -> str:
        return translations(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.locale).ngettext(singular, plural, n)

    def rule_title(self, rule_id: str) -> str:
        return self.gettext(RULE_TITLES.get(rule_id, rule_id))

    def _word(self, name: str) -> str:
        """A name inside a sentence: lower case in English, as written in German (nouns)."""
        word = self.gettext(name)
        return word.lower() if self.locale == "en" else word

    def finding(self, message: str, params: dict[str, str]) -> str:
        """A finding's sentence in this language from its key and parameters; the stored
        English sentence in English, or the object's name, when it has no key."""
        template = RULE_MESSAGES.get(params.get("message_key", ""))
        if template is None:
            return message if self.locale == "en" else params.get("subject") or message
        shown = dict(params)
        for name, table in (("stage", STAGE_NAMES), ("tier", TIER_NAMES)):
            if name in shown:
                shown[name] = self._word(table.get(shown[name], shown[name]))
        if "authority" in shown:
            shown["authority"] = self._word(AUTHORITY_NAMES.get(shown["authority"], ""))
        for name in ("hours", "minimum", "limit"):
            if name in shown:
                shown[name] = self.number(float(shown[name]))
        if "date" in shown:
            shown["date"] = self.date(date.fromisoformat(shown["date"]))
        try:
            return self.gettext(template) % shown
        except (KeyError, ValueError, TypeError):
            return message

    def date(self, value: date | datetime | None, form: str = "medium") -> str:
        if value is None:
            return NONE
        if isinstance(value, datetime):
            value = value.astimezone(self.zone).date()
        return format_date(value, format=form, locale=self.locale)

    def moment(self, value: datetime, form: str = "medium") -> str:
        return format_datetime(value, format=form, tzinfo=self.zone, locale=self.locale)

    def time(self, value: datetime) -> str:
        """Day, month and time of day, for an axis spanning about a day."""
        return format_datetime(value, format="d MMM HH:mm", tzinfo=self.zone, locale=self.locale)

    def number(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return NONE
        return format_decimal(
            round(value, digits), format=f"#,##0.{'#' * digits}", locale=self.locale
        )

    def score(self, value: float | None) -> str:
        return NONE if value is None else format_decimal(round(value), locale=self.locale)
