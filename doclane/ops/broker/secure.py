"""The local broker's SASL_SSL listener: a CA and broker certificate, and SCRAM users.

`DOCLANE_BROKER_SECURE=true` turns the broker doclane starts into one that accepts only
TLS connections authenticated with SCRAM: the files live in `<data dir>/kafka/tls/`
(`ca.pem` is what clients trust), the broker's own inter-broker user is made when the
storage is formatted, and the client user of DOCLANE_KAFKA_SASL_USERNAME/PASSWORD is
created or updated through the admin API at every start.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from doclane.exceptions import BrokerError, ConfigurationError
from doclane.settings import Settings, local_broker_ca_file

BROKER_USER = "doclane-broker"  # the broker's own inter-broker login
INTER_BROKER_MECHANISM = "SCRAM-SHA-512"
ENABLED_MECHANISMS = ("SCRAM-SHA-512", "SCRAM-SHA-256")
_CERT_DAYS = 30
_RENEW_BEFORE = datetime.timedelta(days=2)
_SCRAM_ITERATIONS = 8192
_HOSTS = ("localhost",)
_ADDRESSES = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class BrokerTls:
    """Where the secure broker's key material lives (all under one 0700 folder)."""

    folder: Path

    @classmethod
    def for_settings(cls, settings: Settings) -> BrokerTls:
        return cls(local_broker_ca_file(settings.data_dir).parent)

    @property
    def ca_file(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def keystore(self) -> Path:
        return self.folder / "broker.p12"

    @property
    def secrets_file(self) -> Path:
        return self.folder / "broker.secrets"

    def ensure(self) -> None:
        """Generate the CA, broker certificate and broker secrets unless valid ones exist."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        if not self.secrets_file.is_file():
            _write_private(
                self.secrets_file,
                f"keystore={secrets.token_urlsafe(24)}\nbroker={secrets.token_urlsafe(24)}\n",
            )
        if not _still_valid(self.ca_file) or not self.keystore.is_file():
            _generate(self.ca_file, self.keystore, self._secret("keystore"))

    @property
    def keystore_password(self) -> str:
        return self._secret("keystore")

    @property
    def broker_password(self) -> str:
        return self._secret("broker")

    def _secret(self, name: str) -> str:
        for line in self.secrets_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key == name:
                return value
        raise BrokerError(f"{self.secrets_file} has no {name!r} entry; delete it to regenerate")


def check_client_settings(settings: Settings) -> None:
    """The secure broker creates the client user, so it needs its name and password."""
    if not (settings.kafka_sasl_username and settings.kafka_sasl_password):
        raise ConfigurationError(
            "DOCLANE_BROKER_SECURE needs DOCLANE_KAFKA_SASL_USERNAME and "
            "DOCLANE_KAFKA_SASL_PASSWORD: the user the local broker creates for doclane"
        )
    if settings.kafka_sasl_mechanism not in ENABLED_MECHANISMS:
        raise ConfigurationError(
            f"the local secure broker accepts {', '.join(ENABLED_MECHANISMS)}, "
            f"not DOCLANE_KAFKA_SASL_MECHANISM={settings.kafka_sasl_mechanism}"
        )


def listener_properties(tls: BrokerTls, broker_port: int, controller_port: int) -> dict[str, str]:
    """server.properties entries that replace the PLAINTEXT client listener by SASL_SSL.

    The controller listener stays PLAINTEXT on loopback: only this node's broker talks to it.
    """
    jaas = (
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{BROKER_USER}" password="{tls.broker_password}";'
    )
    return {
        "listeners": f"SASL_SSL://127.0.0.1:{broker_port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"SASL_SSL://127.0.0.1:{broker_port}",
        "listener.security.protocol.map": "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "SASL_SSL",
        "sasl.enabled.mechanisms": ",".join(ENABLED_MECHANISMS),
        "sasl.mechanism.inter.broker.protocol": INTER_BROKER_MECHANISM,
        # Every enabled mechanism needs its own login entry on the listener.
        **{
            f"listener.name.sasl_ssl.{name.lower()}.sasl.jaas.config": jaas
            for name in ENABLED_MECHANISMS
        },
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": str(tls.keystore),
        "ssl.keystore.password": tls.keystore_password,
        "ssl.key.password": tls.keystore_password,
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(tls.ca_file),
        "ssl.client.auth": "none",
        "ssl.endpoint.identification.algorithm": "https",
    }


def apply_properties(text: str, overrides: dict[str, str]) -> str:
    """`text` (a .properties file) with each key of `overrides` set: replaced, else appended."""
    lines, seen = [], set()
    for line in text.splitlines():
        key = line.partition("=")[0].strip()
        if key in overrides and not line.lstrip().startswith("#"):
            lines.append(f"{key}={overrides[key]}")
            seen.add(key)
        else:
            lines.append(line)
    missing = [f"{key}={value}" for key, value in overrides.items() if key not in seen]
    if missing:
        lines += ["", "# SASL_SSL listener (DOCLANE_BROKER_SECURE)", *missing]
    return "\n".join(lines) + "\n"


def format_scram_arguments(tls: BrokerTls) -> list[str]:
    """`kafka-storage format` arguments that create the broker's own SCRAM user."""
    credential = f"[name={BROKER_USER},password={tls.broker_password}]"
    return ["--add-scram", f"{INTER_BROKER_MECHANISM}={credential}"]


def broker_client_security(tls: BrokerTls) -> dict[str, object]:
    """librdkafka options of the broker's own login (readiness probe, user creation)."""
    return {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": INTER_BROKER_MECHANISM,
        "sasl.username": BROKER_USER,
        "sasl.password": tls.broker_password,
        "ssl.ca.location": str(tls.ca_file),
    }


def upsert_client_user(bootstrap: str, tls: BrokerTls, settings: Settings) -> None:
    """Create (or set the password of) the client's SCRAM user, for both SCRAM mechanisms."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import (
        AdminClient,
        ScramCredentialInfo,
        ScramMechanism,
        UserScramCredentialUpsertion,
    )

    admin = AdminClient({"bootstrap.servers": bootstrap, **broker_client_security(tls)})
    password = settings.kafka_sasl_password.reveal().encode()  # type: ignore[union-attr]
    upserts = [
        UserScramCredentialUpsertion(
            settings.kafka_sasl_username,
            ScramCredentialInfo(getattr(ScramMechanism, name.replace("-", "_")), _SCRAM_ITERATIONS),
            password,
        )
        for name in ENABLED_MECHANISMS
    ]
    for upsert in upserts:  # the broker takes one change per user and request
        try:
            admin.alter_user_scram_credentials([upsert], request_timeout=15)[upsert.user].result(
                timeout=20
            )
        except KafkaException as exc:
            raise BrokerError(
                f"could not create the SCRAM user {settings.kafka_sasl_username!r}: {exc}"
            ) from exc


# -- certificates ------------------------------------------------------------------------


def _still_valid(cert_path: Path) -> bool:
    from cryptography import x509

    if not cert_path.is_file():
        return False
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.not_valid_after_utc - datetime.datetime.now(datetime.UTC) > _RENEW_BEFORE


def _generate(ca_file: Path, keystore: Path, password: str) -> None:
    """A fresh CA, and a broker certificate it signs for localhost, 127.0.0.1 and ::1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "doclane local broker CA")])
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    broker_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    names = [x509.DNSName(host) for host in _HOSTS]
    names += [x509.IPAddress(ipaddress.ip_address(address)) for address in _ADDRESSES]
    broker_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    broker_cert = (
        _builder(broker_name, ca_name, broker_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    # Triple-DES/SHA-1 PKCS#12 is what every JDK reads; the file is 0600 in a 0700 folder.
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50000)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())  # noqa: S303 - the PKCS#12 MAC the JDK expects
        .build(password.encode())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"broker", broker_key, broker_cert, [ca_cert], encryption
    )
    _write_private(keystore, bundle)
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))


def _builder(subject: object, issuer: object, public_key: object, now: datetime.datetime) -> object:
    from cryptography import x509

    return (
        x509.CertificateBuilder()
        .subject_name(subject)  # type: ignore[arg-type]
        .issuer_name(issuer)  # type: ignore[arg-type]
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=_CERT_DAYS))
    )


def _key_usage(*, cert_sign: bool) -> object:
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not cert_sign,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, content: str | bytes) -> None:
    data = content.encode() if isinstance(content, str) else content
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
