"""The catalogue data files load, are complete, and bad edits fail with a clear message."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from jobs.readiness.frameworks import CatalogueError, frameworks, requirements_by_id
from jobs.readiness.frameworks.catalogue import DATA_DIR, parse_framework


def test_three_frameworks_each_with_source_and_version() -> None:
    fws = frameworks()
    assert set(fws) == {"eu-ai-act", "iso-iec-42001", "nist-ai-rmf"}
    assert "2024/1689" in fws["eu-ai-act"].source
    assert "42001:2023" in fws["iso-iec-42001"].source
    assert fws["nist-ai-rmf"].version.startswith("1.0")
    for fw in fws.values():
        assert fw.requirements and all(r.framework_id == fw.id for r in fw.requirements)


@pytest.mark.parametrize(
    "requirement_id",
    [
        "EUAIA-4", "EUAIA-14", "EUAIA-26.2", "EUAIA-26.5", "EUAIA-26.6", "EUAIA-26.7",
        "EUAIA-27", "EUAIA-72", "EUAIA-73",
        "ISO42001-5.3", "ISO42001-7.2", "ISO42001-7.3", "ISO42001-8.1",
        "ISO42001-A.3.2", "ISO42001-A.10.2", "ISO42001-A.10.3",
        "NIST-GOVERN-2.1", "NIST-GOVERN-2.2", "NIST-GOVERN-2.3", "NIST-GOVERN-6.1",
        "NIST-GOVERN-6.2", "NIST-MAP-3.5", "NIST-MEASURE-3.1", "NIST-MANAGE-3.1",
        "NIST-MANAGE-4.1",
    ],
)  # fmt: skip
def test_the_requirements_the_issue_names_are_catalogued(requirement_id: str) -> None:
    req = requirements_by_id()[requirement_id]
    assert req.title and req.summary and req.reference


def test_ids_are_prefixed_by_their_framework_and_references_name_the_clause() -> None:
    prefixes = {"eu-ai-act": "EUAIA-", "iso-iec-42001": "ISO42001-", "nist-ai-rmf": "NIST-"}
    for fw in frameworks().values():
        for r in fw.requirements:
            assert r.id.startswith(prefixes[fw.id]), r.id
            assert re.search(r"\d", r.reference), r.id


def _sample() -> dict[str, Any]:
    with (DATA_DIR / "nist_ai_rmf.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_missing_field_names_the_file_and_entry() -> None:
    data = _sample()
    del data["requirements"][1]["summary"]
    with pytest.raises(CatalogueError, match=r"x.toml requirement #2: 'summary'"):
        parse_framework(data, "x.toml")


def test_duplicate_requirement_id_is_refused() -> None:
    data = _sample()
    data["requirements"][2]["id"] = data["requirements"][0]["id"]
    with pytest.raises(CatalogueError, match="requirement #3: duplicate id"):
        parse_framework(data, "x.toml")


def test_unknown_role_and_unknown_field_are_refused() -> None:
    data = _sample()
    data["requirements"][0]["applies_to"] = ["importer"]
    with pytest.raises(CatalogueError, match="applies_to"):
        parse_framework(data, "x.toml")
    data = _sample()
    data["requirements"][0]["sumary"] = "typo"
    with pytest.raises(CatalogueError, match="unknown field"):
        parse_framework(data, "x.toml")


def test_missing_version_is_refused() -> None:
    data = _sample()
    del data["framework"]["version"]
    with pytest.raises(CatalogueError, match=r"\[framework\]: 'version'"):
        parse_framework(data, "x.toml")
