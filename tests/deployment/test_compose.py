"""docker-compose.yml cannot run here; these tests keep it true to the code instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from devtools.run import environment_of
from devtools.system import SERVICES, Service

ROOT = Path(__file__).parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
INIT_SQL = (ROOT / "deploy" / "postgres-init.sql").read_text()


def variable(name: str) -> str:
    return f"PORTAL_{name.upper()}"


def test_every_service_package_is_in_the_system_table() -> None:
    packages = {p.parent.name for p in (ROOT / "services").glob("*/__main__.py")}
    assert packages == {s.name for s in SERVICES}


def test_the_infrastructure_is_there_with_health_checks() -> None:
    for name in ("postgres", "rabbitmq", "mailpit"):
        assert "healthcheck" in COMPOSE["services"][name], name
    assert "management" in COMPOSE["services"]["rabbitmq"]["image"]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_runs_its_module_with_a_health_check(service: Service) -> None:
    entry = COMPOSE["services"][service.name]
    assert entry["command"] == ["python", "-m", service.module]
    assert f":{service.port}/healthz" in " ".join(entry["healthcheck"]["test"])
    assert entry["environment"]["PORTAL_PORT"] == str(service.port)


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_variable_is_a_setting_and_every_secret_is_set(service: Service) -> None:
    environment = COMPOSE["services"][service.name]["environment"]
    fields = {variable(name) for name in service.settings.model_fields}
    assert set(environment) <= fields, set(environment) - fields
    secrets = {variable(n) for n in service.settings.model_fields if n.endswith("secret")}
    assert secrets <= set(environment)
    for name in secrets:
        assert re.fullmatch(r"\$\{PORTAL_\w+:\?.+\}", environment[name]), (
            "secrets come from outside"
        )
    assert environment["PORTAL_ENVIRONMENT"] == "production"


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_dependencies_wait_until_healthy(service: Service) -> None:
    entry = COMPOSE["services"][service.name]
    depends = entry.get("depends_on", {})
    assert all(d["condition"] == "service_healthy" for d in depends.values())
    if service.database:
        assert {"postgres", "rabbitmq"} <= set(depends)
        url = entry["environment"]["PORTAL_DATABASE_URL"]
        assert url.endswith(f"@postgres:5432/{service.database}")
        assert f"CREATE DATABASE {service.database} OWNER {service.database};" in INIT_SQL
    for key, value in entry["environment"].items():
        if key.endswith("_URL") and "://" in str(value):
            host = str(value).split("://")[1].split("@")[-1].split(":")[0].split("/")[0]
            if host in COMPOSE["services"]:
                # Two services that call each other cannot both wait: one direction must.
                waits_for_us = service.name in COMPOSE["services"][host].get("depends_on", {})
                assert host in depends or waits_for_us, (
                    f"{service.name} calls {host} ({key}) unordered"
                )


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_the_local_run_command_wires_each_service_with_valid_settings(service: Service) -> None:
    environment = {
        k: v for k, v in environment_of(service, "127.0.0.1").items() if k.startswith("PORTAL_")
    }
    settings = service.settings(
        **{k.removeprefix("PORTAL_").lower(): v for k, v in environment.items()}
    )
    assert settings.port == service.port
