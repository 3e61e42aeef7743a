"""How long a login waits after failed ones, as plain numbers: the rule `wait` and its keys.

Failures count per (account, address), per address and per account. From one address, an
account gets a few free mistakes and then a delay that doubles with each failure; an address
guessing many accounts likewise. Failures on one account from everywhere never lock it: they
ask for a captcha, so its owner, at its own address, still logs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(hours=1)
FIRST_DELAY = timedelta(seconds=5)
LONGEST_DELAY = timedelta(minutes=15)
FREE_FAILURES_PER_PAIR = 3  # the owner mistyping
FREE_FAILURES_PER_ADDRESS = 20  # an office behind one address, mistyping across its accounts
CAPTCHA_AFTER_ACCOUNT_FAILURES = 10


@dataclass(frozen=True)
class LoginKeys:
    """What a login's failures count against; no address when the caller can't vouch for one."""

    account: str
    pair: str
    address: str | None

    def all(self) -> list[str]:
        return [self.account, self.pair] + ([self.address] if self.address else [])

    def delayed(self) -> list[tuple[str, int]]:
        """The keys that wait after failures, each with its free failures."""
        delayed = [(self.pair, FREE_FAILURES_PER_PAIR)]
        return delayed + ([(self.address, FREE_FAILURES_PER_ADDRESS)] if self.address else [])


def login_keys(email: str, client_ip: str) -> LoginKeys:
    return LoginKeys(
        account=f"account:{email}",
        pair=f"pair:{email}|{client_ip}",
        address=f"address:{client_ip}" if client_ip else None,
    )


def wait(failures: int, free: int, latest: datetime | None, now: datetime) -> timedelta:
    """How much longer the next attempt must wait: none for the first `free` failures, then a
    delay after the latest failure that starts at FIRST_DELAY and doubles, up to LONGEST_DELAY."""
    if failures < free or latest is None:
        return timedelta()
    delay = min(LONGEST_DELAY, FIRST_DELAY * (1 << min(failures - free, 20)))
    return max(timedelta(), latest + delay - now)
