"""Tasks that misbehave inside a parse process: the pool must contain each of them.

Kept free of test-framework imports so a spawned parse process loads it fast.
"""

from __future__ import annotations

import ctypes
import os
import re
import time


def echo(value: object) -> object:
    return value


def sleep_then_echo(seconds: float, value: object) -> object:
    time.sleep(seconds)
    return value


def spin_in_python(seconds: float) -> int:
    """Burn CPU in bytecode, where SIGXCPU can interrupt."""
    end = time.process_time() + seconds
    count = 0
    while time.process_time() < end:
        count += 1
    return count


def spin_in_native_code() -> bool:
    """Catastrophic regex backtracking: CPU in C that never returns to the interpreter."""
    return re.match(r"(a+)+$", "a" * 64 + "!") is not None


def hog_python_memory(megabytes: int) -> int:
    """Allocate until the address-space limit says no (MemoryError)."""
    chunks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    return len(chunks)


def hog_native_memory(megabytes: int) -> int:
    """Allocate outside the interpreter, failing like a C++ library: abort()."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    pointer = libc.malloc(ctypes.c_size_t(megabytes * 1024 * 1024))
    if not pointer:
        os.abort()
    libc.memset(ctypes.c_void_p(pointer), 1, ctypes.c_size_t(megabytes * 1024 * 1024))
    return megabytes


def exit_abruptly(code: int) -> None:
    os._exit(code)


def segfault() -> None:
    ctypes.string_at(0)


def raise_value_error(message: str) -> None:
    raise ValueError(message)


def cpu_and_rss() -> tuple[float, int]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss
