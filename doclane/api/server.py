"""`doclane api` / `python -m doclane.api`: serve the API with uvicorn."""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from doclane.api.app import create_app
from doclane.api.auth import load_api_keys
from doclane.exceptions import BrokerError
from doclane.logs import configure_logging, logging_config
from doclane.settings import Settings
from doclane.wire.security import check_kafka_access

log = logging.getLogger("doclane.api")


def serve(settings: Settings, *, announce: bool = True) -> None:
    # Uploads go to Kafka: a wrong password or CA stops the API here, with its own error,
    # rather than serving uploads that would each wait on a broker refusing the login.
    check_kafka_access(settings)
    keys, generated = load_api_keys(settings)
    if announce:
        _announce(settings, generated, keys.path)
    if generated and keys.path is not None:
        # Printed once, when made; afterwards it is read from the file.
        print(f"doclane api: generated API key {keys.keys[0].reveal()}", flush=True)
    app = create_app(settings, keys)
    config = uvicorn.Config(
        app,
        host=settings.api_host,
        port=settings.api_port,
        log_config=logging_config(settings.log_level, json_lines=settings.log_json),
        timeout_graceful_shutdown=5,  # open event streams end; uploads in flight finish
        timeout_keep_alive=5,  # an idle kept-alive connection is closed after this
        limit_concurrency=1000,  # beyond, 503 at once rather than exhausting descriptors
        h11_max_incomplete_event_size=64 * 1024,  # header block limit of the h11 fallback
        access_log=True,
    )
    uvicorn.Server(config).run()


def _announce(settings: Settings, generated: bool, path: object) -> None:
    where = f"http://{settings.api_host}:{settings.api_port}"
    if settings.api_keys:
        source = "keys from DOCLANE_API_KEYS"
    else:
        source = f"key in {path}" if not generated else f"new key stored in {path}"
    print(f"doclane api: serving {where} (docs {where}/docs; {source})", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the doclane HTTP API.")
    parser.parse_args(argv)
    settings = Settings.from_env()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    try:
        serve(settings)
    except BrokerError as exc:
        print(f"doclane api: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    sys.exit(main())
