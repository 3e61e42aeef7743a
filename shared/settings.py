"""Settings read from the environment, one class per service, never at import time."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-secret-do-not-use-in-production"  # noqa: S105

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """What every service needs: where it listens, its database and the broker."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore", frozen=True)

    environment: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    queue_prefix: str = ""
    log_level: str = "INFO"
    # Shared by the services to sign the principal the web front vouches for.
    internal_secret: str = DEVELOPMENT_SECRET

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Self:
        if self.environment == "production":
            for name, value in self.model_dump().items():
                if name.endswith("secret") and value == DEVELOPMENT_SECRET:
                    raise ValueError(f"PORTAL_{name.upper()} must be set in production")
        return self


class IdentitySettings(ServiceSettings):
    port: int = 8081
    database_url: str = "postgresql://portal_identity@127.0.0.1:5432/portal_identity"
    token_secret: str = DEVELOPMENT_SECRET
    captcha_max_number: int = Field(default=50_000, ge=10)
    session_days: int = Field(default=14, ge=1)


class NotifierSettings(ServiceSettings):
    port: int = 8085
    database_url: str = "postgresql://portal_notifier@127.0.0.1:5432/portal_notifier"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    renderer_url: str = "http://127.0.0.1:8084"
    invoice_url: str = "http://127.0.0.1:8083"
    # Fetching one invoice document or attachment from the renderer or the invoice service.
    fetch_timeout: float = Field(default=60, gt=0)
    smtp_timeout: float = Field(default=30, gt=0)
    mail_from: str = "Leverantörsportalen <no-reply@leverantorsportalen.se>"
    support_email: str = "support@leverantorsportalen.se"
    public_url: str = "http://127.0.0.1:8080"


class CompanySettings(ServiceSettings):
    port: int = 8082
    database_url: str = "postgresql://portal_company@127.0.0.1:5432/portal_company"
    identity_url: str = "http://127.0.0.1:8081"
    # Operators (the `portal` command) authenticate with this.
    operator_secret: str = DEVELOPMENT_SECRET
    public_url: str = "http://127.0.0.1:8080"
    invitation_days: int = Field(default=30, ge=1)


class InvoiceSettings(ServiceSettings):
    port: int = 8083
    database_url: str = "postgresql://portal_invoice@127.0.0.1:5432/portal_invoice"
    identity_url: str = "http://127.0.0.1:8081"
    renderer_url: str = "http://127.0.0.1:8084"
    # Operators issue buyers' API keys with this.
    operator_secret: str = DEVELOPMENT_SECRET


class RendererSettings(ServiceSettings):
    port: int = 8084
    database_url: str = "postgresql://portal_renderer@127.0.0.1:5432/portal_renderer"
    invoice_url: str = "http://127.0.0.1:8083"
    # WeasyPrint runs in this many worker processes, never on the event loop.
    render_workers: int = Field(default=2, ge=1, le=32)
    preview_cache_size: int = Field(default=256, ge=0)


class WebSettings(ServiceSettings):
    port: int = 8080
    csrf_secret: str = DEVELOPMENT_SECRET
    identity_url: str = "http://127.0.0.1:8081"
    company_url: str = "http://127.0.0.1:8082"
    invoice_url: str = "http://127.0.0.1:8083"
    renderer_url: str = "http://127.0.0.1:8084"
    secure_cookies: bool = False
