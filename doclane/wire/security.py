"""Kafka TLS and SASL: the security settings as librdkafka and as Faust/aiokafka options.

Both client libraries get their options from here, so a confluent-kafka producer and a
Faust worker built from the same `Settings` always speak the same protocol. The startup
probe `check_kafka_access` turns an authentication or TLS failure, which librdkafka
would otherwise retry forever, into a typed error within the connect timeout.
"""

from __future__ import annotations

import logging
import ssl
import time
from typing import TYPE_CHECKING, Any

from doclane.exceptions import BrokerError, KafkaAuthenticationError, KafkaTlsError
from doclane.settings import Settings

if TYPE_CHECKING:
    from confluent_kafka import KafkaError

# The probe's librdkafka log; its failures also come back as the error it raises.
PROBE_LOGGER = logging.getLogger("doclane.kafka.probe")

# Words librdkafka puts in the text of a TLS failure (its error code is not always _SSL:
# a failed handshake can surface as a transport error of the broker connection).
_TLS_WORDS = ("ssl handshake", "certificate")


def librdkafka_security(settings: Settings) -> dict[str, object]:
    """`security.protocol` and the sasl.* / ssl.* options of a confluent-kafka client."""
    options: dict[str, object] = {"security.protocol": settings.kafka_security_protocol}
    if settings.kafka_uses_sasl:
        options["sasl.mechanism"] = settings.kafka_sasl_mechanism
        options["sasl.username"] = settings.kafka_sasl_username
        options["sasl.password"] = _reveal(settings.kafka_sasl_password)
    if settings.kafka_uses_tls:
        algorithm = "https" if settings.kafka_ssl_check_hostname else "none"
        options["ssl.endpoint.identification.algorithm"] = algorithm
        if settings.kafka_ssl_ca_file is not None:
            options["ssl.ca.location"] = str(settings.kafka_ssl_ca_file)
        if settings.kafka_ssl_cert_file is not None:
            options["ssl.certificate.location"] = str(settings.kafka_ssl_cert_file)
        if settings.kafka_ssl_key_file is not None:
            options["ssl.key.location"] = str(settings.kafka_ssl_key_file)
        if settings.kafka_ssl_key_password is not None:
            options["ssl.key.password"] = settings.kafka_ssl_key_password.reveal()
    return options


def tls_context(settings: Settings) -> ssl.SSLContext:
    """The client TLS context aiokafka uses: the configured CA (else the system's), mTLS pair."""
    ca_file = settings.kafka_ssl_ca_file
    try:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        context.check_hostname = settings.kafka_ssl_check_hostname
        if settings.kafka_ssl_cert_file is not None:
            context.load_cert_chain(
                str(settings.kafka_ssl_cert_file),
                str(settings.kafka_ssl_key_file) if settings.kafka_ssl_key_file else None,
                password=_reveal(settings.kafka_ssl_key_password),
            )
    except (OSError, ssl.SSLError) as exc:
        raise KafkaTlsError(
            f"cannot load the Kafka TLS files (DOCLANE_KAFKA_SSL_CA_FILE={ca_file}, "
            f"DOCLANE_KAFKA_SSL_CERT_FILE={settings.kafka_ssl_cert_file}): {exc}"
        ) from exc
    return context


def faust_broker_credentials(settings: Settings) -> Any:
    """`broker_credentials` for `faust.App`: SASL (over TLS or not), TLS alone, or None."""
    import faust

    context = tls_context(settings) if settings.kafka_uses_tls else None
    if settings.kafka_uses_sasl:
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username,
            password=_reveal(settings.kafka_sasl_password),
            ssl_context=context,
            mechanism=settings.kafka_sasl_mechanism,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def check_kafka_access(settings: Settings, timeout: float | None = None) -> None:
    """Return once the broker answers a metadata request with these credentials.

    Raises KafkaAuthenticationError or KafkaTlsError as soon as librdkafka reports one
    (it would retry them forever), BrokerError when nothing answered within `timeout`
    (default DOCLANE_KAFKA_CONNECT_TIMEOUT).
    """
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    timeout = settings.kafka_connect_timeout if timeout is None else timeout
    errors: list[KafkaError] = []
    admin = AdminClient(
        {
            "bootstrap.servers": settings.bootstrap_servers,
            **librdkafka_security(settings),
            "socket.connection.setup.timeout.ms": max(1000, int(timeout * 1000)),
            "error_cb": errors.append,
            "logger": PROBE_LOGGER,
        }
    )
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        try:
            if admin.list_topics(timeout=max(0.1, min(1.0, remaining))).brokers:
                return
        except KafkaException as exc:
            errors.append(exc.args[0])
        admin.poll(0)  # serves error_cb
        failure = _security_failure(settings, errors)
        if failure is not None:
            raise failure
        if remaining <= 0:
            last = f": {errors[-1].str()}" if errors else ""
            raise BrokerError(
                f"no Kafka broker answered at {settings.bootstrap_servers} "
                f"({settings.kafka_security_protocol}) within {timeout:.0f} s{last}"
            )


def _security_failure(settings: Settings, errors: list[KafkaError]) -> BrokerError | None:
    from confluent_kafka import KafkaError

    where = f"the Kafka broker at {settings.bootstrap_servers}"
    for error in errors:
        text = error.str()
        lowered = text.lower()
        sasl_refused = error.code() == KafkaError.SASL_AUTHENTICATION_FAILED or (
            error.code() == KafkaError._AUTHENTICATION and "sasl authentication" in lowered
        )
        if settings.kafka_uses_sasl and sasl_refused:
            return KafkaAuthenticationError(
                f"{where} refused user {settings.kafka_sasl_username!r} "
                f"({settings.kafka_sasl_mechanism}); check DOCLANE_KAFKA_SASL_USERNAME and "
                f"DOCLANE_KAFKA_SASL_PASSWORD. librdkafka: {text}"
            )
        if settings.kafka_uses_tls and (
            error.code() == KafkaError._SSL or any(word in lowered for word in _TLS_WORDS)
        ):
            return KafkaTlsError(
                f"TLS with {where} failed: its certificate is not trusted or does not match; "
                f"check DOCLANE_KAFKA_SSL_CA_FILE={settings.kafka_ssl_ca_file or '(system CAs)'}. "
                f"librdkafka: {text}"
            )
    return None


def _reveal(secret: object) -> str | None:
    return secret.reveal() if secret is not None else None  # type: ignore[attr-defined]
