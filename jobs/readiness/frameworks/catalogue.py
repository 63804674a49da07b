"""The framework catalogue: versioned data files in `data/`, loaded and checked once.

Each file is one framework: a `[framework]` table (id, title, source, version,
publisher) and `[[requirements]]` (id, reference, title, summary, optional `applies_to`
roles and `high_risk_only`). The data is not code so a consultant can review it in a pull
request like a document; the loader refuses a file with a missing field, a duplicate id
or an unknown role, naming the file and the entry, so a bad edit fails at import, not in a
client's report.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Roles a client can play for an AI system (EU AI Act Art. 3(3)-(4) terms).
CLIENT_ROLES = ("deployer", "provider")

_FRAMEWORK_FIELDS = ("id", "title", "source", "version", "publisher")
_REQUIREMENT_FIELDS = ("id", "reference", "title", "summary")


class CatalogueError(ValueError):
    """A catalogue file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    framework_id: str
    reference: str
    title: str
    summary: str
    applies_to: tuple[str, ...] = CLIENT_ROLES
    high_risk_only: bool = False


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    title: str
    source: str
    version: str
    publisher: str
    requirements: tuple[Requirement, ...]

    def requirement(self, requirement_id: str) -> Requirement:
        for r in self.requirements:
            if r.id == requirement_id:
                return r
        raise KeyError(requirement_id)


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _requirement(raw: dict[str, Any], framework_id: str, where: str) -> Requirement:
    values = {k: _text(raw, k, where) for k in _REQUIREMENT_FIELDS}
    roles = raw.get("applies_to", list(CLIENT_ROLES))
    if not isinstance(roles, list) or not roles or any(r not in CLIENT_ROLES for r in roles):
        raise CatalogueError(f"{where}: 'applies_to' must list roles from {CLIENT_ROLES}")
    high_risk_only = raw.get("high_risk_only", False)
    if not isinstance(high_risk_only, bool):
        raise CatalogueError(f"{where}: 'high_risk_only' must be true or false")
    unknown = set(raw) - {*_REQUIREMENT_FIELDS, "applies_to", "high_risk_only"}
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s) {sorted(unknown)}")
    return Requirement(
        framework_id=framework_id,
        applies_to=tuple(roles),
        high_risk_only=high_risk_only,
        **values,
    )


def parse_framework(data: dict[str, Any], name: str) -> Framework:
    """Build and check one framework from parsed TOML; `name` is used in error messages."""
    head = data.get("framework")
    if not isinstance(head, dict):
        raise CatalogueError(f"{name}: missing [framework] table")
    meta = {k: _text(head, k, f"{name} [framework]") for k in _FRAMEWORK_FIELDS}
    raw_requirements = data.get("requirements")
    if not isinstance(raw_requirements, list) or not raw_requirements:
        raise CatalogueError(f"{name}: no [[requirements]]")
    requirements: list[Requirement] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_requirements, start=1):
        where = f"{name} requirement #{index}"
        req = _requirement(raw, meta["id"], where)
        if req.id in seen:
            raise CatalogueError(f"{where}: duplicate id {req.id}")
        seen.add(req.id)
        requirements.append(req)
    return Framework(requirements=tuple(requirements), **meta)


@cache
def frameworks() -> dict[str, Framework]:
    """Every catalogued framework by id, loaded from `data/*.toml` once per process."""
    loaded: dict[str, Framework] = {}
    for path in sorted(DATA_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            framework = parse_framework(tomllib.load(handle), path.name)
        if framework.id in loaded:
            raise CatalogueError(f"{path.name}: framework id {framework.id} used twice")
        loaded[framework.id] = framework
    requirement_ids = [r.id for f in loaded.values() for r in f.requirements]
    if len(requirement_ids) != len(set(requirement_ids)):
        raise CatalogueError("a requirement id is used by more than one framework")
    return loaded


def requirements_by_id() -> dict[str, Requirement]:
    return {r.id: r for f in frameworks().values() for r in f.requirements}
