"""`python -m doclane.ops.broker {up,down,status,fetch}`: manage the local broker by hand.

Exit codes: 0 done (for `status`: running), 1 broker error, 2 bad configuration,
3 `status` found no running broker.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from doclane.exceptions import BrokerError, ConfigurationError
from doclane.ops.broker.local import LocalBroker, ensure_broker, own_broker
from doclane.settings import Settings

EXIT_OK = 0
EXIT_BROKER_ERROR = 1
EXIT_BAD_CONFIGURATION = 2
EXIT_NOT_RUNNING = 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if getattr(args, "nodes", None) is not None:
            settings = replace(settings, broker_nodes=args.nodes)
            settings.check_broker_nodes()
        return args.command(settings, args)
    except ConfigurationError as exc:
        print(f"doclane.ops.broker: {exc}", file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    except BrokerError as exc:
        print(f"doclane.ops.broker: {exc}", file=sys.stderr)
        return EXIT_BROKER_ERROR


def _up(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.starts_own_broker:
        print(f"using the broker at KAFKA_BOOTSTRAP_SERVERS={ensure_broker(settings)}")
        return EXIT_OK
    bootstrap = own_broker(settings).start(timeout=args.timeout)
    nodes = settings.broker_nodes
    print(
        f"Kafka broker ready at {bootstrap}"
        + (
            f" ({nodes} nodes; topics get {settings.topic_replication_factor} replicas, "
            f"min.insync.replicas {settings.topic_min_insync_replicas})"
            if nodes > 1
            else ""
        )
    )
    return EXIT_OK


def _down(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.starts_own_broker:
        print("KAFKA_BOOTSTRAP_SERVERS is set: doclane runs no broker of its own")
        return EXIT_OK
    stopped = own_broker(settings).stop(timeout=args.timeout)
    print("Kafka broker stopped" if stopped else "no Kafka broker was running")
    return EXIT_OK


def _status(settings: Settings, _args: argparse.Namespace) -> int:
    if not settings.starts_own_broker:
        ensure_broker(settings)  # raises when it does not answer
        print(f"external broker at {settings.kafka_bootstrap_servers} answers")
        return EXIT_OK
    status = own_broker(settings).status()
    for key, value in status.items():
        print(f"{key:<11} {'-' if value is None else value}")
    return EXIT_OK if status["running"] else EXIT_NOT_RUNNING


def _fetch(settings: Settings, _args: argparse.Namespace) -> int:
    print(f"Kafka broker jars in {LocalBroker(settings).fetch()}")
    return EXIT_OK


def _nodes_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nodes",
        type=int,
        choices=[1, 3],
        help="1 node, or 3 (a three-voter KRaft quorum, topics at 3 replicas, min ISR 2); "
        "default DOCLANE_BROKER_NODES",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m doclane.ops.broker", description="Manage doclane's local Kafka broker."
    )
    commands = parser.add_subparsers(required=True, metavar="{up,down,status,fetch}")
    up = commands.add_parser("up", help="fetch, format and start the broker; wait until ready")
    up.add_argument("--timeout", type=float, default=90.0, help="seconds to wait (default 90)")
    _nodes_argument(up)
    up.set_defaults(command=_up)
    down = commands.add_parser("down", help="stop the broker cleanly")
    down.add_argument("--timeout", type=float, default=30.0, help="seconds before SIGKILL")
    _nodes_argument(down)
    down.set_defaults(command=_down)
    status = commands.add_parser("status", help="show whether it runs (exit 3 if not)")
    _nodes_argument(status)
    status.set_defaults(command=_status)
    commands.add_parser("fetch", help="download the pinned broker jars only").set_defaults(
        command=_fetch
    )
    return parser
