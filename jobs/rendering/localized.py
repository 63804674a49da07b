"""One report's language: gettext functions and Babel formatters for a locale and zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from jobs.i18n import normalize_locale, translations
from jobs.i18n.rules import RULE_TITLES

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
