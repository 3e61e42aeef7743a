"""A service given several broker addresses uses the first that answers; one address as before.

Moving to the next node when the one in use goes away is shown on a real three-node cluster by
the fault scenario `tests/reliability/test_rabbitmq_cluster.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from aio_pika.exceptions import DeliveryError
from aiohttp.test_utils import unused_port

from shared.broker import Broker
from shared.events.identity import UserRegistered
from shared.settings import ServiceSettings
from tests.conftest import AMQP_URL


def test_the_addresses_are_a_comma_separated_list_or_the_one_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_AMQP_URL", "amqp://company:pw@lone/")
    assert ServiceSettings(environment="development").broker_addresses == [
        "amqp://company:pw@lone/"
    ]
    monkeypatch.setenv("PORTAL_AMQP_URLS", "amqp://company:pw@a/, amqp://company:pw@b/,")
    settings = ServiceSettings(environment="development")
    assert settings.broker_addresses == ["amqp://company:pw@a/", "amqp://company:pw@b/"]
    assert settings.broker_user("invoice") == "invoice"


async def test_the_first_address_that_answers_is_used(
    make_amqp_prefix: Callable[[], str],
) -> None:
    nobody = f"amqp://guest:guest@127.0.0.1:{unused_port()}/"
    broker = await Broker.connect([nobody, AMQP_URL], make_amqp_prefix())
    try:
        # Waits for the broker's confirmation.
        await broker.publish(UserRegistered.routing_key(), b"{}", uuid.uuid4())
        connected_to = str(broker.connection)
    finally:
        await broker.close()
    assert connected_to.endswith(AMQP_URL.rsplit("@", 1)[1])


async def test_a_refused_publish_is_retried_on_a_new_channel(
    make_amqp_prefix: Callable[[], str],
) -> None:
    """A channel refused by a quorum queue can stay refused (one whose node stopped under it,
    shown by the cluster scenario); here a full queue refuses, and the publisher moves on."""
    prefix = make_amqp_prefix()
    broker = await Broker.connect(AMQP_URL, prefix)
    try:
        full = await broker.channel.declare_queue(
            prefix + "full",
            durable=True,
            arguments={"x-queue-type": "quorum", "x-max-length": 1, "x-overflow": "reject-publish"},
        )
        await full.bind(broker.exchange, routing_key="full")
        refused_on = broker.channel
        # A quorum queue learns it is full once a publish is applied: it may take one more.
        with pytest.raises(DeliveryError):
            for _ in range(10):
                await broker.publish("full", b"{}", uuid.uuid4())
        assert broker.channel is not refused_on and refused_on.is_closed
        emptied = await broker.channel.declare_queue(full.name, passive=True)
        await emptied.purge()
        await broker.publish("full", b"{}", uuid.uuid4())
        await emptied.delete(if_unused=False, if_empty=False)
    finally:
        await broker.close()
