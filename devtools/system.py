"""The system as one machine runs it: each service, its port, its database and its wiring."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.settings import (
    CompanySettings,
    FileStoreSettings,
    IdentitySettings,
    InvoiceSettings,
    NotifierSettings,
    RendererSettings,
    ServiceSettings,
    WebSettings,
)

WEB_PORT = 8080
INBOX_PORT = 8025
SMTP_PORT = 1025
# The stand-in Peppol access point (`devtools.peppol_access_point`) the notifier posts to.
PEPPOL_AP_PORT = 8090
# The file store (`shared.file_store`): one database that the services on the send path share,
# logging in as one role of the same name.
FILES_DATABASE = "portal_files"


@dataclass(frozen=True)
class Service:
    name: str
    settings: type[ServiceSettings]
    port: int
    database: str | None
    # PORTAL_* variables beyond the common ones, with `{name_url}` filled in from the table.
    environment: dict[str, str] = field(default_factory=dict)
    # Where its package lives: `python -m <package>.<name>` runs it.
    package: str = "services"

    @property
    def module(self) -> str:
        return f"{self.package}.{self.name}"

    @property
    def uses_files(self) -> bool:
        """Whether it puts files in the file store or reads them there (`PORTAL_FILES_URL`)."""
        return issubclass(self.settings, FileStoreSettings)


SERVICES = (
    Service("identity", IdentitySettings, 8081, "portal_identity"),
    Service(
        "company",
        CompanySettings,
        8082,
        "portal_company",
        {"PORTAL_IDENTITY_URL": "{identity_url}", "PORTAL_PUBLIC_URL": "{web_url}"},
    ),
    Service(
        "invoice",
        InvoiceSettings,
        8083,
        "portal_invoice",
        {"PORTAL_IDENTITY_URL": "{identity_url}", "PORTAL_RENDERER_URL": "{renderer_url}"},
    ),
    Service("renderer", RendererSettings, 8084, "portal_renderer"),
    Service(
        "notifier",
        NotifierSettings,
        8085,
        "portal_notifier",
        {
            "PORTAL_SMTP_HOST": "{smtp_host}",
            "PORTAL_SMTP_PORT": "{smtp_port}",
            # The catcher on this machine speaks SMTP without TLS.
            "PORTAL_SMTP_TLS": "none",
            "PORTAL_PEPPOL_AP_URL": "{peppol_ap_url}",
            "PORTAL_PUBLIC_URL": "{web_url}",
        },
    ),
    Service(
        "web",
        WebSettings,
        WEB_PORT,
        None,
        {
            "PORTAL_IDENTITY_URL": "{identity_url}",
            "PORTAL_COMPANY_URL": "{company_url}",
            "PORTAL_INVOICE_URL": "{invoice_url}",
        },
    ),
)


# Replica n of a service listens this many ports above the first.
REPLICA_PORT_STEP = 100


@dataclass(frozen=True)
class Instance:
    """One copy of the system on this machine. `port_offset` moves every port of the table and
    `prefix` names its databases and queues, so that a second copy (a test's) runs beside the
    first on the same PostgreSQL and RabbitMQ without touching it."""

    port_offset: int = 0
    prefix: str = ""

    def port(self, service: Service, replica: int = 1) -> int:
        return service.port + self.port_offset + REPLICA_PORT_STEP * (replica - 1)

    @property
    def inbox_port(self) -> int:
        return INBOX_PORT + self.port_offset

    @property
    def smtp_port(self) -> int:
        return SMTP_PORT + self.port_offset

    @property
    def peppol_ap_port(self) -> int:
        return PEPPOL_AP_PORT + self.port_offset

    @property
    def queue_prefix(self) -> str:
        return f"{self.prefix}." if self.prefix else ""

    def database(self, service: Service) -> str:
        assert service.database is not None
        return self._named(service.database)

    def database_url(self, service: Service, host: str = "127.0.0.1", port: int = 5432) -> str:
        """Each service logs in as its own role (named like its database without the prefix)."""
        return f"postgresql://{service.database}@{host}:{port}/{self.database(service)}"

    @property
    def files_database(self) -> str:
        return self._named(FILES_DATABASE)

    def files_url(self, host: str = "127.0.0.1", port: int = 5432) -> str:
        """The services that use the file store log in to it as one role, its name unprefixed."""
        return f"postgresql://{FILES_DATABASE}@{host}:{port}/{self.files_database}"

    def databases(self) -> list[tuple[str, str]]:
        """Every database of this copy with the role that owns it: each service's, then the
        file store's."""
        owned = [(s.database, self.database(s)) for s in SERVICES if s.database is not None]
        return [*owned, (FILES_DATABASE, self.files_database)]

    def _named(self, database: str) -> str:
        return f"{database}_{self.prefix}" if self.prefix else database


# The copy `scripts/start` runs: the ports of the table, the databases and queues unprefixed.
FIRST_INSTANCE = Instance()
