"""An SMTP server that keeps every message in memory, with a Mailpit-compatible API and an inbox.

Run it with `python -m devtools.mailcatcher`, or in-process with `start_mailcatcher`.
"""

from devtools.mailcatcher.catcher import MailCatcher, start_mailcatcher
from devtools.mailcatcher.smtp import SmtpServer
from devtools.mailcatcher.store import MailStore, StoredMessage

__all__ = ["MailCatcher", "MailStore", "SmtpServer", "StoredMessage", "start_mailcatcher"]
