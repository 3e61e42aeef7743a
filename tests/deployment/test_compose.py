"""docker-compose.yml and its development override cannot run here; these tests keep them true
to the code instead, and read them as compose would, with the variables filled in."""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml

from devtools.broker_definitions import broker_users, render
from devtools.run import environment_of
from devtools.system import (
    FILES_DATABASE,
    FIRST_INSTANCE,
    INBOX_PORT,
    PEPPOL_AP_PORT,
    SERVICES,
    SMTP_PORT,
    WEB_PORT,
    Service,
)
from shared.settings import DEVELOPMENT_SECRET, MINIMUM_SECRET_BYTES, sensitive_settings

ROOT = Path(__file__).parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DEVELOPMENT = yaml.safe_load((ROOT / "docker-compose.dev.yml").read_text())
DEVELOPMENT_ENV = dict(
    line.split("=", 1)
    for line in (ROOT / "deploy" / "development.env").read_text().splitlines()
    if line and not line.startswith("#")
)
INIT_SQL = (ROOT / "deploy" / "postgres-init.sql").read_text()
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text()
BROKER_START = (ROOT / "deploy" / "rabbitmq" / "start.sh").read_text()
VARIABLE = re.compile(r"\$\{(\w+)(?:(:[?-])([^}]*))?\}")
# Variables with a default in the production file: none of them a secret.
DEFAULTED = {"PORTAL_SMTP_TLS"}
# Each database the init makes, by the name its password variable takes, with its owner: each
# service's, and the file store's that the services on the send path share.
DATABASES = {s.name: s.database for s in SERVICES if s.database} | {"files": FILES_DATABASE}
FILES_URL = (
    f"postgresql://{FILES_DATABASE}:${{PORTAL_FILES_DATABASE_PASSWORD:?set "
    f"PORTAL_FILES_DATABASE_PASSWORD}}@postgres:5432/{FILES_DATABASE}"
)


def variable(name: str) -> str:
    return f"PORTAL_{name.upper()}"


def strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return [node] if isinstance(node, str) else []


def interpolated(node: Any, env: dict[str, str]) -> Any:
    """`node` with ${VAR}, ${VAR:-default} and ${VAR:?message} filled in from `env`, as compose
    does; a missing ${VAR:?} fails as compose refuses to start."""

    def fill(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        if env.get(name):
            return env[name]
        if kind == ":?":
            raise LookupError(f"compose refuses to start: {rest}")
        return rest if kind == ":-" else ""

    if isinstance(node, dict):
        return {key: interpolated(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolated(value, env) for value in node]
    return VARIABLE.sub(fill, node) if isinstance(node, str) else node


def merged(base: Any, override: Any) -> Any:
    """`docker compose -f base -f override`: mappings merge key by key, lists add up."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {
            k: merged(base[k], override[k])
            if k in base and k in override
            else override.get(k, base.get(k))
            for k in base | override
        }
    if isinstance(base, list) and isinstance(override, list):
        return base + override
    return override


def required_variables(*files: Any) -> set[str]:
    return {m[0] for f in files for s in strings(f) for m in VARIABLE.findall(s) if m[1] == ":?"}


def settings_of(service: Service, environment: dict[str, str]) -> Any:
    """The service's settings read from `environment` alone, as the service reads them."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("PORTAL_")]:
            patch.delenv(name)
        for name, value in environment.items():
            patch.setenv(name, value)
        return service.settings()


def published_ports(compose: dict[str, Any]) -> dict[str, list[str]]:
    return {name: entry["ports"] for name, entry in compose["services"].items() if "ports" in entry}


def test_every_service_package_is_in_the_system_table() -> None:
    packages = {p.parent.name for p in (ROOT / "services").glob("*/__main__.py")}
    assert packages == {s.name for s in SERVICES}


def test_the_infrastructure_is_there_with_health_checks() -> None:
    for name in ("postgres", "rabbitmq"):
        assert "healthcheck" in COMPOSE["services"][name], name


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
    secrets_ = {variable(n) for n, s in sensitive_settings(service.settings).items() if s.ours}
    assert secrets_ <= set(environment)
    for name in secrets_:
        assert re.fullmatch(r"\$\{PORTAL_\w+:\?.+\}", environment[name]), (
            "secrets come from outside"
        )
    assert environment["PORTAL_ENVIRONMENT"] == "production"


# Production: no catcher, no management port, no default credential, TLS in front.


def test_production_has_no_mail_catcher_and_publishes_nothing_but_the_proxy() -> None:
    text = (ROOT / "docker-compose.yml").read_text().lower()
    assert not {"mailpit", "mailhog", "mailcatcher"} & set(COMPOSE["services"])
    assert "mailpit" not in text and "1025" not in text
    assert "management" not in COMPOSE["services"]["rabbitmq"]["image"]
    assert "15672" not in text
    assert set(published_ports(COMPOSE)) == {"caddy"}
    assert COMPOSE["services"]["caddy"]["ports"] == ["80:80", "443:443", "443:443/udp"]


def test_production_has_no_default_secret_and_every_credential_comes_from_outside() -> None:
    for text in strings(COMPOSE):
        for name, kind, _ in VARIABLE.findall(text):
            assert kind == ":?" or name in DEFAULTED, f"{name} has a default in {text}"
        # A password in a URL is a variable, never written down.
        for password in re.findall(r"://[^:/@]+:([^@]+)@", text):
            assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", password), text
    for entry in COMPOSE["services"].values():
        for key, value in entry.get("environment", {}).items():
            if re.search(r"SECRET|PASSWORD", key):
                assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", value), key
    assert DEVELOPMENT_SECRET not in (ROOT / "docker-compose.yml").read_text()
    assert not (DEFAULTED & required_variables(COMPOSE))


def test_compose_refuses_to_start_without_each_credential() -> None:
    env = {name: secrets.token_hex(24) for name in required_variables(COMPOSE)}
    interpolated(COMPOSE, env)
    for name in env:
        with pytest.raises(LookupError):
            interpolated(COMPOSE, {k: v for k, v in env.items() if k != name})


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_accepts_its_production_settings(service: Service) -> None:
    env = {name: secrets.token_hex(24) for name in required_variables(COMPOSE)}
    env["PORTAL_SMTP_PORT"] = "587"
    composed = interpolated(COMPOSE, env)["services"][service.name]["environment"]
    settings = settings_of(service, composed)
    assert settings.environment == "production"
    assert settings.host == "0.0.0.0"  # noqa: S104


def test_each_service_has_a_database_role_and_a_broker_user_of_its_own() -> None:
    passwords = {}
    for service in SERVICES:
        environment = COMPOSE["services"][service.name]["environment"]
        if service.database:
            url = environment["PORTAL_DATABASE_URL"]
            name = service.name.upper()
            assert url == (
                f"postgresql://{service.database}:${{PORTAL_{name}_DATABASE_PASSWORD:?set "
                f"PORTAL_{name}_DATABASE_PASSWORD}}@postgres:5432/{service.database}"
            )
            passwords[service.database] = f"PORTAL_{name}_DATABASE_PASSWORD"
        if service.uses_files:
            assert environment["PORTAL_FILES_URL"] == FILES_URL
            passwords[FILES_DATABASE] = "PORTAL_FILES_DATABASE_PASSWORD"
        else:
            assert "PORTAL_FILES_URL" not in environment
        if service.name in broker_users():
            url = environment["PORTAL_AMQP_URL"]
            assert url.startswith(f"amqp://{service.name}:${{PORTAL_{service.name.upper()}_AMQP_")
            passwords[service.name] = f"PORTAL_{service.name.upper()}_AMQP_PASSWORD"
        else:
            assert "PORTAL_AMQP_URL" not in environment
    assert len(set(passwords.values())) == len(passwords)
    postgres = COMPOSE["services"]["postgres"]["environment"]
    rabbitmq = COMPOSE["services"]["rabbitmq"]["environment"]
    for password in passwords.values():
        assert f"${{{password}:?" in (postgres | rabbitmq)[password]


@pytest.mark.parametrize(("name", "role"), DATABASES.items(), ids=list(DATABASES))
def test_the_database_init_reads_each_password_from_the_environment(name: str, role: str) -> None:
    assert f"\\getenv {name}_password PORTAL_{name.upper()}_DATABASE_PASSWORD" in INIT_SQL
    assert f"SELECT pg_temp.create_login('{role}', :'{name}_password');" in INIT_SQL
    assert f"CREATE DATABASE {role} OWNER {role};" in INIT_SQL
    assert "PASSWORD '" not in INIT_SQL
    # The init refuses a password that is short or the role's own name.
    assert "length(password) < 16 OR password = role" in INIT_SQL


def test_the_broker_definitions_are_the_codes() -> None:
    definitions = ROOT / "deploy" / "rabbitmq" / "definitions.json"
    assert definitions.read_text() == render(), "python -m devtools.broker_definitions"
    assert "users" not in json.loads(definitions.read_text()), "passwords come from outside"
    listed = re.search(r"^SERVICES=\((.*)\)$", BROKER_START, re.M)
    assert listed and sorted(listed.group(1).split()) == broker_users()
    assert "delete_user guest" in BROKER_START


def test_the_proxy_passes_on_the_pages_and_the_buyer_api_alone() -> None:
    targets = re.findall(r"reverse_proxy\s+(\S+)", CADDYFILE)
    web = next(s for s in SERVICES if s.name == "web")
    invoice = next(s for s in SERVICES if s.name == "invoice")
    assert sorted(targets) == sorted([f"invoice:{invoice.port}", f"web:{web.port}"])
    buyer_api = re.search(r"handle /v1/buyer/\* \{\s*reverse_proxy (\S+)\s*\}", CADDYFILE)
    assert buyer_api and buyer_api.group(1) == f"invoice:{invoice.port}"
    caddy = COMPOSE["services"]["caddy"]
    address = caddy["networks"]["portal"]["ipv4_address"]
    trusted = json.loads(COMPOSE["services"]["web"]["environment"]["PORTAL_TRUSTED_PROXIES"])
    assert trusted == [address]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_dependencies_wait_until_healthy(service: Service) -> None:
    entry = COMPOSE["services"][service.name]
    depends = entry.get("depends_on", {})
    assert all(d["condition"] == "service_healthy" for d in depends.values())
    if service.database:
        assert {"postgres", "rabbitmq"} <= set(depends)
    for key, value in entry["environment"].items():
        if key.endswith("_URL") and "://" in str(value):
            host = str(value).split("://")[1].split("@")[-1].split(":")[0].split("/")[0]
            if host in COMPOSE["services"]:
                # Two services that call each other cannot both wait: one direction must.
                waits_for_us = service.name in COMPOSE["services"][host].get("depends_on", {})
                assert host in depends or waits_for_us, (
                    f"{service.name} calls {host} ({key}) unordered"
                )


# Development: the override runs what scripts/start runs.


def development_compose() -> dict[str, Any]:
    both = merged(COMPOSE, DEVELOPMENT)
    return interpolated(both, DEVELOPMENT_ENV)  # type: ignore[no-any-return]


def test_the_development_override_adds_the_inbox_and_the_management_ui_on_loopback() -> None:
    compose = development_compose()
    assert "healthcheck" in compose["services"]["mailpit"]
    assert "management" in compose["services"]["rabbitmq"]["image"]
    assert published_ports(compose) == {
        "caddy": ["80:80", "443:443", "443:443/udp"],
        "mailpit": [f"127.0.0.1:{INBOX_PORT}:{INBOX_PORT}"],
        "peppol-access-point": [f"127.0.0.1:{PEPPOL_AP_PORT}:{PEPPOL_AP_PORT}"],
        "rabbitmq": ["127.0.0.1:15672:15672"],
        "web": [f"127.0.0.1:{WEB_PORT}:{WEB_PORT}"],
    }
    notifier = compose["services"]["notifier"]
    assert notifier["environment"]["PORTAL_SMTP_HOST"] == "mailpit"
    assert notifier["environment"]["PORTAL_SMTP_PORT"] == str(SMTP_PORT)
    assert notifier["depends_on"]["mailpit"] == {"condition": "service_healthy"}
    # The stand-in access point takes the notifier's token, as scripts/start's does.
    access_point = compose["services"]["peppol-access-point"]
    assert "healthcheck" in access_point
    assert notifier["environment"]["PORTAL_PEPPOL_AP_URL"] == (
        f"http://peppol-access-point:{PEPPOL_AP_PORT}"
    )
    token = notifier["environment"]["PORTAL_PEPPOL_AP_TOKEN"]
    assert f"--token={token}" in access_point["command"]
    assert notifier["depends_on"]["peppol-access-point"] == {"condition": "service_healthy"}


def test_the_development_secrets_fill_every_variable_and_none_is_the_published_default() -> None:
    assert required_variables(COMPOSE, DEVELOPMENT) <= set(DEVELOPMENT_ENV)
    for name, value in DEVELOPMENT_ENV.items():
        if "SECRET" in name:
            assert len(value) >= MINIMUM_SECRET_BYTES and value != DEVELOPMENT_SECRET, name


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_the_development_override_runs_each_service_as_the_local_run_does(
    service: Service,
) -> None:
    composed = development_compose()["services"][service.name]["environment"]
    local = {
        k: v for k, v in environment_of(service, "127.0.0.1").items() if k.startswith("PORTAL_")
    }
    assert composed["PORTAL_ENVIRONMENT"] == local["PORTAL_ENVIRONMENT"] == "development"
    assert composed.get("PORTAL_SMTP_TLS") == local.get("PORTAL_SMTP_TLS")
    # Development in a container listens beyond loopback: only long, unpublished secrets will do.
    assert settings_of(service, composed).environment == "development"


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_the_local_run_command_wires_each_service_with_valid_settings(service: Service) -> None:
    environment = {
        k: v for k, v in environment_of(service, "127.0.0.1").items() if k.startswith("PORTAL_")
    }
    settings = settings_of(service, environment)
    assert settings.port == service.port
    if service.uses_files:
        assert settings.files_url == FIRST_INSTANCE.files_url()
    else:
        assert "PORTAL_FILES_URL" not in environment
