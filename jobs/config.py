"""Job tunables read from the environment, validated when the worker starts.

STEWARD_JOB_TIMEOUT_S   seconds a job may run before it ends FAILED (default 300, 5-3600).
                        A worker killed mid-job leaves its job to another worker once
                        arq's in-progress key expires: this timeout + 10 s.
STEWARD_TEST_JOB_DELAY_S  test-only: seconds a readiness job sleeps after it marked its
                        report RUNNING (default 0), so a test can kill a worker mid-job.
                        Refused when STEWARD_ENV=production.
"""

from __future__ import annotations

import os

DEFAULT_JOB_TIMEOUT_S = 300


class JobConfigError(SystemExit):
    """A job variable is invalid; the message names it."""


def _number(name: str, default: float, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise JobConfigError(
            f"invalid configuration:\n  {name}: not a number (got {raw!r})"
        ) from None
    if not low <= value <= high:
        raise JobConfigError(
            f"invalid configuration:\n  {name}: must be between {low:g} and {high:g}"
        )
    return value


def job_timeout_s() -> int:
    return int(_number("STEWARD_JOB_TIMEOUT_S", DEFAULT_JOB_TIMEOUT_S, 5, 3600))


def test_job_delay_s() -> float:
    delay = _number("STEWARD_TEST_JOB_DELAY_S", 0.0, 0, 3600)
    if delay and os.environ.get("STEWARD_ENV", "production") == "production":
        raise JobConfigError(
            "invalid configuration:\n  STEWARD_TEST_JOB_DELAY_S: only allowed outside production"
        )
    return delay
