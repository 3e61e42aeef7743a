"""What one more instance of a service adds to the end-to-end pipeline's throughput.

The pipeline and the timing are the e2e benchmark's (`bench.e2e.deliver`): invoices per second
from Skicka to the last buyer e-mail. The baseline is one instance of each service; each variant
starts one more process of one service (`Deployment.add_instance`: the same database and queues,
so the instances compete for the same messages, outbox rows and pending mails), sends a few
invoices untimed so that it is warm, times the same number of invoices as the baseline, and stops
it again. A second invoice instance also answers half of the supplier's requests, as behind a
load balancer; a second renderer brings its own pool of as many worker processes. The variants
take turns within each round.
"""

from __future__ import annotations

import statistics

import aiohttp

from bench.e2e import (
    PIPELINE,
    REST,
    WORKERS,
    Delivery,
    deliver,
    suppliers_per_instance,
    worker_settings,
)
from bench.infra import deployed
from bench.renderer import idle_workers
from bench.stats import Row, against, summarise
from tests.invoice.conftest import connected_supplier
from tests.reliability.pipeline import MailIndex

BASELINE = "1 of each"
VARIANTS: dict[str, tuple[str, ...]] = {
    BASELINE: (),
    "+1 renderer": ("renderer",),
    "+1 notifier": ("notifier",),
    "+1 invoice": ("invoice",),
}


async def run(quick: bool) -> list[Row]:
    # Quick: no warm-up, so that all four variants fit in well under a minute.
    count, rounds, warm = (8, 1, 0) if quick else (100, 3, 8)
    measured: dict[str, list[Delivery]] = {variant: [] for variant in VARIANTS}
    async with (
        deployed(*PIPELINE, settings=worker_settings()) as deployment,
        aiohttp.ClientSession() as http,
    ):
        supplier = await connected_supplier(deployment.system, http)
        mail = MailIndex(deployment.mail.store)
        for _ in range(rounds):
            for variant, services in VARIANTS.items():
                added = [await deployment.add_instance(service) for service in services]
                try:
                    for instance in added:
                        if instance.name == "renderer" and instance.pid is not None:
                            await idle_workers(instance.pid, WORKERS)
                    suppliers = suppliers_per_instance(deployment, supplier)
                    if warm:
                        await deliver(deployment, suppliers, warm * (1 + len(added)), mail)
                    measured[variant].append(await deliver(deployment, suppliers, count, mail))
                finally:
                    for instance in added:
                        await deployment.remove_instance(instance)
    base = row(count, BASELINE, measured[BASELINE])
    rows = [against(row(count, v, d), base) for v, d in measured.items() if v != BASELINE]
    return [*rows, against(base, base)]


def row(count: int, variant: str, deliveries: list[Delivery]) -> Row:
    """The rates, and in the note what tells a real difference from the machine's noise."""
    legs = [d.legs["rendered → delivered"] for d in deliveries]
    note = (
        "pipeline CPU "
        + ", ".join(f"{1000 * d.pipeline_cpu:.0f}" for d in deliveries)
        + " ms/invoice; rendered → delivered median "
        + ", ".join(f"{statistics.median(values):.1f}" for values in legs)
        + " s; rest of the machine busy on "
        + ", ".join(f"{d.cpu[REST] / d.seconds:.2f}" for d in deliveries)
        + " CPUs"
    )
    return summarise(
        "replicas", f"{count} invoices", variant, "invoices/s", [d.rate for d in deliveries], note
    )
