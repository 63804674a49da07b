"""A consultancy's own control set, from CSV or JSON, checked row by row.

CSV: a header row with `id`, `title`, `rules` and optionally `summary`; `rules` lists
readiness rule ids separated by spaces, commas or semicolons. JSON: a list of objects with
the same keys, `rules` a list of strings. Every problem is reported with its row (1 is the
first control, not the header) and column, all at once, so a consultant fixes the file in
one pass; nothing is stored unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from jobs.readiness.rules import RULES_BY_ID

MAX_CONTROLS = 2000
MAX_CONTENT = 2_000_000  # characters
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_SPLIT = re.compile(r"[\s,;]+")
LIMITS = {"title": 300, "summary": 4000}


@dataclass(frozen=True, slots=True)
class ControlRow:
    control_id: str
    title: str
    summary: str | None
    rule_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RowError:
    row: int | None  # None: the file as a whole
    column: str | None
    message: str

    @property
    def field(self) -> str:
        """The error's field for the API: content, content[3] or content[3].rules."""
        where = "content" if self.row is None else f"content[{self.row}]"
        return where if self.column is None else f"{where}.{self.column}"


class ControlSetError(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def _rules(value: Any, row: int, errors: list[RowError]) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [v for v in _SPLIT.split(value.strip()) if v]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value if v.strip()]
    else:
        errors.append(RowError(row, "rules", "must be a list of rule ids"))
        return ()
    if not items:
        errors.append(RowError(row, "rules", "must name at least one readiness rule"))
    unknown = [v for v in items if v not in RULES_BY_ID]
    if unknown:
        errors.append(RowError(row, "rules", f"unknown rule id(s): {', '.join(unknown)}"))
    return tuple(dict.fromkeys(items))


def _text(raw: dict[str, Any], key: str, row: int, errors: list[RowError]) -> str | None:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        errors.append(RowError(row, key, "must be text"))
        return None
    if len(value.strip()) > LIMITS.get(key, 100):
        errors.append(RowError(row, key, f"must be at most {LIMITS.get(key, 100)} characters"))
    return value.strip()


def _row(raw: dict[str, Any], row: int, seen: set[str], errors: list[RowError]) -> ControlRow:
    control_id = _text(raw, "id", row, errors) or ""
    if not control_id:
        errors.append(RowError(row, "id", "must not be blank"))
    elif not _ID.match(control_id):
        errors.append(RowError(row, "id", "must be letters, digits and . _ : - (at most 100)"))
    elif control_id in seen:
        errors.append(RowError(row, "id", f"repeats control {control_id}"))
    seen.add(control_id)
    title = _text(raw, "title", row, errors)
    if title is None:
        errors.append(RowError(row, "title", "must not be blank"))
    summary = _text(raw, "summary", row, errors)
    rules = _rules(raw.get("rules", ""), row, errors)
    return ControlRow(control_id, title or "", summary, rules)


def _records(content: str, fmt: str, errors: list[RowError]) -> list[dict[str, Any]]:
    if fmt == "json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            errors.append(RowError(None, None, f"is not JSON: {exc.msg} at line {exc.lineno}"))
            return []
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            errors.append(RowError(None, None, "must be a JSON list of objects"))
            return []
        return data
    reader = csv.DictReader(io.StringIO(content))
    missing = {"id", "title", "rules"} - set(reader.fieldnames or ())
    if missing:
        errors.append(RowError(None, None, f"header lacks column(s): {', '.join(sorted(missing))}"))
        return []
    return list(reader)


def parse_control_set(content: str, fmt: str) -> list[ControlRow]:
    """The controls of a CSV or JSON file, or ControlSetError with every problem."""
    errors: list[RowError] = []
    if fmt not in ("csv", "json"):
        raise ControlSetError([RowError(None, None, "format must be csv or json")])
    if len(content) > MAX_CONTENT:
        raise ControlSetError([RowError(None, None, f"is over {MAX_CONTENT} characters")])
    records = _records(content, fmt, errors)
    if not records and not errors:
        errors.append(RowError(None, None, "has no controls"))
    if len(records) > MAX_CONTROLS:
        errors.append(RowError(None, None, f"has more than {MAX_CONTROLS} controls"))
    seen: set[str] = set()
    rows = [_row(raw, i, seen, errors) for i, raw in enumerate(records[:MAX_CONTROLS], 1)]
    if errors:
        raise ControlSetError(errors)
    return rows
