"""Entry point of one Faust worker process: ``python -m doclane.streaming.worker --index N``."""

from __future__ import annotations

import argparse
import sys

import faust

from doclane.exceptions import BrokerError
from doclane.logs import logging_config
from doclane.settings import Settings
from doclane.streaming.app import Topology
from doclane.wire.security import check_kafka_access


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one doclane Faust worker.")
    parser.add_argument("--index", type=int, default=0, help="worker number; offsets its web port")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:  # aiokafka retries a refused login quietly: fail at start with the reason instead
        check_kafka_access(settings)
    except BrokerError as exc:
        print(f"doclane worker: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    topology = Topology(settings, worker_index=args.index)
    worker = faust.Worker(
        topology.app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level, json_lines=settings.log_json),
    )
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
