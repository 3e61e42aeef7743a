"""The operator's command line against the running services, as an operator runs it: every
command the README shows and every command `portal --help` lists, each checked by its effect."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import unused_port

from tests.conftest import AMQP_URL
from tests.invoice.conftest import valid_orgnr
from tests.system import OPERATOR_SECRET, System

REPO = Path(__file__).parents[2]
PORTAL = Path(sys.executable).parent / "portal"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


@dataclass
class Operator:
    """Runs `portal` in a process of its own, configured for this system through the environment."""

    system: System
    http: aiohttp.ClientSession
    language: str = "en"
    ran: set[tuple[str, ...]] = field(default_factory=set)

    async def portal(self, *words: str, **environment: str) -> Ran:
        env = os.environ | {
            "PORTAL_COMPANY_URL": self.system.company_url,
            "PORTAL_INVOICE_URL": self.system.invoice_url,
            "PORTAL_OPERATOR_SECRET": OPERATOR_SECRET,
            "PORTAL_LANGUAGE": self.language,
        }
        process = await asyncio.create_subprocess_exec(
            str(PORTAL),
            *words,
            cwd=REPO,
            env=env | environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        ran = Ran(process.returncode or 0, out.decode(), err.decode())
        assert "Traceback" not in ran.err, ran.err
        if not any(w.startswith("-") for w in words[:2]):
            self.ran.add(tuple(words[:2]))
        return ran

    async def succeeds(self, *words: str) -> str:
        ran = await self.portal(*words)
        assert ran.code == 0, ran
        return ran.out

    async def buyers(self) -> list[dict[str, Any]]:
        """The buyers as the company service lists them to an operator."""
        headers = {"Authorization": f"Bearer {OPERATOR_SECRET}"}
        async with self.http.get(self.system.company_url + "/v1/buyers", headers=headers) as r:
            assert r.status == 200
            buyers: list[dict[str, Any]] = await r.json()
            return buyers

    async def received_with(self, key: str) -> int:
        """The status the buyer API answers the key with."""
        headers = {"Authorization": f"Bearer {key}"}
        async with self.http.get(
            self.system.invoice_url + "/v1/buyer/invoices", headers=headers
        ) as r:
            return r.status


def readme_commands() -> list[list[str]]:
    """The `portal` commands the README shows, split as the shell splits them."""
    text = (REPO / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        shlex.split(line)[1:]
        for line in text.splitlines()
        if line.strip().startswith(".venv/bin/portal ")
    ]


def with_values(words: list[str], values: dict[str, str]) -> list[str]:
    """The command with each option in `values` given that value instead."""
    return [
        values.get(words[i - 1], word) if i and words[i - 1].startswith("--") else word
        for i, word in enumerate(words)
    ]


async def listed_commands(operator: Operator) -> set[tuple[str, ...]]:
    """Every command `portal --help` lists, with the commands of each group it lists."""
    commands: set[tuple[str, ...]] = set()
    for group in _choices(await operator.succeeds("--help")):
        commands |= {(group, c) for c in _choices(await operator.succeeds(group, "--help"))}
    return commands


def _choices(help_text: str) -> list[str]:
    """The `{a,b,c}` choices of the usage line."""
    found = re.search(r"\{([a-z,-]+)\}", help_text)
    assert found, help_text
    return found.group(1).split(",")


@pytest.fixture
async def operator(system: System) -> Any:
    async with aiohttp.ClientSession() as http:
        yield Operator(system, http)


async def test_every_documented_and_listed_command_does_what_it_says(
    operator: Operator, system: System
) -> None:
    name = f"Infranord AB {uuid.uuid4().hex[:6]}"
    digits = valid_orgnr(uuid.uuid4().int)
    orgnr = f"{digits[:6]}-{digits[6:]}"  # as the README writes it, and the service keeps it
    supplier_email = f"anna.{uuid.uuid4().hex[:8]}@leverantor.example"
    listed = await listed_commands(operator)
    documented = readme_commands()
    assert [c[:2] for c in documented] == [
        ["buyer", "create"],
        ["buyer", "invite"],
        ["buyer", "key"],
        ["buyer", "user"],
    ]
    create, invite, key, add_user = (
        with_values(c, {"--name": name, "--buyer": name, "--organisation-number": orgnr})
        for c in documented
    )

    created = await operator.succeeds(*create)
    (buyer,) = [b for b in await operator.buyers() if b["name"] == name]
    assert (buyer["organisation_number"], buyer["terms_version"]) == (
        orgnr,
        date.today().isoformat(),
    )
    assert buyer["id"] in created

    assert f"{buyer['id']}  {orgnr}  {name}" in await operator.succeeds("buyer", "list")

    invited = await operator.succeeds(*with_values(invite, {"--email": supplier_email}))
    mail = await system.mail_to(supplier_email, "bjuder in dig")
    link = re.search(r"https?://\S+/register\?invitation=\S+", invited)
    assert link and link.group(0) in mail.html.replace("&amp;", "&"), (invited, mail.html)

    issued = await operator.succeeds(*key)
    first = re.search(r"\blpk_\S{43}\b", issued)
    assert first, issued
    assert await operator.received_with(first.group(0)) == 200

    second = re.search(r"\blpk_\S{43}\b", await operator.succeeds(*key))
    assert second
    key_id = re.search(r"id: ([0-9a-f-]{36})", await operator.succeeds(*key))
    assert key_id
    third = await operator.succeeds("buyer", "key", "--buyer", buyer["id"])
    third_key = re.search(r"\blpk_\S{43}\b", third)
    assert third_key

    await operator.succeeds("buyer", "key", "--revoke", first.group(0)[:12])
    assert await operator.received_with(first.group(0)) == 401
    assert await operator.received_with(second.group(0)) == 200

    await operator.succeeds("buyer", "key", "--revoke", second.group(0))
    assert await operator.received_with(second.group(0)) == 401
    assert await operator.received_with(third_key.group(0)) == 200

    revoked = await operator.succeeds("buyer", "key", "--revoke", key_id.group(1))
    assert key_id.group(1) in revoked
    assert await operator.received_with(third_key.group(0)) == 200

    user_email = f"ekonomi.{uuid.uuid4().hex[:8]}@infranord.example"
    added = await operator.succeeds(*with_values(add_user, {"--email": user_email}))
    mail = await system.mail_to(user_email, f"Inbjudan till {name}")
    link = re.search(r"https?://\S+/register\?invitation=\S+", added)
    assert link and link.group(0) in mail.text, (added, mail.text)
    assert "administratör" in mail.text

    peppol_id = f"0007:{digits}"
    await operator.succeeds(
        "buyer", "channels", "--buyer", name, "--channels", "mail,peppol", "--peppol-id", peppol_id
    )
    (buyer,) = [b for b in await operator.buyers() if b["name"] == name]
    assert (buyer["channels"], buyer["peppol_id"]) == (["mail", "peppol"], peppol_id)

    # The system's queues are quorum queues from the start: nothing to move.
    migrated = await operator.succeeds(
        "broker", "migrate-queues", "--amqp-url", AMQP_URL, "--queue-prefix", system.queue_prefix
    )
    assert migrated == "No queue needed moving.\n"

    assert operator.ran == listed


async def test_mistakes_are_explained_in_swedish_or_english_and_change_nothing(
    operator: Operator, system: System
) -> None:
    unknown = "lpk_" + uuid.uuid4().hex[:8]
    for language, words in (("sv", "Ingen nyckel"), ("en", "No key")):
        operator.language = language
        ran = await operator.portal("buyer", "key", "--revoke", unknown)
        assert (ran.code, ran.out) == (1, ""), ran
        assert words in ran.err, ran.err

    ran = await operator.portal("buyer", "key", "--revoke", "lpk_")
    assert ran.code == 1 and "first eight characters" in ran.err, ran

    operator.language = "sv"
    ran = await operator.portal("buyer", "key", "--buyer", f"Ingen sådan köpare {uuid.uuid4()}")
    assert ran.code == 1 and "portal buyer list" in ran.err, ran

    nowhere = f"http://127.0.0.1:{unused_port()}"
    ran = await operator.portal("buyer", "list", PORTAL_COMPANY_URL=nowhere)
    assert ran.code == 1 and nowhere in ran.err, ran

    ran = await operator.portal("buyer", "list", PORTAL_OPERATOR_SECRET="fel")
    assert ran.code == 1 and ran.err, ran
