"""Mail goes out encrypted as configured: STARTTLS demanded is never a fall-back to clear text."""

from __future__ import annotations

from devtools.mailcatcher import MailCatcher
from services.notifier.mailer import Deferred, Sent, deliver
from shared.settings import NotifierSettings, SmtpTls
from tests.notifier.test_mailer_rules import due_mail


def settings_for(catcher: MailCatcher, tls: SmtpTls) -> NotifierSettings:
    return NotifierSettings(
        environment="development", smtp_port=catcher.smtp_port, smtp_tls=tls, smtp_timeout=5
    )


async def test_starttls_is_the_default_and_sends_nothing_to_a_server_without_it(
    mailcatcher: MailCatcher,
) -> None:
    # The catcher is an aiosmtpd server that does not offer STARTTLS.
    settings = NotifierSettings(
        environment="development", smtp_port=mailcatcher.smtp_port, smtp_timeout=5
    )
    assert settings.smtp_tls == "starttls"
    mail = due_mail()

    outcomes = await deliver([mail], settings)

    outcome = outcomes[mail.id]
    assert isinstance(outcome, Deferred), outcome
    assert "STARTTLS" in outcome.reason
    assert len(mailcatcher.store) == 0


async def test_without_tls_the_same_server_receives_the_mail(mailcatcher: MailCatcher) -> None:
    mail = due_mail()

    outcomes = await deliver([mail], settings_for(mailcatcher, "none"))

    assert outcomes[mail.id] == Sent()
    assert len(mailcatcher.store) == 1
