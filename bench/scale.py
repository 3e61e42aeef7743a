"""The invoice list at scale: one supplier's 100,000 invoices among 1,000,000, through the API.

The invoice service creates its own fresh database with its migrations; the bench then seeds it
with `INSERT … SELECT generate_series` (ten suppliers, a few dozen buyers shared between them,
numbers, statuses and dates spread over six years), vacuums and analyses it, as autovacuum would
have done on a table that old, and asks `GET /v1/me/invoices` as the measured supplier: the first
page, deep pages (200, the middle, the last), a number prefix, a customer-name substring and
status filters, each many times in a row and then at a few concurrent clients. `--quick` seeds a
tenth of the rows (100,000; 10,000 of the measured supplier) and makes half the requests.

Baseline in the same run: the same request of a second supplier that has 25 invoices (one page)
in the same database. Both go through the same HTTP, session, JSON and query path, so the ratio
is what the 100,000 rows cost and nothing else.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
import asyncpg

from bench.infra import deployed
from bench.stats import Row, against, summarise
from tests.invoice.conftest import Supplier, connected_supplier

P95_LIMIT_MS = 20.0
SUPPLIERS = 10
CLIENTS = 4

# A few dozen buyers, shared between the suppliers as public buyers are; the first ones are
# invoiced most often.
BUYERS = (
    "Trafikverket",
    "Infranord AB",
    "Region Stockholm",
    "Göteborgs Stad",
    "Stockholms stad",
    "Malmö stad",
    "Västerås stad",
    "Uppsala kommun",
    "Kiruna kommun",
    "Luleå kommun",
    "Skanska Sverige AB",
    "NCC Sverige AB",
    "Peab Sverige AB",
    "Svevia AB",
    "Jernhusen AB",
    "SJ AB",
    "Green Cargo AB",
    "Region Skåne",
    "Västtrafik AB",
    "Storstockholms Lokaltrafik",
    "LKAB",
    "Vattenfall AB",
    "Region Norrbotten",
    "Örebro kommun",
    "Linköpings kommun",
    "Helsingborgs stad",
    "Sundsvalls kommun",
    "Umeå kommun",
    "Gävle kommun",
    "Jönköpings kommun",
    "Norrköpings kommun",
    "Eskilstuna kommun",
    "Banedanmark",
    "Bane NOR SF",
    "Arlandabanan Infrastructure AB",
    "Inlandsbanan AB",
    "Trafikförvaltningen Region Stockholm",
    "Akademiska Hus AB",
    "Specialfastigheter Sverige AB",
    "Fortifikationsverket",
)

# The stored draft form: the size of a real one with two lines and a charge, the same for every row
# since the list never reads it.
FORM = """{"buyer_id": null, "number": "", "issue_date": "2024-05-02", "due_date": "2024-06-01",
 "currency": "SEK", "buyer_order_number": "AO1234567", "payment_reference": "1234567897",
 "buyer_reference": "AB12", "contact_person": "Olle Ström", "note": null,
 "lines": [{"article_id": "SP-1", "description": "Spårarbete", "quantity": "3", "unit": "HUR",
            "unit_price": "850.00", "vat_rate": "25", "vat_category": "S"},
           {"article_id": "M-7", "description": "Slipers", "quantity": "12", "unit": "H87",
            "unit_price": "199.99", "vat_rate": "25", "vat_category": "S"}],
 "charges": [{"description": "Frakt", "amount": "450.00", "vat_rate": "25", "vat_category": "S"}]}"""
TOTALS = """{"net": "4949.88", "charges": "450.00", "tax_exclusive": "5399.88", "tax": "1349.97",
 "payable": "6749.85"}"""

# Row g is invoice i (from 0, oldest first) of supplier s (from 0): created about every half hour
# back over six years, numbered 100001… in that order; the suppliers' rows interleave in the table
# as they would when written over time. Statuses: 90 % delivered, 3 % sent,
# 1 % failed, 6 % drafts (half of them not yet numbered). Buyers: a skewed pick (random()² favours
# the first) of the shared BUYERS, rotated per supplier. $1 suppliers, $2 invoices per supplier,
# $3 buyer names, $4 form, $5 totals.
SEED = """
INSERT INTO invoices (id, supplier_id, buyer_id, kind, number, status, status_reason, form,
                      totals, buyer_name, payable, currency, created_at, updated_at, sent_at,
                      delivered_at)
SELECT gen_random_uuid(), ($1::uuid[])[s + 1], md5('buyer' || buyer)::uuid,
       CASE WHEN pick < 0.02 THEN 'credit_note' ELSE 'invoice' END,
       CASE WHEN status = 'draft' AND pick < 0.5 THEN '' ELSE (100001 + i)::text END,
       status, CASE WHEN status = 'failed' THEN 'The buyer''s access point refused it' END,
       $4::jsonb, $5::jsonb, ($3::text[])[buyer + 1], round((100 + pick * 99900)::numeric, 2),
       'SEK', created_at, created_at, CASE WHEN status <> 'draft' THEN created_at END,
       CASE WHEN status = 'delivered' THEN created_at + interval '2 minutes' END
FROM (
    SELECT s, i, pick,
           (floor(array_length($3::text[], 1) * random() ^ 2)::int + 3 * s)
               % array_length($3::text[], 1) AS buyer,
           CASE WHEN r < 0.90 THEN 'delivered' WHEN r < 0.93 THEN 'sent'
                WHEN r < 0.94 THEN 'failed' ELSE 'draft' END AS status,
           now() - interval '1 minute' * (($2 - i) * 3153600.0 / $2 - pick * 10) AS created_at
    FROM (SELECT g % array_length($1::uuid[], 1) AS s, g / array_length($1::uuid[], 1) AS i,
                 random() AS r, random() AS pick
          FROM generate_series(0, array_length($1::uuid[], 1) * $2 - 1) g) numbered
) invoice
"""


@dataclass(frozen=True)
class Case:
    name: str
    query: dict[str, str]


def cases(per_supplier: int) -> list[Case]:
    """What a supplier asks of the list; numbers run from 100001, so "1012" starts a hundred."""
    last = -(-per_supplier // 25)
    return [
        Case("first page", {}),
        Case("page 200", {"page": "200"}),
        # The list is read from its nearer end, so the middle is the deepest page.
        Case(f"middle page ({last // 2})", {"page": str(last // 2)}),
        Case(f"last page ({last})", {"page": str(last)}),
        Case("number prefix q=1012", {"q": "1012"}),
        Case("customer q=stad", {"q": "stad"}),
        Case("status=failed", {"status": "failed"}),
        Case("status=delivered, page 2", {"status": "delivered", "page": "2"}),
        Case("customer q=stad, status=sent", {"q": "stad", "status": "sent"}),
        # Not what a search is for, but what one keystroke gives: every numbered invoice matches.
        Case("number prefix q=1 (all)", {"q": "1"}),
    ]


async def company_of(supplier: Supplier) -> uuid.UUID:
    status, context = await supplier.call("GET", "/v1/me/invoice-form")
    if status != 200:
        raise RuntimeError(f"the invoice form answered {status}")
    return uuid.UUID(context["supplier"]["company_id"])


async def seed(dsn: str, measured: uuid.UUID, baseline: uuid.UUID, per_supplier: int) -> float:
    """The measured supplier and SUPPLIERS - 1 others with `per_supplier` invoices each, the
    baseline supplier with one page; vacuumed and analysed. Returns the seconds it took."""
    started = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        others = [uuid.uuid4() for _ in range(SUPPLIERS - 1)]
        # The same rows in every run.
        await conn.execute("SELECT setseed(0.2024)")
        await conn.execute(SEED, [measured, *others], per_supplier, list(BUYERS), FORM, TOTALS)
        await conn.execute(SEED, [baseline], 25, list(BUYERS), FORM, TOTALS)
        await conn.execute("VACUUM (ANALYZE) invoices")
        await conn.execute("VACUUM (ANALYZE) invoice_counts")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def timed(http: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    async with http.get(url, headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


async def requests(
    http: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    count: int,
    clients: int = 1,
) -> list[float]:
    """Latencies (ms) of `count` requests, made by `clients` clients each waiting for its answer."""
    latencies: list[float] = []

    async def client(share: int) -> None:
        for _ in range(share):
            latencies.append(await timed(http, url, headers))

    await asyncio.gather(*(client(count // clients) for _ in range(clients)))
    return latencies


async def run(quick: bool) -> list[Row]:
    per_supplier, count, rounds = (10_000, 100, 1) if quick else (100_000, 200, 4)
    async with deployed("identity", "company", "notifier", "invoice") as deployment:
        invoice_url = deployment.url("invoice") + "/v1/me/invoices"
        async with aiohttp.ClientSession() as http:
            measured = await connected_supplier(deployment.system, http)
            baseline = await connected_supplier(deployment.system, http)
            seconds = await seed(
                deployment.databases["invoice"],
                await company_of(measured),
                await company_of(baseline),
                per_supplier,
            )
            load = os.getloadavg()
            listed = {case.name: case for case in cases(per_supplier)}
            urls = {"baseline": invoice_url} | {
                name: f"{invoice_url}?{urlencode(case.query)}" for name, case in listed.items()
            }
            tokens = {"baseline": baseline.token} | {name: measured.token for name in listed}
            totals: dict[str, int] = {}
            for name, url in urls.items():
                headers = {"Authorization": f"Bearer {tokens[name]}"}
                async with http.get(url, headers=headers) as response:
                    page = await response.json()
                    if response.status != 200 or not page["invoices"]:
                        raise RuntimeError(f"{url} answered {response.status}: {page}")
                    totals[name] = page["total"]
            results: dict[tuple[str, int], list[float]] = {}
            # Rounds take turns between the cases, so that a noisy neighbour hits all of them.
            for clients in (1, CLIENTS):
                for _ in range(rounds):
                    for name, url in urls.items():
                        headers = {"Authorization": f"Bearer {tokens[name]}"}
                        results.setdefault((name, clients), [])
                        results[(name, clients)] += await requests(
                            http, url, headers, count // rounds, clients
                        )
    rows: list[Row] = []
    for clients in (1, CLIENTS):
        case = "sequential" if clients == 1 else f"{clients} clients"
        base = summarise(
            "scale", case, "baseline: 25 invoices", "ms", results[("baseline", clients)]
        )
        rows.append(against(base, base))
        for name in listed:
            row = summarise("scale", case, name, "ms", results[(name, clients)])
            against(row, base)
            row.target = f"p95 < {P95_LIMIT_MS:g} ms"
            row.met = row.p95 < P95_LIMIT_MS
            row.note = f"{totals[name]} match"
            rows.append(row)
    rows[0].note = (
        f"{SUPPLIERS * per_supplier + 25:,} invoices, the measured supplier's {per_supplier:,}; "
        f"seeded, vacuumed and analysed in {seconds:.0f} s; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before measuring"
        + ("; quick: a tenth of the rows" if quick else "")
    )
    return rows
