"""doclane: document intelligence on Apache Kafka."""

__version__ = "0.1.0"
