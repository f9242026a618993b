"""The Kubernetes manifests, checked without a cluster (none exists here).

Built-in kinds validate against the Kubernetes JSON schemas kubernetes-validate bundles,
KEDA's kinds against KEDA's CRD schemas (vendored in ops/schemas); both strictly, so an
unknown or misspelt field fails as `kubectl apply --validate=strict` would fail it. Then
the manifests are checked against the code: settings, ports, probe paths, roles, topics.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from doclane.cli import _parser
from doclane.settings import Settings
from doclane.wire.topics import TopicNames

ROOT = Path(__file__).resolve().parents[3]
MANIFESTS = ROOT / "ops" / "kubernetes"
SCHEMAS = ROOT / "ops" / "schemas"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
KUBERNETES_VERSION = "1.33"
KEDA_CRDS = ("keda.sh_scaledobjects.yaml", "keda.sh_triggerauthentications.yaml")
# Read by boto3 for the S3 blob store (doclane/streaming/blobs/s3.py), not by Settings.
BOTO3_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
# Each role's port (Settings' defaults) and the source serving its health endpoints.
ROLES = {
    "worker": (Settings().web_port, "streaming/app.py"),
    "sink": (Settings().sink_port, "connectors/clickhouse/server.py"),
    "api": (Settings().api_port, "api/app.py"),
}
KEDA_SASL = {"SCRAM-SHA-512": "scram_sha512", "SCRAM-SHA-256": "scram_sha256", "PLAIN": "plaintext"}


def _load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _kustomization() -> dict[str, Any]:
    return yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())


def _resources() -> list[dict[str, Any]]:
    return [doc for name in _kustomization()["resources"] for doc in _load(MANIFESTS / name)]


def _one(kind: str, name: str) -> dict[str, Any]:
    (found,) = [r for r in _resources() if r["kind"] == kind and r["metadata"]["name"] == name]
    return found


def _deployments() -> dict[str, dict[str, Any]]:
    return {
        r["spec"]["template"]["spec"]["containers"][0]["args"][0]: r
        for r in _resources()
        if r["kind"] == "Deployment"
    }


def _pod_specs() -> list[dict[str, Any]]:
    return [
        r["spec"]["template"]["spec"] for r in _resources() if r["kind"] in ("Deployment", "Job")
    ]


def _settings_env() -> dict[str, str]:
    env = dict(_one("ConfigMap", "doclane-settings")["data"])
    env.update(_one("Secret", "doclane-secrets")["stringData"])
    return env


def _strict(schema: Any) -> Any:
    """The schema with unknown fields refused wherever it lists the known ones, as the API
    server's strict field validation does (it prunes them silently otherwise)."""
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@cache
def _crd_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> the strict openAPIV3Schema of each vendored KEDA CRD version."""
    schemas = {}
    for name in KEDA_CRDS:
        (crd,) = _load(SCHEMAS / name)
        for version in crd["spec"]["versions"]:
            api_version = f"{crd['spec']['group']}/{version['name']}"
            schemas[api_version, crd["spec"]["names"]["kind"]] = _strict(
                version["schema"]["openAPIV3Schema"]
            )
    return schemas


def _validate(resource: dict[str, Any]) -> None:
    crd = _crd_schemas().get((resource["apiVersion"], resource["kind"]))
    if crd is not None:
        jsonschema.Draft7Validator(crd).validate(resource)
    else:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def _subcommands() -> set[str]:
    (sub,) = [a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction"]
    return set(sub.choices)


def test_kustomization_lists_every_manifest_in_the_folder() -> None:
    listed = _kustomization()["resources"]
    on_disk = sorted(p.name for p in MANIFESTS.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == on_disk
    assert len(listed) == len(set(listed))
    assert _kustomization()["namespace"] == _one("Namespace", "doclane")["metadata"]["name"]


@pytest.mark.parametrize(
    "resource",
    _resources(),
    ids=lambda r: f"{r['kind']}/{r['metadata']['name']}",
)
def test_every_manifest_is_valid_against_its_schema(resource: dict[str, Any]) -> None:
    _validate(resource)


def test_every_kind_has_a_schema_so_none_is_skipped() -> None:
    for resource in _resources():
        if (resource["apiVersion"], resource["kind"]) in _crd_schemas():
            continue
        kubernetes_validate.validate(resource, KUBERNETES_VERSION)  # raises SchemaNotFoundError


@pytest.mark.parametrize(
    ("kind", "name", "path", "misspelt"),
    [
        ("ScaledObject", "doclane-worker", ["spec"], "minReplicas"),
        ("ScaledObject", "doclane-worker", ["spec", "triggers", 0], "metdata"),
        ("TriggerAuthentication", "doclane-kafka", ["spec"], "secretTargetRefs"),
        (
            "Deployment",
            "doclane-worker",
            ["spec", "template", "spec", "containers", 0],
            "livenesProbe",
        ),
    ],
)
def test_validation_refuses_a_misspelt_field(
    kind: str, name: str, path: list, misspelt: str
) -> None:
    resource = copy.deepcopy(_one(kind, name))
    node = resource
    for step in path:
        node = node[step]
    node[misspelt] = {}
    with pytest.raises(jsonschema.ValidationError):
        _validate(resource)


def test_keda_metadata_values_must_be_strings_as_its_schema_says() -> None:
    resource = copy.deepcopy(_one("ScaledObject", "doclane-worker"))
    resource["spec"]["triggers"][0]["metadata"]["lagThreshold"] = 50
    with pytest.raises(jsonschema.ValidationError):
        _validate(resource)


def test_settings_read_every_variable_the_manifests_set() -> None:
    env = _settings_env()
    for spec in _pod_specs():
        for container in spec["containers"]:
            env.update({e["name"]: e["value"] for e in container.get("env", [])})
    # Every name is a setting, parsed and given back unchanged (so none is misspelt or ignored).
    read_back = Settings.from_env(env).to_env()
    for name, value in env.items():
        if name in BOTO3_VARIABLES:
            continue
        assert read_back.get(name) == value, name
    assert "CLICKHOUSE_URL" in env  # the API reaches an embedded store on loopback only


def test_every_pod_takes_the_settings_and_secrets_that_exist() -> None:
    names = {(r["kind"], r["metadata"]["name"]) for r in _resources()}
    for spec in _pod_specs():
        for container in spec["containers"]:
            for source in container["envFrom"]:
                if "configMapRef" in source:
                    assert ("ConfigMap", source["configMapRef"]["name"]) in names
                if "secretRef" in source:
                    assert ("Secret", source["secretRef"]["name"]) in names
        for volume in spec.get("volumes", []):
            if claim := volume.get("persistentVolumeClaim"):
                assert ("PersistentVolumeClaim", claim["claimName"]) in names


def test_secret_values_are_marked_placeholders() -> None:
    secret = _one("Secret", "doclane-secrets")
    assert secret["stringData"]
    for name, value in secret["stringData"].items():
        assert "REPLACE-ME" in value, name


def test_containers_run_the_image_roles_as_its_non_root_user() -> None:
    dockerfile = DOCKERFILE.read_text()
    assert json.loads(re.search(r"^ENTRYPOINT (.+)$", dockerfile, re.M).group(1)) == ["doclane"]
    uid = int(re.search(r"useradd .*--uid (\d+) doclane", dockerfile).group(1))
    (image,) = _kustomization()["images"]
    commands = _subcommands()
    for spec in _pod_specs():
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == uid
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            assert container["image"] == image["name"]
            assert container["args"][0] in commands
            assert "command" not in container  # the image's ENTRYPOINT stays
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert {"requests", "limits"} <= set(container["resources"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])


def test_each_role_listens_probes_and_is_scraped_where_the_code_says() -> None:
    deployments = _deployments()
    assert set(deployments) == set(ROLES)
    for role, (port, source) in ROLES.items():
        template = deployments[role]["spec"]["template"]
        (container,) = template["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert list(ports.values()) == [port], role
        assert template["metadata"]["annotations"]["prometheus.io/port"] == str(port)
        code = (ROOT / "doclane" / source).read_text()
        for probe in ("livenessProbe", "readinessProbe"):
            get = container[probe]["httpGet"]
            assert get["port"] in ports, role
            assert f'"{get["path"]}"' in code, f"{role}: {get['path']}"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"


def test_services_reach_the_ports_their_pods_name() -> None:
    deployments = {d["metadata"]["name"]: d for d in _deployments().values()}
    for service in (r for r in _resources() if r["kind"] == "Service"):
        (target,) = [
            d
            for d in deployments.values()
            if d["spec"]["selector"]["matchLabels"] == service["spec"]["selector"]
        ]
        (container,) = target["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for port in service["spec"]["ports"]:
            assert ports[port["targetPort"]] == port["port"]


def test_the_single_writers_are_replaced_not_overlapped() -> None:
    deployments = _deployments()
    for role in ("sink", "api"):
        spec = deployments[role]["spec"]
        assert spec["replicas"] == 1, role
        assert spec["strategy"] == {"type": "Recreate"}, role
    assert "replicas" not in deployments["worker"]["spec"]  # KEDA owns the worker count


def test_the_parse_pool_fits_the_worker_cpu_limit() -> None:
    (container,) = _deployments()["worker"]["spec"]["template"]["spec"]["containers"]
    processes = int({e["name"]: e["value"] for e in container["env"]}["DOCLANE_PARSE_PROCESSES"])
    assert 1 <= processes <= int(container["resources"]["limits"]["cpu"])


def test_keda_scales_the_workers_on_the_lag_of_each_stage_topic() -> None:
    settings = Settings.from_env(_settings_env())
    names = TopicNames.from_prefix(settings.topic_prefix)
    scaled = _one("ScaledObject", "doclane-worker")["spec"]
    assert scaled["scaleTargetRef"]["name"] == _deployments()["worker"]["metadata"]["name"]
    assert scaled["maxReplicaCount"] == settings.partitions
    triggers = scaled["triggers"]
    assert [t["metadata"]["topic"] for t in triggers] == [
        names.ingest,
        names.classified,
        names.extracted,
        names.validated,
    ]
    auth = _one("TriggerAuthentication", "doclane-kafka")["spec"]["secretTargetRef"]
    secret = _one("Secret", "doclane-secrets")
    for ref in auth:
        assert ref["name"] == secret["metadata"]["name"]
        assert ref["key"] in secret["stringData"]
    for trigger in triggers:
        meta = trigger["metadata"]
        assert trigger["type"] == "kafka"
        assert meta["consumerGroup"] == settings.app_id  # Faust's group id is the app id
        assert meta["bootstrapServers"] == settings.kafka_bootstrap_servers
        assert meta["offsetResetPolicy"] == "earliest"
        assert trigger["authenticationRef"]["name"] == "doclane-kafka"
        if settings.kafka_uses_sasl:
            assert meta["sasl"] == KEDA_SASL[settings.kafka_sasl_mechanism]
        assert meta["tls"] == (
            "enable" if settings.kafka_security_protocol.endswith("SSL") else "disable"
        )
