"""What travels on Kafka: Avro schemas, the codec, record shapes, topic names, client config."""
