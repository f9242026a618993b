"""`make chaos`: submit thousands of documents, break things while they flow, count what landed.

Each scenario runs on a broker of its own (started here, on its own ports and
data directory, so it can be stopped and restarted), with fresh topics, groups
and embedded ClickHouse, and the same supervisor `doclane run` uses:

- ``worker-kill``: kill -9 a random worker at random moments (default 3 times),
  restart it as the supervisor would;
- ``broker-restart``: stop the broker mid-run, start it again;
- ``sink-kill``: kill -9 the ClickHouse sink in the middle of its batches,
  restart it;
- ``broker-node-kill``: three broker nodes (a three-voter KRaft quorum, topics at 3
  replicas, min.insync.replicas 2); kill -9 one node mid-run, start it again
  after NODE_DOWN_SECONDS;
- ``scale``: 12 partitions; one worker at first, a second and a third join
  while documents flow, then the first leaves (SIGTERM); each change's
  rebalance time is reported (until every live worker holds its new share of
  the 48 stage partitions).

Afterwards it reads `results` from the start with isolation level
read_committed and counts every submitted document there and in ClickHouse,
and reports the time each fault took to recover from (until documents reach
ClickHouse again). Exit status 1 when a document is missing or doubled.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from doclane.connectors.ingest import Submitter
from doclane.exceptions import DoclaneError
from doclane.ops.analytics import SinkQueryRunner
from doclane.ops.broker import LocalBroker, LocalCluster, process
from doclane.ops.reference import seed_reference_data
from doclane.ops.supervisor import Child, Supervisor
from doclane.samples import iter_documents
from doclane.settings import Settings
from doclane.wire.clients import client_config, watermarks
from doclane.wire.topics import TopicNames, create_topics

SCENARIOS = ("worker-kill", "broker-restart", "sink-kill", "broker-node-kill", "scale")
# `make chaos` without SCENARIO=: the one-node fault scenarios (broker-node-kill, with its
# three broker JVMs, and scale are asked for by name).
DEFAULT_SCENARIOS = ("worker-kill", "broker-restart", "sink-kill")
SCALE_WORKERS = 3
SCALE_PARTITIONS = 12
STAGE_TOPICS = 4  # ingest, classified, extracted, validated: what the stages consume
CLUSTER_NODES = 3  # broker-node-kill
NODE_DOWN_SECONDS = 10.0  # broker-node-kill: how long the killed node stays down
NODE_START_SECONDS = 180.0  # broker-node-kill: how long the node may take to answer again


class ChaosError(DoclaneError):
    reason_code = "chaos_failed"


@dataclass
class FaultRecord:
    kind: str
    at_seconds: float  # since the first submission
    landed_before: int  # documents in ClickHouse when the fault hit
    recovered_after_seconds: float | None = None  # until ClickHouse grew again
    rebalance_seconds: float | None = None  # scale: until the partitions were shared anew


@dataclass
class ScenarioResult:
    scenario: str
    documents: int
    wall_seconds: float
    faults: list[FaultRecord] = field(default_factory=list)
    results_records: int = 0  # read_committed, every record on the results topic
    results_distinct: int = 0
    results_missing: int = 0
    results_doubled: int = 0
    dead_letters: int = 0
    clickhouse_rows_raw: int = 0  # documents table without FINAL (before merges)
    clickhouse_final: int = 0  # SELECT count() FROM documents FINAL
    clickhouse_distinct: int = 0  # uniqExact(document_id)
    clickhouse_latest_view: int = 0  # SELECT count() FROM documents_latest
    worker_restarts: int = 0
    sink_restarts: int = 0

    @property
    def exact(self) -> bool:
        return (
            self.results_missing == 0
            and self.results_doubled == 0
            and self.clickhouse_final == self.documents
            and self.clickhouse_distinct == self.documents
        )


class _Run:
    """One scenario: a supervisor, a submitter, and the faults it injects."""

    def __init__(
        self, settings: Settings, broker: LocalBroker | LocalCluster, rng: random.Random
    ) -> None:
        self.settings = settings
        self.broker = broker
        self.rng = rng
        self.supervisor = Supervisor(settings)
        self.queries = SinkQueryRunner.for_settings(settings)
        self.started = time.monotonic()
        self.faults: list[FaultRecord] = []
        self.last_landed = 0

    def landed(self) -> int:
        """Documents in ClickHouse now (the last known count while the sink is down)."""
        try:
            count = self.queries.query("SELECT uniqExact(document_id) FROM documents").rows[0][0]
        except (DoclaneError, OSError):
            return self.last_landed
        self.last_landed = int(count)
        return self.last_landed

    def supervise(self) -> None:
        self.supervisor.restart_dead()

    def fault(self, kind: str, action: Callable[[], None]) -> None:
        record = FaultRecord(kind, round(time.monotonic() - self.started, 2), self.landed())
        print(f"  fault at {record.at_seconds:6.1f} s: {kind} ({record.landed_before} landed)")
        action()
        self.faults.append(record)

    def note_recoveries(self) -> None:
        landed = self.landed()
        for record in self.faults:
            if record.recovered_after_seconds is None and landed > record.landed_before:
                elapsed = time.monotonic() - self.started - record.at_seconds
                record.recovered_after_seconds = round(elapsed, 2)


def run_scenario(
    base: Settings,
    scenario: str,
    documents: int,
    *,
    kills: int = 3,
    seed: int = 5,
    timeout: float = 1800.0,
) -> ScenarioResult:
    """Run one scenario end to end on a broker of its own; the broker is stopped after."""
    run_id = uuid.uuid4().hex[:8]
    settings = replace(
        base,
        topic_prefix=f"chaos{run_id}.",
        app_id=f"doclane-chaos-{run_id}",
        data_dir=base.data_dir / "chaos" / run_id,
    )
    if scenario == "scale":
        settings = replace(settings, workers=SCALE_WORKERS, partitions=SCALE_PARTITIONS)
    broker_settings = replace(settings, data_dir=base.data_dir / "chaos" / "broker")
    broker: LocalBroker | LocalCluster
    if scenario == "broker-node-kill":
        # Three replicas, two of which must hold a write: one node may be down.
        settings = replace(settings, broker_nodes=CLUSTER_NODES, replication_factor=CLUSTER_NODES)
        broker = LocalCluster(replace(broker_settings, broker_nodes=CLUSTER_NODES))
    else:
        broker = LocalBroker(broker_settings)
    settings = replace(settings, kafka_bootstrap_servers=broker.start(timeout=180.0))
    try:
        return _run(settings, broker, scenario, documents, kills, random.Random(seed), timeout)  # noqa: S311 - reproducible fault timing, not security
    finally:
        broker.stop()


def _run(  # noqa: PLR0917 - private, called once
    settings: Settings,
    broker: LocalBroker | LocalCluster,
    scenario: str,
    documents: int,
    kills: int,
    rng: random.Random,
    timeout: float,
) -> ScenarioResult:
    create_topics(settings)
    seed_reference_data(settings)
    run = _Run(settings, broker, rng)
    supervisor = run.supervisor
    supervisor.start(
        children=[supervisor.sink, supervisor.workers[0]] if scenario == "scale" else None
    )
    submitted: list[str] = []
    try:
        print(f"{scenario}: submitting {documents} generated documents ...", flush=True)
        submitter = Submitter(settings, source="chaos")
        run.started = time.monotonic()
        # broker-node-kill: the node dies while the submitter still writes (a sink batch
        # can land hundreds of documents at once, so "x% landed" is too coarse a moment).
        kill_at = int(documents * rng.uniform(0.3, 0.6)) if scenario == "broker-node-kill" else -1
        victim = None
        generated = iter_documents(documents, seed=rng.randrange(1 << 30), single_page=True)
        for index, document in enumerate(generated):
            if index == kill_at:
                victim = _kill_broker_node(run)
            submission = submitter.submit_bytes(
                document.payload, filename=document.filename, content_type=document.content_type
            )
            submitted.append(submission.document_id)
        submitter.flush()
        if victim is not None:
            _restart_broker_node(run, victim)
        else:
            _inject_faults(run, scenario, documents, kills)
        deadline = time.monotonic() + timeout
        while run.landed() < documents:
            if time.monotonic() > deadline:
                break
            run.supervise()
            run.note_recoveries()
            time.sleep(0.5)
        run.note_recoveries()
        wall = time.monotonic() - run.started
    finally:
        restarts = {child.name: child.restarts for child in run.supervisor.children}
        run.supervisor.stop()
    result = ScenarioResult(scenario, documents, round(wall, 1), run.faults)
    result.worker_restarts = sum(n for name, n in restarts.items() if name != "sink")
    result.sink_restarts = restarts.get("sink", 0)
    _count_results(settings, submitted, result)
    _count_clickhouse(settings, result)
    return result


def _inject_faults(run: _Run, scenario: str, documents: int, kills: int) -> None:
    """Faults at random moments while between 10% and 80% of the documents have landed."""
    if scenario == "scale":
        _scale(run, documents)
        return
    moments = sorted(
        run.rng.uniform(0.1, 0.8) for _ in range(kills if scenario == "worker-kill" else 1)
    )
    for share in moments:
        if not _wait_until_landed(run, share, documents, f"fault {len(run.faults) + 1}"):
            return
        if scenario == "worker-kill":
            victim = run.rng.choice(run.supervisor.workers)
            run.fault(f"kill -9 {victim.name}", lambda v=victim: v.signal(signal.SIGKILL))
            time.sleep(run.rng.uniform(0.5, 3.0))
            run.supervise()
        elif scenario == "sink-kill":
            run.fault("kill -9 sink", lambda: run.supervisor.sink.signal(signal.SIGKILL))
            time.sleep(2.0)
            run.supervise()
        elif scenario == "broker-restart":
            run.fault("broker stop + start", lambda: _restart_broker(run.broker))


def _wait_until_landed(run: _Run, share: float, documents: int, next_fault: str) -> bool:
    """Supervise until `share` of the documents have landed; False when all of them have,
    since a fault after the last document landed tests nothing (and never recovers)."""
    while run.landed() < share * documents:
        run.supervise()
        run.note_recoveries()
        time.sleep(0.2)
    if run.landed() >= documents:
        print(f"  every document landed before {next_fault}: no more faults")
        return False
    return True


def _scale(run: _Run, documents: int) -> None:
    """Two workers join (at 15% and 35% landed), then the first leaves (at 60%)."""
    workers = run.supervisor.workers
    steps: list[tuple[float, str, Callable[[], None]]] = [
        (0.15, f"{workers[1].name} joins", lambda: run.supervisor.start(children=[workers[1]])),
        (0.35, f"{workers[2].name} joins", lambda: run.supervisor.start(children=[workers[2]])),
        (0.60, f"{workers[0].name} leaves (SIGTERM)", lambda: _leave(workers[0])),
    ]
    for share, kind, action in steps:
        if not _wait_until_landed(run, share, documents, f"'{kind}'"):
            return
        started = time.monotonic()
        before = _assignments(run)
        run.fault(kind, action)
        rebalance = _wait_for_new_assignment(run, before, started)
        run.faults[-1].rebalance_seconds = rebalance
        print(
            f"    rebalanced in {rebalance:.1f} s"
            if rebalance is not None
            else "    no rebalance seen"
        )


def _leave(worker: Child) -> None:
    """Stop a worker for good: it leaves the group, and the supervisor must not restart it."""
    worker.signal(signal.SIGTERM)
    worker.wait(30.0)
    worker.process = None


def _assignments(run: _Run) -> dict[str, tuple[int, int]]:
    """(assignments so far, stage partitions held) of each live worker."""
    seen = {}
    for worker in run.supervisor.workers:
        if not worker.alive:
            continue
        health = worker.health()
        if health is not None:
            seen[worker.name] = (int(health["assignments"]), int(health["stage_partitions"]))
    return seen


def _wait_for_new_assignment(
    run: _Run, before: dict[str, tuple[int, int]], started: float, timeout: float = 120.0
) -> float | None:
    """Seconds until every live worker has a new assignment and together they hold every
    stage partition once; None if that did not happen within `timeout`."""
    wanted = STAGE_TOPICS * run.settings.partitions
    while time.monotonic() - started < timeout:
        now = _assignments(run)
        renewed = all(now[name][0] > before.get(name, (0, 0))[0] for name in now)
        if now and renewed and sum(held for _, held in now.values()) == wanted:
            return round(time.monotonic() - started, 2)
        run.supervise()
        time.sleep(0.1)
    return None


def _kill_broker_node(run: _Run) -> LocalBroker:
    """kill -9 one node of the cluster; the node killed."""
    if not isinstance(run.broker, LocalCluster):
        raise ChaosError("broker-node-kill needs a broker of several nodes")
    victim = run.rng.choice(run.broker.nodes)
    run.fault(f"kill -9 broker node {victim.node + 1}", victim.kill)
    return victim


def _restart_broker_node(run: _Run, victim: LocalBroker) -> None:
    """Keep supervising until the node has been down NODE_DOWN_SECONDS, then start it again."""
    down_until = run.started + run.faults[-1].at_seconds + NODE_DOWN_SECONDS
    while time.monotonic() < down_until:
        run.supervise()
        run.note_recoveries()
        time.sleep(0.5)
    started = time.monotonic()
    pid, _ = victim.launch()
    # Keep the pipeline supervised (and recoveries noted) while the node recovers its log.
    while not victim.is_running():
        if not process.is_alive(pid) or time.monotonic() - started > NODE_START_SECONDS:
            victim.wait_ready(pid, 0.0, started_here=True)  # raises with the node's log tail
        run.supervise()
        run.note_recoveries()
        time.sleep(0.5)
    print(
        f"  broker node {victim.node + 1} back after {time.monotonic() - started:.1f} s "
        f"of start-up ({run.landed()} landed)"
    )


def _restart_broker(broker: LocalBroker | LocalCluster) -> None:
    broker.stop()
    time.sleep(5.0)
    broker.start()


def _count_results(settings: Settings, submitted: list[str], result: ScenarioResult) -> None:
    """Read `results` and the DLQ from the start, read_committed, up to their current ends."""
    from confluent_kafka import Consumer, TopicPartition

    names = TopicNames.from_prefix(settings.topic_prefix)
    consumer = Consumer(
        client_config(
            settings,
            **{
                "group.id": f"chaos-count-{uuid.uuid4().hex[:6]}",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            },
        )
    )
    counts: Counter[str] = Counter()
    try:
        for topic in (names.results, names.dlq):
            partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
            ends = {}
            for p in partitions:
                ends[p] = watermarks(consumer, TopicPartition(topic, p))[1]
            consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
            remaining = {p for p, end in ends.items() if end > 0}
            deadline = time.monotonic() + 300
            while remaining and time.monotonic() < deadline:
                for message in consumer.consume(1000, timeout=1.0):
                    if message.error() is not None:
                        continue
                    if topic == names.results:
                        counts[(message.key() or b"").decode()] += 1
                    else:
                        result.dead_letters += 1
                    if message.offset() + 1 >= ends[message.partition()]:
                        remaining.discard(message.partition())
                # Transaction markers occupy offsets no consumer sees: stop at the end.
                for p in list(remaining):
                    position = consumer.position([TopicPartition(topic, p)])[0].offset
                    if position >= ends[p]:
                        remaining.discard(p)
            consumer.unassign()
    finally:
        consumer.close()
    result.results_records = sum(counts.values())
    result.results_distinct = len(counts)
    result.results_missing = sum(1 for document_id in submitted if counts[document_id] == 0)
    result.results_doubled = sum(1 for n in counts.values() if n > 1)


def _count_clickhouse(settings: Settings, result: ScenarioResult) -> None:
    """Open the scenario's embedded ClickHouse (the sink has stopped) and count."""
    from doclane.connectors.clickhouse.store import ClickHouseStore

    store = ClickHouseStore(settings.clickhouse_dsn)
    try:
        row = store.query(
            "SELECT (SELECT count() FROM documents), (SELECT count() FROM documents FINAL), "
            "(SELECT uniqExact(document_id) FROM documents), "
            "(SELECT count() FROM documents_latest)"
        ).rows[0]
    finally:
        store.close()
    (
        result.clickhouse_rows_raw,
        result.clickhouse_final,
        result.clickhouse_distinct,
        result.clickhouse_latest_view,
    ) = (int(value) for value in row)


def _print(result: ScenarioResult) -> None:
    print(
        f"\n  scenario                  {result.scenario} ({result.documents} documents, "
        f"{result.wall_seconds:.0f} s)\n"
        f"  results topic             {result.results_records} records, "
        f"{result.results_distinct} distinct, {result.results_missing} missing, "
        f"{result.results_doubled} doubled (read_committed)\n"
        f"  dead letters              {result.dead_letters}\n"
        f"  ClickHouse documents      FINAL {result.clickhouse_final}, distinct "
        f"{result.clickhouse_distinct}, documents_latest {result.clickhouse_latest_view}, "
        f"raw rows before merges {result.clickhouse_rows_raw}\n"
        f"  restarts                  workers {result.worker_restarts}, sink {result.sink_restarts}"
    )
    for fault in result.faults:
        recovered = (
            "never"
            if fault.recovered_after_seconds is None
            else f"{fault.recovered_after_seconds:.1f} s"
        )
        rebalance = (
            f", rebalance {fault.rebalance_seconds:.1f} s"
            if fault.rebalance_seconds is not None
            else ""
        )
        print(
            f"  fault at {fault.at_seconds:7.1f} s    {fault.kind}: recovered after {recovered}{rebalance}"
        )
    print(f"  verdict                   {'EXACT' if result.exact else 'NOT EXACT'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m doclane.ops.chaos", description=__doc__)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--kills", type=int, default=3, help="worker kills in worker-kill")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds a scenario may take before counting"
    )
    args = parser.parse_args(argv)
    base = replace(
        Settings.from_env(),
        workers=args.workers,
        broker_port=39092,
        controller_port=39093,
        web_port=36066,
        sink_port=36065,
        kafka_bootstrap_servers=None,
    )
    results = []
    for scenario in args.scenario or DEFAULT_SCENARIOS:
        result = run_scenario(
            base, scenario, args.documents, kills=args.kills, seed=args.seed, timeout=args.timeout
        )
        _print(result)
        results.append(result)
    out = base.data_dir / "chaos" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps([{**asdict(r), "exact": r.exact} for r in results], indent=2), encoding="utf-8"
    )
    print(f"\n  written to {out}")
    return 0 if all(r.exact for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
