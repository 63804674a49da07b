"""The rule registry.

A rule is declared by decorating a generator of hits `(object_type, object_id, message)`;
the decorator wraps it in a `Rule` that carries the documented metadata and, when called
with a snapshot, returns complete `Finding`s. Each rule also declares its *scope*: the ids
of the objects it applies to, which scoring needs for "fraction of applicable objects
failing" (a rule with an empty scope says nothing about its pillar).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from uuid import UUID

from jobs.readiness.findings import Finding, ObjectType, Pillar, Severity
from jobs.readiness.snapshot import ClientSnapshot


class Said(str):
    """A finding's English sentence that also keeps its message key and parameters, so a
    report can say it again in another language (`jobs/i18n/messages.py`)."""

    key: str
    params: dict[str, str]

    def __new__(cls, key: str, text: str, **params: object) -> Said:
        said = super().__new__(cls, text)
        said.key = key
        said.params = {k: str(v) for k, v in params.items()}
        return said


def _params(message: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(message, Said):
        return ()
    return tuple(sorted({**message.params, "message_key": message.key}.items()))


Hit = tuple[ObjectType, UUID, str]
CheckFn = Callable[[ClientSnapshot], Iterable[Hit]]
ScopeFn = Callable[[ClientSnapshot], Collection[UUID]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pillar: Pillar
    checks: str
    severity: Severity
    weight: float
    recommendation: str
    traces_to: str
    #: Framework requirement ids (`jobs/readiness/frameworks/data/`) this rule is evidence
    #: for; a rule that passes shows the requirement met for its objects.
    evidences: tuple[str, ...]
    scope: ScopeFn
    check: CheckFn

    def __call__(self, snapshot: ClientSnapshot) -> list[Finding]:
        findings = [
            Finding(
                rule_id=self.id,
                pillar=self.pillar,
                severity=self.severity,
                object_type=object_type,
                object_id=object_id,
                message=str(message),
                recommendation=self.recommendation,
                params=_params(message),
            )
            for object_type, object_id, message in self.check(snapshot)
        ]
        return sorted(findings, key=Finding.sort_key)


_REGISTRY: dict[str, Rule] = {}


def rule(
    *,
    id: str,
    pillar: Pillar,
    checks: str,
    severity: Severity,
    weight: float,
    recommendation: str,
    traces_to: str,
    evidences: tuple[str, ...],
    scope: ScopeFn,
) -> Callable[[CheckFn], Rule]:
    """Register a rule; ids are unique and weights are points out of the pillar's 100."""

    def register(check: CheckFn) -> Rule:
        if id in _REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        if not 0 < weight <= 100:
            raise ValueError(f"rule {id}: weight must be in (0, 100]")
        declared = Rule(
            id=id,
            pillar=pillar,
            checks=checks,
            severity=severity,
            weight=weight,
            recommendation=recommendation,
            traces_to=traces_to,
            evidences=evidences,
            scope=scope,
            check=check,
        )
        _REGISTRY[id] = declared
        return declared

    return register


def registered_rules() -> tuple[Rule, ...]:
    """All rules, ordered by pillar then id, so reports and docs list them stably."""
    order = {p: i for i, p in enumerate(Pillar)}
    return tuple(sorted(_REGISTRY.values(), key=lambda r: (order[r.pillar], r.id)))


def live_process_ids(snapshot: ClientSnapshot) -> list[UUID]:
    return [p.id for p in snapshot.live_processes]


def live_high_impact_ids(snapshot: ClientSnapshot) -> list[UUID]:
    return [p.id for p in snapshot.live_processes if p.is_high_impact]


def names(items: Iterable[str], limit: int = 5) -> str:
    """A readable, bounded list for messages: "a, b, c and 4 more"."""
    ordered = sorted(items)
    shown = ", ".join(ordered[:limit])
    rest = len(ordered) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown
