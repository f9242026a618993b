"""Prometheus metrics per pipeline stage, shared by agents and the sink."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

RECORDS_IN = Counter("doclane_stage_records_in_total", "Records a stage consumed.", ["stage"])
RECORDS_OUT = Counter(
    "doclane_stage_records_out_total",
    "Records a stage produced, by destination topic.",
    ["stage", "topic"],
)
ERRORS = Counter(
    "doclane_stage_errors_total",
    "Records a stage sent to the dead-letter topic, by reason.",
    ["stage", "reason"],
)
RETRIES = Counter(
    "doclane_stage_retries_total",
    "Records a stage sent to its retry topic after a transient failure, by reason.",
    ["stage", "reason"],
)
PROCESSING_SECONDS = Histogram(
    "doclane_stage_processing_seconds",
    "Wall time a stage spent on one record.",
    ["stage"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
EVENT_LOOP_LAG = Gauge(
    "doclane_event_loop_lag_seconds",
    "How late the worker's event loop ran a 100 ms timer, last sample.",
)
EVENT_LOOP_LAG_MAX = Gauge(
    "doclane_event_loop_lag_max_seconds", "Largest event-loop lag seen since the process started."
)
SINK_ROWS = Counter(
    "doclane_sink_rows_total", "Rows inserted into ClickHouse, by table.", ["table"]
)
SINK_BATCHES = Counter("doclane_sink_batches_total", "Batches inserted into ClickHouse.")
SINK_PAUSED = Gauge(
    "doclane_sink_paused", "1 while the sink holds consumption because ClickHouse refuses inserts."
)
SINK_STALLED_SECONDS = Gauge(
    "doclane_sink_stalled_seconds",
    "How long the sink has been failing to insert its current batch; 0 while it writes.",
)
SINK_FAILURES = Counter(
    "doclane_sink_failures_total", "Insert attempts that failed and will be retried."
)
SINK_BATCH_SECONDS = Histogram(
    "doclane_sink_batch_seconds",
    "Time to decode and insert one batch.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PARSE_PROCESSES_REPLACED = Counter(
    "doclane_parse_processes_replaced_total",
    "Parse-pool processes retired (died, hit a limit, or grew too large) and started anew.",
)
SINK_BATCH_RECORDS = Histogram(
    "doclane_sink_batch_records",
    "Kafka records in one batch the sink inserted (DOCLANE_SINK_BATCH_SIZE caps it).",
    buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000),
)
SUBMIT_TO_STORED_SECONDS = Histogram(
    "doclane_submit_to_stored_seconds",
    "From a document's submission to its row inserted into ClickHouse, per documents row.",
    buckets=(0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
BLOB_SWEEPS = Counter(
    "doclane_blob_sweeps_total",
    "Blob retention sweeps run, by outcome (done, failed).",
    ["outcome"],
)
BLOBS_SWEPT = Counter(
    "doclane_blobs_swept_total", "Claim-check blobs removed by the retention sweep."
)
