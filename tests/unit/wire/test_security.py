"""Kafka security settings: parsed and checked once, the same for librdkafka and Faust."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import faust
import pytest

from doclane.exceptions import ConfigurationError
from doclane.settings import Settings, local_broker_ca_file
from doclane.wire.clients import client_config
from doclane.wire.security import faust_broker_credentials, librdkafka_security

SASL_SSL = {
    "KAFKA_BOOTSTRAP_SERVERS": "kafka:9093",
    "DOCLANE_KAFKA_SECURITY_PROTOCOL": "sasl_ssl",
    "DOCLANE_KAFKA_SASL_MECHANISM": "scram-sha-256",
    "DOCLANE_KAFKA_SASL_USERNAME": "pipeline",
    "DOCLANE_KAFKA_SASL_PASSWORD": "hunter2 with spaces",
}


def test_plaintext_is_the_default_and_adds_no_credentials() -> None:
    settings = Settings.from_env({})
    assert librdkafka_security(settings) == {"security.protocol": "PLAINTEXT"}
    assert faust_broker_credentials(settings) is None


def test_sasl_ssl_reaches_librdkafka_with_the_password_and_ca() -> None:
    settings = Settings.from_env({**SASL_SSL, "DOCLANE_KAFKA_SSL_CA_FILE": "/etc/kafka/ca.pem"})
    options = client_config(settings, **{"group.id": "g"})
    assert options["security.protocol"] == "SASL_SSL"
    assert options["sasl.mechanism"] == "SCRAM-SHA-256"
    assert options["sasl.username"] == "pipeline"
    assert options["sasl.password"] == "hunter2 with spaces"
    assert options["ssl.ca.location"] == "/etc/kafka/ca.pem"
    assert options["ssl.endpoint.identification.algorithm"] == "https"
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.describe())


def test_faust_gets_sasl_credentials_over_tls() -> None:
    credentials = faust_broker_credentials(Settings.from_env(SASL_SSL))
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.protocol.value == "SASL_SSL"
    assert credentials.mechanism.value == "SCRAM-SHA-256"
    assert credentials.password == "hunter2 with spaces"


def test_ssl_alone_gives_faust_a_tls_context() -> None:
    settings = Settings.from_env({"DOCLANE_KAFKA_SECURITY_PROTOCOL": "SSL"})
    assert isinstance(faust_broker_credentials(settings), faust.SSLCredentials)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DOCLANE_KAFKA_SECURITY_PROTOCOL": "TLS"}, "DOCLANE_KAFKA_SECURITY_PROTOCOL"),
        ({"DOCLANE_KAFKA_SASL_MECHANISM": "GSSAPI"}, "DOCLANE_KAFKA_SASL_MECHANISM"),
        ({"DOCLANE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "DOCLANE_KAFKA_SASL_PASSWORD"),
        ({"DOCLANE_KAFKA_SSL_CERT_FILE": "/c.pem"}, "DOCLANE_KAFKA_SSL_KEY_FILE"),
        ({"DOCLANE_KAFKA_CONNECT_TIMEOUT": "0"}, "DOCLANE_KAFKA_CONNECT_TIMEOUT"),
    ],
)
def test_incomplete_or_unknown_security_settings_are_refused(
    env: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigurationError, match=named):
        Settings.from_env(env)


def test_secure_local_broker_defaults_to_sasl_ssl_and_its_own_ca(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DOCLANE_BROKER_SECURE": "true",
            "DOCLANE_DATA_DIR": str(tmp_path),
            "DOCLANE_KAFKA_SASL_USERNAME": "doclane",
            "DOCLANE_KAFKA_SASL_PASSWORD": "local-password",
        }
    )
    assert settings.kafka_security_protocol == "SASL_SSL"
    assert settings.kafka_ssl_ca_file == local_broker_ca_file(tmp_path)


def test_security_settings_survive_to_env() -> None:
    settings = replace(
        Settings.from_env(SASL_SSL),
        kafka_ssl_ca_file=Path("/etc/kafka/ca.pem"),
        kafka_ssl_check_hostname=False,
        kafka_connect_timeout=4.5,
        cache_dir=Path("/nonexistent/cache"),  # a checkout's .cache may be a symlink
    )
    assert Settings.from_env(settings.to_env()) == settings
