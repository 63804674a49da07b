"""What the benchmarks' processes cost, read from /proc: CPU time and resident memory of a
process tree, and of the PostgreSQL backends serving the scratch database."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import asyncpg

CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- CPU ---------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the state on (field 3)


def _ticks(fields: list[str], children: bool) -> int:
    # utime, stime are fields 14, 15; cutime, cstime 16, 17 (1-based; list starts at 3)
    total = int(fields[11]) + int(fields[12])
    return total + (int(fields[13]) + int(fields[14]) if children else 0)


def tree_cpu_seconds(pid: int) -> float:
    """CPU of `pid` and its live descendants, plus its reaped children's."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (f := _stat(int(entry))) is not None:
            parents[int(entry)] = int(f[1])
    family, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in family:
                family.add(child)
                frontier.append(child)
    total = 0
    for member in family:
        if (f := _stat(member)) is not None:
            total += _ticks(f, children=member == pid)
    return total / CLK_TCK


async def backend_cpu(conn: asyncpg.Connection) -> dict[int, int]:
    """CPU ticks of each PostgreSQL backend connected to the scratch database but ours."""
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    out = {}
    for row in rows:
        if (f := _stat(row["pid"])) is not None:
            out[row["pid"]] = _ticks(f, children=False)
    return out


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores; /proc/stat, not idle/iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / CLK_TCK


def backend_delta(before: dict[int, int], after: dict[int, int]) -> float:
    # A backend that appeared during the round started from zero.
    return sum(t - before.get(pid, 0) for pid, t in after.items()) / CLK_TCK


# --- memory ------------------------------------------------------------------------------


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out = [pid]
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out.extend(_descendants(int(child)))
    return out


def api_rss_mib(pid: int) -> float:
    return sum(_status_kib(p, "VmRSS") for p in _descendants(pid)) / 1024


async def backends_anon_mib(conn: asyncpg.Connection) -> tuple[int, float]:
    """(backends, total RssAnon MiB) of this database's client backends, but this one."""
    pids = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )
    return len(pids), sum(_status_kib(r["pid"], "RssAnon") for r in pids) / 1024
