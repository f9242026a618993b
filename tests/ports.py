"""The ports tests use, all relative to one base, so two test runs on one machine can coexist.

Set `DOCLANE_TEST_PORT_BASE` (default 29000) to move every port of a run at once.
Under pytest-xdist (`make test` runs two processes) each process moves its ports
5000 further (or back, near the top of the range), and starts its own broker.
"""

from __future__ import annotations

import os

_SPAN = 5000  # every port below lies within BASE .. BASE + _SPAN


def _base(configured: int, xdist_worker: str) -> int:
    """The run's base, moved by one span per xdist process (gw0 stays, gw1 moves one...)."""
    index = int(xdist_worker[2:]) if xdist_worker[2:].isdigit() else 0
    moved = configured + index * _SPAN
    return moved if moved + _SPAN <= 65535 else configured - index * _SPAN


BASE = _base(
    int(os.environ.get("DOCLANE_TEST_PORT_BASE", "29000")),
    os.environ.get("PYTEST_XDIST_WORKER", "gw0"),
)

BROKER = int(os.environ.get("DOCLANE_TEST_BROKER_PORT", str(BASE + 92)))  # the session's broker
CHAOS_BROKER = BASE + 392  # the chaos scenarios start and restart a broker of their own
CLUSTER_BROKER = BASE + 420  # a three-node broker: nodes on +0/+2/+4, controllers +1/+3/+5
CHAOS_WEB, CHAOS_SINK = BASE + 466, BASE + 465
SECURE_BROKER = BASE + 292  # the SASL_SSL broker of the secure-pipeline tests (+1 controller)
SECURE_WEB, SECURE_SINK = BASE + 566, BASE + 565  # and 563-567 for its command-line runs
E2E_WEB, E2E_SINK = BASE + 600, BASE + 599
E2E_API = BASE + 598
AGENTS_WEB = BASE + 700
WHEEL_BROKER = BASE + 800  # the installed wheel starts a broker of its own
WHEEL_WEB, WHEEL_SINK = BASE + 810, BASE + 809
WHEEL_API = BASE + 808
PROMETHEUS = BASE + 900  # the live Prometheus that scrapes a worker and the sink
_PER_TEST = BASE + 1000  # then 4 ports per test, 1000 slots


def per_test_api(slot: int) -> int:
    """The HTTP API's port of one test's pipeline (between its worker and sink ports)."""
    return _PER_TEST + (slot % 1000) * 4 + 2


def per_test(slot: int) -> tuple[int, int]:
    """(worker web port, sink port) of one test's pipeline."""
    first = _PER_TEST + (slot % 1000) * 4
    return first, first + 3
