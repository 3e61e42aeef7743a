"""Prometheus metrics, one registry per application."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Histogram(
            "portal_http_request_seconds",
            "HTTP requests by route and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.events_published = Counter(
            "portal_events_published", "Events published from the outbox.", registry=self.registry
        )
        self.events_consumed = Counter(
            "portal_events_consumed",
            "Events handled by a consumer, by outcome.",
            ["consumer", "type", "outcome"],
            registry=self.registry,
        )
        self.events_dead_lettered = Counter(
            "portal_events_dead_lettered",
            "Messages sent to a dead-letter queue.",
            ["consumer", "reason"],
            registry=self.registry,
        )
        self.mails_sent = Counter(
            "portal_mails_sent", "E-mails accepted by the SMTP server.", registry=self.registry
        )
