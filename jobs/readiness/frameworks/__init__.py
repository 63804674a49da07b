"""Regulatory frameworks: the catalogue (data files) and coverage computed from findings.

`catalogue` loads `data/*.toml` (EU AI Act deployer duties, ISO/IEC 42001, NIST AI RMF);
`coverage` says per requirement whether a client or process meets it, from the readiness
snapshot and findings. See `data/README.md` for the file format and the sources.
"""

from __future__ import annotations

from jobs.readiness.frameworks.catalogue import (
    CatalogueError,
    Framework,
    Requirement,
    frameworks,
    requirements_by_id,
)
from jobs.readiness.frameworks.coverage import (
    CoverageStatus,
    FrameworkCoverage,
    RequirementCoverage,
    framework_coverage,
    framework_sections,
    rule_mapping,
)

__all__ = [
    "CatalogueError",
    "CoverageStatus",
    "Framework",
    "FrameworkCoverage",
    "Requirement",
    "RequirementCoverage",
    "framework_coverage",
    "framework_sections",
    "frameworks",
    "requirements_by_id",
    "rule_mapping",
]
