"""Start, find and stop the broker's JVM as a detached process."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

_PROC = Path("/proc")


def spawn_detached(argv: list[str], log_path: Path) -> int:
    """Start `argv` in its own session, stdin closed, stdout+stderr appended to `log_path`.

    Its own session keeps it out of the caller's process group, so Ctrl-C in the
    caller's terminal does not reach it. `posix_spawn` rather than `subprocess.Popen`,
    because the broker outlives the `Popen` object, whose destructor would warn.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    file_actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    return os.posix_spawn(argv[0], argv, dict(os.environ), file_actions=file_actions, setsid=True)


def is_alive(pid: int) -> bool:
    """True while `pid` runs; reaps it first if it is our exited child."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass  # not our child: ask the kernel instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _state(pid) != "Z"


def command_line(pid: int) -> str | None:
    """The process's argv joined by spaces, or None where /proc cannot tell."""
    try:
        raw = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace")


def find_by_command_line(*needles: str) -> int | None:
    """Pid of a live process whose command line contains every needle (Linux /proc only)."""
    if not _PROC.is_dir():
        return None
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        cmdline = command_line(int(entry.name))
        if cmdline and all(needle in cmdline for needle in needles):
            pid = int(entry.name)
            if is_alive(pid):
                return pid
    return None


def terminate(pid: int, timeout: float) -> None:
    """SIGTERM, wait up to `timeout`, then SIGKILL; returns once the process is gone."""
    _signal(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout):
        return
    _signal(pid, signal.SIGKILL)
    _wait_gone(pid, 10.0)


def kill_now(pid: int) -> None:
    """SIGKILL, as a crash would end it; returns once the process is gone."""
    _signal(pid, signal.SIGKILL)
    _wait_gone(pid, 10.0)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while is_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


def _state(pid: int) -> str | None:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) S ...": comm may contain spaces and parentheses, so split after the last ')'.
    return stat.rpartition(")")[2].split()[0]
