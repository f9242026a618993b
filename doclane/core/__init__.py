"""Document understanding: bytes -> text -> type -> fields -> checks -> enrichments.

Plain Python over plain data. Nothing in this package imports Kafka, Faust or
ClickHouse, so the same functions serve agents, tests, benchmarks and `eval`.
"""
