"""The server.properties each node of doclane's own broker gets (rendered, no JVM started)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from doclane.ops.broker.local import LocalBroker, LocalCluster, own_broker
from doclane.settings import Settings


def _properties(broker: LocalBroker) -> dict[str, str]:
    broker.home.mkdir(parents=True, exist_ok=True)
    broker.write_config()
    pairs = (
        line.partition("=")
        for line in broker.config_path.read_text().splitlines()
        if line and not line.startswith("#")
    )
    return {key: value for key, _, value in pairs}


def test_three_nodes_form_one_quorum_with_three_replicas_and_min_isr_two(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({}), data_dir=tmp_path, broker_nodes=3)
    cluster = own_broker(settings)
    assert isinstance(cluster, LocalCluster)
    rendered = [_properties(node) for node in cluster.nodes]
    voters = "1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097"
    assert [props["node.id"] for props in rendered] == ["1", "2", "3"]
    assert {props["controller.quorum.voters"] for props in rendered} == {voters}
    assert [props["listeners"] for props in rendered] == [
        f"PLAINTEXT://127.0.0.1:{broker},CONTROLLER://127.0.0.1:{controller}"
        for broker, controller in settings.broker_node_ports()
    ]
    for props in rendered:
        assert props["process.roles"] == "broker,controller"
        assert props["default.replication.factor"] == "3"
        assert props["offsets.topic.replication.factor"] == "3"
        assert props["transaction.state.log.replication.factor"] == "3"
        assert props["transaction.state.log.min.isr"] == "2"
        assert props["min.insync.replicas"] == "2"
    assert len({node.log_dir for node in cluster.nodes}) == 3
    assert cluster.bootstrap == settings.bootstrap_servers


def test_one_node_keeps_its_single_replica_configuration(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({}), data_dir=tmp_path)
    broker = own_broker(settings)
    assert isinstance(broker, LocalBroker)
    props = _properties(broker)
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["min.insync.replicas"] == "1"
    assert broker.home == tmp_path / "kafka"
