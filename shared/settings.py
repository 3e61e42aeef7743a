"""Settings read from the environment, one class per service, never at import time.

A secret may instead come from a file: `PORTAL_<NAME>_FILE` names it (Docker and Kubernetes
secrets). Outside development, and in development on anything but loopback, a service refuses
the published development secret and any secret shorter than 32 bytes.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, IPvAnyNetwork, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from yarl import URL

DEVELOPMENT_SECRET = "development-secret-do-not-use-in-production"  # noqa: S105
MINIMUM_SECRET_BYTES = 32
PREFIX = "PORTAL_"

Environment = Literal["development", "production"]
SmtpTls = Literal["starttls", "implicit", "none"]


@dataclass(frozen=True)
class Sensitive:
    """Marks a setting that holds a credential, so it may come from a `PORTAL_<NAME>_FILE`.

    `ours` marks the keys this system signs and authenticates with: they must be long and never
    the published development secret, except in development on loopback.
    """

    ours: bool = False


# A key of our own; a password (or a URL carrying one) that someone else's server checks.
Secret = Annotated[str, Sensitive(ours=True)]
Credential = Annotated[str, Sensitive()]


def sensitive_settings(settings: type[BaseSettings]) -> dict[str, Sensitive]:
    """Each credential setting's name and marker."""
    return {
        name: marker
        for name, info in settings.model_fields.items()
        for marker in info.metadata
        if isinstance(marker, Sensitive)
    }


class SecretFiles(PydanticBaseSettingsSource):
    """Reads `PORTAL_<NAME>_FILE` for every credential setting; refuses it beside `PORTAL_<NAME>`."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ reads every field at once

    def __call__(self) -> dict[str, Any]:
        values = {}
        for name in sensitive_settings(self.settings_cls):
            variable = PREFIX + name.upper()
            path = os.environ.get(variable + "_FILE")
            if path is None:
                continue
            if variable in os.environ:
                raise ValueError(f"set {variable} or {variable}_FILE, not both")
            # Files written by editors and `echo` end in a newline that is no part of the secret.
            values[name] = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        return values


class ServiceSettings(BaseSettings):
    """What every service needs: where it listens, its database and the broker."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    # Production unless told otherwise: a deployment that forgets it must not run on defaults.
    environment: Environment = "production"
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    database_url: Credential = "postgresql://postgres@127.0.0.1:5432/postgres"
    amqp_url: Credential = "amqp://guest:guest@127.0.0.1:5672/"
    # The nodes of a RabbitMQ cluster, comma-separated: a service uses the first that answers
    # and, when it goes away, the next. Unset, `amqp_url` is the one address.
    amqp_urls: Annotated[list[str], NoDecode, Sensitive()] = Field(default_factory=list)
    # The broker user each service publishes as, where it is not the service's own name (or
    # `guest`, shared by every service on one machine).
    broker_users: dict[str, str] = Field(default_factory=dict)
    queue_prefix: str = ""
    log_level: str = "INFO"
    # Shared by the services to sign the principal the web front vouches for.
    internal_secret: Secret = DEVELOPMENT_SECRET

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, SecretFiles(settings_cls), env_settings

    @field_validator("amqp_urls", mode="before")
    @classmethod
    def _split_addresses(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value

    @property
    def broker_addresses(self) -> list[str]:
        """The broker's nodes, in the order they are tried."""
        return self.amqp_urls or [self.amqp_url]

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Self:
        if self.environment == "development" and listens_on_loopback(self.host):
            return self
        for name, marker in sensitive_settings(type(self)).items():
            value = getattr(self, name)
            if not marker.ours:
                continue
            variable = PREFIX + name.upper()
            if value == DEVELOPMENT_SECRET:
                raise ValueError(
                    f"{variable} is the published development secret; set it (or "
                    f"{variable}_FILE) to {MINIMUM_SECRET_BYTES} random bytes or more "
                    "(the default is accepted only with PORTAL_ENVIRONMENT=development "
                    "on a loopback PORTAL_HOST)"
                )
            if len(value.encode()) < MINIMUM_SECRET_BYTES:
                raise ValueError(
                    f"{variable} is shorter than {MINIMUM_SECRET_BYTES} bytes; "
                    "use a long random value, e.g. `openssl rand -hex 32`"
                )
        return self

    def broker_user(self, service: str) -> str:
        """The broker user `service` publishes its events as: its own name, unless this service
        logs in as guest, which RabbitMQ lets in from its own machine alone, where all share it."""
        shared = URL(self.broker_addresses[0]).user in (None, "guest")
        return self.broker_users.get(service, "guest" if shared else service)


def listens_on_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name, or "" for every interface


class IdentitySettings(ServiceSettings):
    port: int = 8081
    database_url: Credential = "postgresql://portal_identity@127.0.0.1:5432/portal_identity"
    token_secret: Secret = DEVELOPMENT_SECRET
    # The captcha's difficulty: the browser tries up to this many SHA-256 hashes.
    captcha_max_number: int = Field(default=50_000, ge=10)
    session_days: int = Field(default=14, ge=1)
    # A session unused this long ends, whatever its `session_days`.
    session_idle_minutes: int = Field(default=30, ge=1)
    # argon2 computations at once (each takes a core for a moment); more requests wait their turn.
    password_hashing_concurrency: int = Field(default=2, ge=1, le=64)


class FileStoreSettings(ServiceSettings):
    """A service on the send path: it puts the files it makes in the file store
    (`shared.file_store`), or reads there the files an event names."""

    files_url: Credential = "postgresql://portal_files@127.0.0.1:5432/portal_files"


class NotifierSettings(FileStoreSettings):
    port: int = 8085
    database_url: Credential = "postgresql://portal_notifier@127.0.0.1:5432/portal_notifier"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: Annotated[str | None, Sensitive()] = None
    # STARTTLS on the submission port, TLS from the first byte (port 465), or none at all
    # (a catcher on this machine only). STARTTLS never falls back to sending in clear.
    smtp_tls: SmtpTls = "starttls"
    smtp_timeout: float = Field(default=30, gt=0)
    mail_from: str = "Leverantörsportalen <no-reply@leverantorsportalen.se>"
    support_email: str = "support@leverantorsportalen.se"
    public_url: str = "http://127.0.0.1:8080"
    # phase4's standalone Peppol access point, and the token its `/sendas4` requires (X-Token).
    peppol_ap_url: str = "http://127.0.0.1:8090"
    peppol_ap_token: Secret = DEVELOPMENT_SECRET
    peppol_ap_timeout: float = Field(default=60, gt=0)


class CompanySettings(ServiceSettings):
    port: int = 8082
    database_url: Credential = "postgresql://portal_company@127.0.0.1:5432/portal_company"
    identity_url: str = "http://127.0.0.1:8081"
    # Operators (the `portal` command) authenticate with this.
    operator_secret: Secret = DEVELOPMENT_SECRET
    public_url: str = "http://127.0.0.1:8080"
    invitation_days: int = Field(default=30, ge=1)


class InvoiceSettings(FileStoreSettings):
    port: int = 8083
    database_url: Credential = "postgresql://portal_invoice@127.0.0.1:5432/portal_invoice"
    identity_url: str = "http://127.0.0.1:8081"
    renderer_url: str = "http://127.0.0.1:8084"
    # Operators issue buyers' API keys with this.
    operator_secret: Secret = DEVELOPMENT_SECRET
    # The bytes a supplier's attachments may take, each distinct file once: copying an invoice
    # shares its files and takes nothing more.
    attachment_quota: int = Field(default=1024 * 1024 * 1024, ge=0)
    # Buyers' webhooks may reach loopback, private and other non-public addresses, and use plain
    # http: for development and tests only, since the service's own network is behind them.
    webhook_allow_private: bool = False


class RendererSettings(FileStoreSettings):
    port: int = 8084
    database_url: Credential = "postgresql://portal_renderer@127.0.0.1:5432/portal_renderer"
    # WeasyPrint runs in this many worker processes, never on the event loop.
    render_workers: int = Field(default=2, ge=1, le=32)
    preview_cache_size: int = Field(default=256, ge=0)


class WebSettings(ServiceSettings):
    port: int = 8080
    csrf_secret: Secret = DEVELOPMENT_SECRET
    identity_url: str = "http://127.0.0.1:8081"
    company_url: str = "http://127.0.0.1:8082"
    invoice_url: str = "http://127.0.0.1:8083"
    renderer_url: str = "http://127.0.0.1:8084"
    # The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; a request
    # from anywhere else keeps its peer's address and scheme, whatever headers it carries.
    trusted_proxies: list[IPvAnyNetwork] = Field(default_factory=list)

    @property
    def secure_cookies(self) -> bool:
        """Outside development the browser reaches us over HTTPS only: cookies say so."""
        return self.environment != "development"
