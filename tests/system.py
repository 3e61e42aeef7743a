"""The whole system in the test's event loop: mail catcher, Peppol access point stand-in, every
service, the web front."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import unused_port

from devtools.mailcatcher import MailCatcher, start_mailcatcher
from devtools.mailcatcher.store import StoredMessage
from devtools.peppol_access_point import AccessPoint
from services.company.app import create_app as create_company
from services.identity.app import create_app as create_identity
from services.invoice.app import create_app as create_invoice
from services.notifier.app import create_app as create_notifier
from services.renderer.app import create_app as create_renderer
from services.web.app import create_app as create_web
from shared.settings import (
    CompanySettings,
    IdentitySettings,
    InvoiceSettings,
    NotifierSettings,
    RendererSettings,
    WebSettings,
)
from tests.conftest import MakeDatabase
from tests.harness import serving

OPERATOR_SECRET = "operator-secret-for-tests"
PEPPOL_TOKEN = "peppol-token-for-tests"


@dataclass
class System:
    web_url: str
    identity_url: str
    company_url: str
    invoice_url: str
    renderer_url: str
    mail: MailCatcher
    # Where a test publishes events as if a service had: the services' exchange and queues.
    queue_prefix: str
    # Outside the system, like the SMTP server: where the notifier hands Peppol invoices. None
    # where nothing stands in for it (the benchmarks, whose buyers take mail).
    peppol: AccessPoint | None = None

    @property
    def access_point(self) -> AccessPoint:
        assert self.peppol is not None, "this system runs no Peppol access point"
        return self.peppol

    async def mail_to(
        self, address: str, subject_contains: str = "", count: int = 1
    ) -> StoredMessage:
        found = await self.mail.store.wait_for(
            lambda m: address in m.recipients and subject_contains in m.subject,
            count=count,
            timeout=20,
        )
        return found[-1]


def confirmation_link(message: StoredMessage) -> str:
    match = re.search(r'href="([^"]*/confirm\?token=[^"]+)"', message.html)
    assert match, message.html
    return match.group(1).replace("&amp;", "&")


def verification_code(message: StoredMessage) -> str:
    match = re.search(r"\b(\d{6})\b", message.text)
    assert match, message.text
    return match.group(1)


@pytest.fixture(scope="session")
async def system(
    make_database: MakeDatabase, make_amqp_prefix: Callable[[], str]
) -> AsyncIterator[System]:
    prefix = make_amqp_prefix()
    web_port, identity_port, company_port = unused_port(), unused_port(), unused_port()
    web_url, identity_url = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{identity_port}"
    company_url = f"http://127.0.0.1:{company_port}"
    invoice_port, renderer_port = unused_port(), unused_port()
    invoice_url, renderer_url = (
        f"http://127.0.0.1:{invoice_port}",
        f"http://127.0.0.1:{renderer_port}",
    )
    async with AsyncExitStack() as stack:
        mail = await start_mailcatcher("127.0.0.1", smtp_port=0, http_port=0)
        stack.push_async_callback(mail.stop)
        peppol = AccessPoint(PEPPOL_TOKEN)
        peppol_url = await stack.enter_async_context(serving(peppol.app()))
        # The file store that invoice, renderer and notifier share.
        files_url = await make_database("files")
        identity = IdentitySettings(
            environment="development",
            database_url=await make_database("identity"),
            queue_prefix=prefix,
            captcha_max_number=20_000,
        )
        await stack.enter_async_context(serving(create_identity(identity), identity_port))
        notifier = NotifierSettings(
            environment="development",
            database_url=await make_database("notifier"),
            queue_prefix=prefix,
            smtp_port=mail.smtp_port,
            smtp_tls="none",
            public_url=web_url,
            files_url=files_url,
            peppol_ap_url=peppol_url,
            peppol_ap_token=PEPPOL_TOKEN,
        )
        await stack.enter_async_context(serving(create_notifier(notifier)))
        company = CompanySettings(
            environment="development",
            database_url=await make_database("company"),
            queue_prefix=prefix,
            identity_url=identity_url,
            public_url=web_url,
            operator_secret=OPERATOR_SECRET,
        )
        await stack.enter_async_context(serving(create_company(company), company_port))
        invoice = InvoiceSettings(
            environment="development",
            database_url=await make_database("invoice"),
            queue_prefix=prefix,
            identity_url=identity_url,
            renderer_url=renderer_url,
            operator_secret=OPERATOR_SECRET,
            files_url=files_url,
            # The tests' webhook receivers listen on 127.0.0.1, over http.
            webhook_allow_private=True,
        )
        await stack.enter_async_context(serving(create_invoice(invoice), invoice_port))
        renderer = RendererSettings(
            environment="development",
            database_url=await make_database("renderer"),
            queue_prefix=prefix,
            files_url=files_url,
            render_workers=2,
        )
        await stack.enter_async_context(serving(create_renderer(renderer), renderer_port))
        web = WebSettings(
            environment="development",
            identity_url=identity_url,
            company_url=company_url,
            invoice_url=invoice_url,
        )
        await stack.enter_async_context(serving(create_web(web), web_port))
        yield System(
            web_url, identity_url, company_url, invoice_url, renderer_url, mail, prefix, peppol
        )
