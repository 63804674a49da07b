"""Job defaults shared by the worker and its jobs.

The configured values come from the server's settings (STEWARD_JOB_TIMEOUT_S,
STEWARD_TEST_JOB_DELAY_S in server/settings.py), which `worker_settings` puts in
each job's context; a job reads them there, never from the environment.
"""

from __future__ import annotations

DEFAULT_JOB_TIMEOUT_S = 300
DEFAULT_EXPORT_TTL_S = 24 * 3600
