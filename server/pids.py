"""Whether a process id is still a running process.

Its own module because both the embedded servers' supervision (`server/embedded/`) and the
metrics port (`server/observability/exposition.py`) ask, and the production image has no
embedded extra: importing `server.embedded` from the serving path would load what is not
installed there (`tests/server/test_runtime.py` checks)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # An orphan that exited stays a zombie until init reaps it, and in containers "init" may
    # reap late or never: a zombie has finished, so do not wait for it.
    with contextlib.suppress(OSError, IndexError):
        stat_line = Path(f"/proc/{pid}/stat").read_text()
        return stat_line.rsplit(")", 1)[1].split()[0] != "Z"
    return True
