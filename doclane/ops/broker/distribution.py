"""The pinned Apache Kafka broker: resolve its jars from Maven Central and find a JVM.

Maven does the resolving (`kafka/pom.xml beside this module`), so the jar set is exactly what the
`kafka_2.13` artifact declares, checksummed by Maven and cached in `~/.m2`.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from doclane.exceptions import BrokerError

# Pinned: aiokafka (>= 0.12) and faust-streaming were verified against the 4.x
# protocol, and 4.1.1 is the newest 4.x bug-fix release at the time of pinning.
# Keep in step with <kafka.version> in kafka/pom.xml beside this module (passed explicitly below).
KAFKA_VERSION = "4.1.1"

OPS_DIR = Path(str(resources.files("doclane.ops.broker") / "kafka"))
_POM = OPS_DIR / "pom.xml"
_MARKER = "COMPLETE"
_MAIN_JAR = f"kafka_2.13-{KAFKA_VERSION}.jar"
_FETCH_TIMEOUT_S = 900


def distribution_dir(cache_dir: Path) -> Path:
    return cache_dir / "kafka" / KAFKA_VERSION


def is_fetched(cache_dir: Path) -> bool:
    home = distribution_dir(cache_dir)
    return (home / _MARKER).is_file() and (home / "lib" / _MAIN_JAR).is_file()


def fetch_distribution(cache_dir: Path) -> Path:
    """Return the broker's `lib` folder, resolving it with Maven on first use.

    Jars land in a temporary folder renamed into place, then a marker file is
    written, so an interrupted fetch is never mistaken for a complete one.
    """
    home = distribution_dir(cache_dir)
    lib = home / "lib"
    if is_fetched(cache_dir):
        return lib
    home.mkdir(parents=True, exist_ok=True)
    with file_lock(home / ".fetch.lock"):
        if is_fetched(cache_dir):  # another process finished while we waited
            return lib
        mvn = find_executable("mvn", "Maven (mvn) is required to fetch the Kafka broker jars")
        staging = Path(tempfile.mkdtemp(prefix="lib.partial-", dir=home))
        try:
            _run_maven(mvn, staging)
            if lib.exists():
                shutil.rmtree(lib)  # left by an interrupted fetch: no marker
            staging.rename(lib)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        (home / _MARKER).write_text(f"kafka {KAFKA_VERSION}\n")
    return lib


def _run_maven(mvn: str, output_dir: Path) -> None:
    argv = [
        mvn,
        "--batch-mode",
        "--quiet",
        "--file",
        str(_POM),
        f"-Dkafka.version={KAFKA_VERSION}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={output_dir}",
    ]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=_FETCH_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BrokerError(
            f"Maven did not fetch Kafka {KAFKA_VERSION} within {_FETCH_TIMEOUT_S} s"
        ) from exc
    if done.returncode != 0 or not (output_dir / _MAIN_JAR).is_file():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        raise BrokerError(
            f"Maven could not fetch Kafka {KAFKA_VERSION} (exit {done.returncode}); "
            f"is Maven Central reachable?\n{tail}"
        )


def find_java() -> str:
    """`$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` on PATH (Kafka 4 needs 17+)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return find_executable("java", "A Java 17+ runtime is required to run the Kafka broker")


def find_executable(name: str, why: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BrokerError(
            f"{why}, but `{name}` is not on PATH. Install it, or point "
            "KAFKA_BOOTSTRAP_SERVERS at a broker you already run."
        )
    return path


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Exclusive advisory lock, so concurrent doclane processes take turns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
