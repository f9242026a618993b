"""`make bench-api`: uploads through the HTTP API, paced; upload rate and 202 latency.

N distinct 1 MB PDFs (a generated invoice padded by a trailing comment, so
each is claim-checked and none is deduplicated by the blob store) are sent to
`POST /v1/documents` at a fixed rate (open loop: a slow answer does not delay
the next upload) by an async client on the same machine. The API runs as its
own process, as `doclane run` starts it, on the local broker with fresh
topics. By default only the API runs (the ingest path alone: 202 means the
record is acknowledged by the broker and the blob stored); `--pipeline` also
runs a worker and the sink, which compete for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
import uuid
from dataclasses import asdict, dataclass, replace

from confluent_kafka import Consumer, TopicPartition

from doclane.exceptions import DoclaneError
from doclane.ops.bench.processes import sample_tree
from doclane.ops.broker import ensure_broker
from doclane.ops.supervisor import Child, Supervisor
from doclane.samples import iter_documents
from doclane.settings import Secret, Settings
from doclane.wire.clients import client_config
from doclane.wire.topics import TopicNames, create_topics

FILE_BYTES = 1024 * 1024
WARMUP_UPLOADS = 50
_KEEPALIVE_SECONDS = 3.0  # below uvicorn's 5 s: a connection is never reused as it closes


class BenchError(DoclaneError):
    """The API benchmark could not complete."""


@dataclass
class ApiBenchResult:
    uploads: int
    accepted: int
    failed: int
    failures: dict[str, int]  # why, by error or status
    offered_rate: float
    achieved_rate: float  # 202s per second over the whole run
    p50_ms: float
    p99_ms: float
    max_ms: float
    max_send_delay_ms: float  # how late the client started an upload against its schedule
    ingest_records: int
    server_ms_p50_p99: dict[str, tuple[float, float]]  # the API's own Server-Timing parts
    api_cpu_ms_per_upload: float  # the API process's CPU time over the run, per upload
    client_cpu_ms_per_upload: float  # this process (the load generator), per upload


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 1)))  # ceil(q * n), at least 1
    return ordered[min(rank, len(ordered)) - 1]


def unique_pdf(base: bytes, index: int, size: int = FILE_BYTES) -> bytes:
    """`base` padded to `size` bytes with a comment that makes this copy's digest its own."""
    tag = f"\n%doclane-bench {index} {uuid.uuid4().hex}\n%".encode()
    return base + tag + b"x" * (size - len(base) - len(tag) - 1) + b"\n"


class _Connections:
    """Keep-alive HTTP/1.1 connections over asyncio streams: a load generator light enough
    (well under a millisecond of CPU per 1 MB upload) not to starve the server it measures
    on a small machine, which a full client (~14 ms per upload with httpx) does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The most recently used idle connection, unless the server may have closed it."""
        while self._idle:
            reader, writer, since = self._idle.pop()
            if time.monotonic() - since < _KEEPALIVE_SECONDS:
                return reader, writer
            writer.close()
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def post(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str]]:
        """Sends one request; returns the response's status code and headers."""
        reader, writer = await self._connection()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
            f"{head}\r\n".encode()
        )
        writer.write(body)
        await writer.drain()
        status_line = await reader.readline()
        response: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            response[name.strip().lower()] = value.strip()
        await reader.readexactly(int(response.get("content-length", "0")))
        self._idle.append((reader, writer, time.monotonic()))
        return int(status_line.split()[1]), response

    def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()


async def _upload_all(
    port: int, key: str, base: bytes, uploads: int, rate: float
) -> tuple[list[float], int, float, float, dict[str, list[float]], dict[str, int]]:
    latencies: list[float] = []
    failures = 0
    max_delay = 0.0
    server_parts: dict[str, list[float]] = {}
    reasons: dict[str, int] = {}
    connections = _Connections(port)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/pdf"}

    async def one(index: int, scheduled: float) -> None:
        nonlocal failures, max_delay
        payload = unique_pdf(base, index)
        sent = time.perf_counter()
        max_delay = max(max_delay, sent - scheduled)
        try:
            status, response = await connections.post(
                f"/v1/documents?filename=bench-{index}.pdf", headers, payload
            )
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            failures += 1
            reasons[type(exc).__name__] = reasons.get(type(exc).__name__, 0) + 1
            return
        if status == 202:
            latencies.append((time.perf_counter() - sent) * 1000)
            for part in response.get("server-timing", "").split(","):
                name, _, duration = part.strip().partition(";dur=")
                if duration:
                    server_parts.setdefault(name, []).append(float(duration))
        else:
            failures += 1
            reasons[f"HTTP {status}"] = reasons.get(f"HTTP {status}", 0) + 1

    started = time.perf_counter()
    tasks = []
    for index in range(uploads):
        scheduled = started + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    connections.close()
    return latencies, failures, elapsed, max_delay * 1000, server_parts, reasons


def _count_records(settings: Settings, topic: str) -> int:
    consumer = Consumer(client_config(settings, **{"group.id": "bench-api"}))
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(
            high - low
            for low, high in (
                consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                for p in partitions
            )
        )
    finally:
        consumer.close()


def run(base: Settings, *, uploads: int, rate: float, pipeline: bool) -> ApiBenchResult:
    run_id = uuid.uuid4().hex[:8]
    key = secrets.token_urlsafe(24)
    settings = replace(
        base,
        kafka_bootstrap_servers=ensure_broker(base),
        topic_prefix=f"benchapi{run_id}.",
        app_id=f"doclane-benchapi-{run_id}",
        data_dir=base.data_dir / "bench" / f"api-{run_id}",
        api_keys=(Secret(key),),
        log_json=True,
    )
    create_topics(settings)
    (invoice,) = iter_documents(1, seed=5, kinds=["invoice"], single_page=True)
    supervisor = Supervisor(settings, api=True) if pipeline else None
    api = Child(
        "api",
        [sys.executable, "-m", "doclane.api"],
        settings.api_port,
        settings.data_dir / "logs" / "api.log",
    )
    try:
        if supervisor is not None:
            supervisor.start()
        else:
            api.start({**os.environ, **settings.to_env()})
            _wait_ready(api)
        server = supervisor.api_server if supervisor is not None else api
        if server is None or server.process is None:
            raise BenchError("the API process did not start")
        # A few uploads first, not measured: the producer's first metadata and
        # id requests and a fresh topic's leaders are start-up, not steady state.
        asyncio.run(_upload_all(settings.api_port, key, invoice.payload, WARMUP_UPLOADS, rate))
        api_cpu, client_cpu = sample_tree("api", server.process.pid), time.process_time()
        latencies, failures, elapsed, max_delay, server_parts, reasons = asyncio.run(
            _upload_all(settings.api_port, key, invoice.payload, uploads, rate)
        )
        api_cpu_s = sample_tree("api", server.process.pid).cpu_seconds - api_cpu.cpu_seconds
        client_cpu_s = time.process_time() - client_cpu
    finally:
        if supervisor is not None:
            supervisor.stop()
        else:
            api.signal(15)
            api.wait(30)
    if not latencies:
        raise BenchError(f"no upload was accepted; see {api.log_path}")
    return ApiBenchResult(
        uploads=uploads,
        accepted=len(latencies),
        failed=failures,
        failures=reasons,
        offered_rate=rate,
        achieved_rate=round(len(latencies) / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.5), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        max_ms=round(max(latencies), 1),
        max_send_delay_ms=round(max_delay, 1),
        ingest_records=_count_records(
            settings, TopicNames.from_prefix(settings.topic_prefix).ingest
        ),
        server_ms_p50_p99={
            part: (round(percentile(values, 0.5), 1), round(percentile(values, 0.99), 1))
            for part, values in server_parts.items()
        },
        api_cpu_ms_per_upload=round(api_cpu_s * 1000 / uploads, 2),
        client_cpu_ms_per_upload=round(client_cpu_s * 1000 / uploads, 2),
    )


def _wait_ready(child: Child, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not child.ready():
        if not child.alive or time.monotonic() > deadline:
            raise BenchError(f"the API did not start; see {child.log_path}")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="uploads per second (paced)")
    parser.add_argument("--pipeline", action="store_true", help="also run a worker and the sink")
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.uploads <= 0:
        parser.error("--rate and --uploads must be positive")
    print(
        f"bench-api: {args.uploads} uploads of 1 MB PDFs at {args.rate:g}/s through the API"
        f"{' with a worker and the sink' if args.pipeline else ' (API and broker only)'} ...",
        flush=True,
    )
    base = Settings.from_env()
    result = run(base, uploads=args.uploads, rate=args.rate, pipeline=args.pipeline)
    out = base.data_dir / "bench" / "api-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(result), indent=2))
    print(
        f"\n  uploads                   {result.uploads} x 1 MB (claim-checked), "
        f"{result.accepted} answered 202, {result.failed} failed"
        f"{f' {result.failures}' if result.failures else ''}\n"
        f"  offered / achieved        {result.offered_rate:g} / {result.achieved_rate:g} uploads/s\n"
        f"  202 latency               p50 {result.p50_ms} ms, p99 {result.p99_ms} ms, max {result.max_ms} ms\n"
        + "".join(
            f"  in the API: {part:<13} p50 {p50} ms, p99 {p99} ms\n"
            for part, (p50, p99) in result.server_ms_p50_p99.items()
        )
        + f"  client send delay         max {result.max_send_delay_ms} ms behind schedule\n"
        f"  ingest topic              {result.ingest_records} records "
        f"({WARMUP_UPLOADS} of them warm-up uploads, not measured)\n"
        f"  CPU per upload            API {result.api_cpu_ms_per_upload} ms, "
        f"load generator {result.client_cpu_ms_per_upload} ms "
        f"(on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})\n",
        flush=True,
    )


if __name__ == "__main__":
    main()
