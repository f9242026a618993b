"""CPU time and resident memory of the pipeline's processes, read from /proc.

The bench samples each process tree (a worker with its parse processes, the
sink, the broker) at the start and the end of a run: CPU milliseconds per
document show where the time goes, and RSS at both ends shows whether memory
stays flat over a long run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")
_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class TreeSample:
    """One process and its descendants at one moment."""

    name: str
    processes: int
    cpu_seconds: float  # user + system, summed over the live tree
    rss_bytes: int  # summed VmRSS
    root_cpu_seconds: float = 0.0  # the root process alone (a worker without its parsers)


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat_fields(int(entry.name))
        if stat is not None:
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    return children


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name: state, ppid, ... (fields 3 onward)."""
    try:
        raw = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def _rss_bytes(pid: int) -> int:
    try:
        status = (_PROC / str(pid) / "status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def sample_tree(name: str, root_pid: int) -> TreeSample:
    """CPU and RSS of `root_pid` and every process below it (0s when it is gone)."""
    children = _children_by_parent()
    pids, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        pids.append(pid)
        pending.extend(children.get(pid, ()))
    cpu = 0.0
    root_cpu = 0.0
    rss = 0
    alive = 0
    for pid in pids:
        stat = _stat_fields(pid)
        if stat is None:
            continue
        alive += 1
        # utime and stime are fields 14 and 15 of stat, 11 and 12 after the name.
        spent = (int(stat[11]) + int(stat[12])) / _TICKS_PER_SECOND
        cpu += spent
        root_cpu += spent if pid == root_pid else 0.0
        rss += _rss_bytes(pid)
    return TreeSample(name, alive, cpu, rss, root_cpu)


def sample_all(roots: dict[str, int]) -> dict[str, TreeSample]:
    return {name: sample_tree(name, pid) for name, pid in roots.items()}


def describe_usage(start: dict[str, TreeSample], end: dict[str, TreeSample], documents: int) -> str:
    """One line per process tree: CPU ms per document over the run, RSS at start and end."""
    lines = []
    total = 0.0
    for name, last in end.items():
        first = start.get(name, last)
        per_doc = 1000 / max(documents, 1)
        spent_ms = (last.cpu_seconds - first.cpu_seconds) * per_doc
        root_ms = (last.root_cpu_seconds - first.root_cpu_seconds) * per_doc
        total += spent_ms
        split = f" (main {root_ms:.2f})" if last.processes > 1 else ""
        lines.append(
            f"  cpu/rss {name:<17} {spent_ms:6.2f} ms/doc{split}, RSS"
            f" {first.rss_bytes / 2**20:7.1f} MiB -> {last.rss_bytes / 2**20:7.1f} MiB"
            f" ({last.processes} processes)"
        )
    lines.append(f"  cpu all processes         {total:6.2f} ms/doc")
    return "\n".join(lines)
