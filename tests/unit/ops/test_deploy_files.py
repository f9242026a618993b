"""The Dockerfile and compose file, checked without a Docker engine (none exists here)."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from doclane.cli import _parser
from doclane.ops.broker.distribution import KAFKA_VERSION

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker" / "docker-compose.yml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
SETTINGS = (ROOT / "doclane" / "settings.py").read_text()


# Set for containers; implemented by the bind-address work of issue 13.
def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _subcommands() -> set[str]:
    (sub,) = [a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction"]
    return set(sub.choices)


def test_compose_file_is_valid_against_the_compose_spec_schema():
    schema = json.loads((ROOT / "ops" / "schemas" / "compose-spec.json").read_text())
    # The spec says draft-07 (its $schema URL lacks the trailing '#' jsonschema keys on).
    jsonschema.Draft7Validator(schema).validate(_compose())


def test_compose_kafka_image_is_the_pinned_broker_version():
    assert _compose()["services"]["kafka"]["image"] == f"apache/kafka:{KAFKA_VERSION}"


def test_compose_paths_exist():
    for name, service in _compose()["services"].items():
        if build := service.get("build"):
            context = (COMPOSE.parent / build["context"]).resolve()
            assert context.is_dir(), name
            assert (context / build["dockerfile"]).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                path = COMPOSE.parent / source
                assert path.exists(), f"{name}: {source}"


def test_compose_environment_names_real_settings():
    for name, service in _compose()["services"].items():
        if "build" not in service:
            continue
        for var in service["environment"]:
            assert f'"{var}"' in SETTINGS, f"{name}: {var}"


def test_compose_commands_and_ports_match_the_cli_and_settings():
    commands = _subcommands()
    defaults = {"worker": 6066, "sink": 6065, "api": 6064}
    for name, service in _compose()["services"].items():
        if "build" in service:
            assert service["command"][0] in commands, name
        if name in defaults:
            published = service.get("ports", []) + service.get("expose", [])
            assert any(str(defaults[name]) in p.split(":")[-1] for p in published), name


def test_dockerfile_copy_sources_exist_and_commands_are_real():
    text = DOCKERFILE.read_text()
    for line in re.findall(r"^COPY (?!--from)(.+)$", text, re.M):
        *sources, _dest = line.split()
        for source in sources:
            assert (ROOT / source).exists(), source
    entry = json.loads(re.search(r"^ENTRYPOINT (.+)$", text, re.M).group(1))
    command = json.loads(re.search(r"^CMD (.+)$", text, re.M).group(1))
    assert entry == ["doclane"]
    assert command[0] in _subcommands()
    assert "USER doclane" in text
    assert "HEALTHCHECK" in text
    assert "/health/live" in text


@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_health_endpoints_exist_in_every_role(path):
    for source in ("streaming/app.py", "api/app.py", "connectors/clickhouse/server.py"):
        assert path in (ROOT / "doclane" / source).read_text(), source
