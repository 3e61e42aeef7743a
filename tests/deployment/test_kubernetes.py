"""deploy/kubernetes cannot be applied here; these tests read it as `kubectl apply -k` would and
keep it true: Kubernetes' own kinds against Kubernetes' schemas, the operators' kinds against
their CRDs, and every service against the code, as tests/deployment/test_compose.py does for
docker-compose."""

from __future__ import annotations

import copy
import re
import secrets
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from devtools import kubernetes_broker
from devtools.broker_definitions import broker_users
from devtools.system import FILES_DATABASE, SERVICES, Service
from shared.settings import sensitive_settings
from shared.topology import SUBSCRIPTIONS, consumer_of
from tests.deployment.crd_schemas import crd_schemas, problems
from tests.deployment.kustomize import Manifest, build, kustomization
from tests.deployment.test_compose import settings_of, variable

ROOT = Path(__file__).parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
MANIFESTS = build(KUBERNETES)
NAMESPACE = kustomization(KUBERNETES)["namespace"]
CRD_SCHEMAS = crd_schemas()
# The oldest Kubernetes the manifests are meant for.
KUBERNETES_VERSION = "1.30"
PLACEHOLDER = "REPLACE-ME"
# Where a pod finds its secrets as files (PORTAL_<NAME>_FILE).
SECRET_FILE = re.compile(r"PORTAL_(\w+)_FILE")
# Kubernetes' dependent environment variables: $(NAME) in a value.
REFERENCE = re.compile(r"\$\((\w+)\)")


def the(kind: str, name: str) -> Manifest:
    found = [m for m in MANIFESTS if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind} {name}: {len(found)} found"
    return found[0]


def of_kind(kind: str) -> list[Manifest]:
    return [m for m in MANIFESTS if m["kind"] == kind]


def container_of(service: Service) -> dict[str, Any]:
    containers = the("Deployment", service.name)["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]  # type: ignore[no-any-return]


def secret_value(name: str, key: str) -> str:
    return the("Secret", name)["stringData"][key]  # type: ignore[no-any-return]


def mounted_files(service: Service) -> dict[str, tuple[str, str]]:
    """Each file the service's pod sees from a Secret: its path → (Secret, key)."""
    pod = the("Deployment", service.name)["spec"]["template"]["spec"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    files = {}
    for mount in pod["containers"][0].get("volumeMounts", []):
        volume = volumes[mount["name"]]
        sources = [s["secret"] for s in volume.get("projected", {}).get("sources", [])]
        if "secret" in volume:
            sources.append(volume["secret"] | {"name": volume["secret"]["secretName"]})
        for source in sources:
            for item in source["items"]:
                files[f"{mount['mountPath']}/{item['path']}"] = (source["name"], item["key"])
    return files


def environment_of(service: Service) -> dict[str, str]:
    """The container's environment as the kubelet makes it: ConfigMaps' keys, values from
    ConfigMaps and Secrets, and $(NAME) filled in from the variables before it."""
    container = container_of(service)
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        environment |= the("ConfigMap", source["configMapRef"]["name"])["data"]
    for entry in container.get("env", []):
        if "value" in entry:
            value = REFERENCE.sub(lambda m: environment[m.group(1)], entry["value"])
        elif "secretKeyRef" in entry["valueFrom"]:
            reference = entry["valueFrom"]["secretKeyRef"]
            value = secret_value(reference["name"], reference["key"])
        else:
            reference = entry["valueFrom"]["configMapKeyRef"]
            value = the("ConfigMap", reference["name"])["data"][reference["key"]]
        environment[entry["name"]] = value
    return environment


def expected_settings(service: Service) -> set[str]:
    """Every setting of the service's class, but those of a connection it does not make (web
    has neither database nor broker). The broker is one address, its Service, which forwards
    to the nodes that are ready: the list of nodes (`amqp_urls`) is for hosts without one."""
    unused = {"amqp_urls"}
    if not service.database:
        unused.add("database_url")
    if service.name not in broker_users():
        unused |= {"amqp_url", "broker_users", "queue_prefix"}
    return set(service.settings.model_fields) - unused


# What is applied: every file, each kind valid.


def test_the_kustomization_applies_every_manifest_in_its_folder() -> None:
    listed = set(kustomization(KUBERNETES)["resources"])
    present = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present
    identities = [(m["kind"], m["metadata"]["name"]) for m in MANIFESTS]
    assert len(identities) == len(set(identities))


@pytest.mark.parametrize(
    "manifest",
    [m for m in MANIFESTS if (m["apiVersion"], m["kind"]) not in CRD_SCHEMAS],
    ids=lambda m: f"{m['kind']}/{m['metadata']['name']}",
)
def test_each_kubernetes_resource_is_valid(manifest: Manifest) -> None:
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(
    "manifest",
    [m for m in MANIFESTS if (m["apiVersion"], m["kind"]) in CRD_SCHEMAS],
    ids=lambda m: f"{m['kind']}/{m['metadata']['name']}",
)
def test_each_operators_resource_is_valid_against_its_crd(manifest: Manifest) -> None:
    assert problems(manifest, CRD_SCHEMAS[(manifest["apiVersion"], manifest["kind"])]) == []


def test_a_misspelt_field_is_refused_by_both_validations() -> None:
    deployment = copy.deepcopy(the("Deployment", "web"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    cluster = copy.deepcopy(the("Cluster", "portal-postgres"))
    cluster["spec"]["instance"] = 3
    assert problems(cluster, CRD_SCHEMAS[("postgresql.cnpg.io/v1", "Cluster")])


def test_everything_lives_in_the_portals_namespace() -> None:
    assert the("Namespace", NAMESPACE)
    for manifest in MANIFESTS:
        if manifest["kind"] != "Namespace":
            assert manifest["metadata"]["namespace"] == NAMESPACE


# Each service: its command, its settings, its probes, how it runs.


def test_every_service_of_the_system_has_a_deployment_and_nothing_else_does() -> None:
    assert {d["metadata"]["name"] for d in of_kind("Deployment")} == {s.name for s in SERVICES}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_runs_its_module_from_the_repositorys_image(service: Service) -> None:
    container = container_of(service)
    assert container["command"] == ["python", "-m", service.module]
    # `docker build -t leverantorsportalen .`; a site's overlay says where it pulls it from.
    assert container["image"] == "leverantorsportalen"
    assert container["ports"] == [{"name": "http", "containerPort": service.port}]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_is_replicated_and_kept_available(service: Service) -> None:
    deployment = the("Deployment", service.name)
    assert deployment["spec"]["replicas"] >= 2
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    budget = the("PodDisruptionBudget", service.name)["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    assert budget["minAvailable"] >= 1
    endpoint = the("Service", service.name)["spec"]
    assert endpoint["selector"].items() <= labels.items()
    assert endpoint["ports"] == [{"name": "http", "port": service.port, "targetPort": "http"}]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_is_ready_on_readyz_and_alive_on_livez(service: Service) -> None:
    container = container_of(service)
    for probe, path in (
        ("readinessProbe", "/readyz"),
        ("livenessProbe", "/livez"),
        ("startupProbe", "/livez"),
    ):
        assert container[probe]["httpGet"] == {"path": path, "port": "http"}, probe


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_runs_unprivileged_within_its_resources(service: Service) -> None:
    pod = the("Deployment", service.name)["spec"]["template"]["spec"]
    container = container_of(service)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == pod["securityContext"]["runAsGroup"] == 65534
    assert pod["automountServiceAccountToken"] is False
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    resources = container["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"]) & set(resources["limits"])


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_setting_the_service_reads_is_in_its_environment(service: Service) -> None:
    environment = {n for n in environment_of(service) if n.startswith("PORTAL_")}
    names = {SECRET_FILE.sub(r"PORTAL_\1", name) for name in environment}
    assert names == {variable(name) for name in expected_settings(service)}
    assert len(names) == len(environment), "a setting and its _FILE both set"


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_secret_comes_from_a_secret_and_every_file_is_mounted(service: Service) -> None:
    container = container_of(service)
    environment = environment_of(service)
    files = mounted_files(service)
    for name, marker in sensitive_settings(service.settings).items():
        if name not in expected_settings(service):
            continue
        if f"{variable(name)}_FILE" in environment:
            assert environment[f"{variable(name)}_FILE"] in files, name
        else:
            # A password put into a URL by the kubelet, from a secretKeyRef.
            assert not marker.ours, f"{name}: our own keys come from files"
            value = next(e["value"] for e in container["env"] if e["name"] == variable(name))
            for reference in REFERENCE.findall(value):
                entry = next(e for e in container["env"] if e["name"] == reference)
                assert "secretKeyRef" in entry["valueFrom"], name


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_accepts_its_settings_once_the_placeholders_are_replaced(
    service: Service, tmp_path: Path
) -> None:
    values: dict[tuple[str, str], str] = {}

    def replaced(secret: str, key: str) -> str:
        value = secret_value(secret, key)
        if value == PLACEHOLDER:
            value = values.setdefault((secret, key), secrets.token_hex(24))
        return value

    environment = {
        name: value.replace(PLACEHOLDER, secrets.token_hex(24))
        for name, value in environment_of(service).items()
    }
    for path, (secret, key) in mounted_files(service).items():
        local = tmp_path / Path(path).name
        local.write_text(replaced(secret, key))
        for name, value in environment.items():
            if value == path:
                environment[name] = str(local)
    settings = settings_of(service, environment)
    assert settings.environment == "production"
    assert settings.host == "0.0.0.0"  # noqa: S104
    assert settings.port == service.port


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_each_service_calls_the_others_by_their_service_names(service: Service) -> None:
    ports = {s.name: s.port for s in SERVICES}
    for name, value in environment_of(service).items():
        called = re.fullmatch(r"PORTAL_(\w+)_URL", name)
        if called and called.group(1).lower() in ports:
            other = called.group(1).lower()
            assert value == f"http://{other}:{ports[other]}", name


# The database and the broker, from their operators.


def test_postgresql_runs_three_instances_with_a_role_and_a_database_per_service() -> None:
    cluster = the("Cluster", "portal-postgres")
    assert cluster["spec"]["instances"] == 3
    roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
    databases = {d["spec"]["name"]: d["spec"] for d in of_kind("Database")}
    owned = [s for s in SERVICES if s.database]
    assert set(roles) == set(databases) == {s.database for s in owned} | {FILES_DATABASE}
    for service in owned:
        assert databases[service.database]["owner"] == service.database
        assert databases[service.database]["cluster"] == {"name": "portal-postgres"}
        secret = f"portal-{service.name}-database"
        assert roles[service.database]["passwordSecret"] == {"name": secret}
        assert secret_value(secret, "username") == service.database
        url = next(e for e in container_of(service)["env"] if e["name"] == "PORTAL_DATABASE_URL")
        assert url["value"] == (
            f"postgresql://{service.database}:$(DATABASE_PASSWORD)@portal-postgres-rw:5432/"
            f"{service.database}"
        )
        password = next(e for e in container_of(service)["env"] if e["name"] == "DATABASE_PASSWORD")
        assert password["valueFrom"]["secretKeyRef"] == {"name": secret, "key": "password"}


def test_the_services_on_the_send_path_share_the_file_stores_database_and_role() -> None:
    roles = {r["name"]: r for r in the("Cluster", "portal-postgres")["spec"]["managed"]["roles"]}
    database = the("Database", "portal-files")["spec"]
    assert database["name"] == database["owner"] == FILES_DATABASE
    assert database["cluster"] == {"name": "portal-postgres"}
    secret = "portal-files-database"
    assert roles[FILES_DATABASE]["passwordSecret"] == {"name": secret}
    assert secret_value(secret, "username") == FILES_DATABASE
    for service in SERVICES:
        env = {e["name"]: e for e in container_of(service).get("env", [])}
        if not service.uses_files:
            assert "PORTAL_FILES_URL" not in environment_of(service), service.name
            continue
        assert env["PORTAL_FILES_URL"]["value"] == (
            f"postgresql://{FILES_DATABASE}:$(FILES_PASSWORD)@portal-postgres-rw:5432/"
            f"{FILES_DATABASE}"
        )
        password = env["FILES_PASSWORD"]["valueFrom"]["secretKeyRef"]
        assert password == {"name": secret, "key": "password"}, service.name


def test_rabbitmq_runs_three_nodes_with_the_users_and_topology_of_the_code() -> None:
    broker = the("RabbitmqCluster", kubernetes_broker.BROKER)
    assert broker["spec"]["replicas"] == 3
    topology = (KUBERNETES / "broker-topology.yaml").read_text()
    assert topology == kubernetes_broker.render(), "python -m devtools.kubernetes_broker"
    assert {u["metadata"]["name"] for u in of_kind("User")} == set(broker_users())


@pytest.mark.parametrize(
    "service", [s for s in SERVICES if s.name in broker_users()], ids=lambda s: s.name
)
def test_each_service_logs_in_to_the_broker_as_its_own_user(service: Service) -> None:
    secret = kubernetes_broker.amqp_secret(service.name)
    user = the("User", service.name)["spec"]
    assert user["importCredentialsSecret"] == {"name": secret}
    assert secret_value(secret, "username") == service.name
    env = container_of(service)["env"]
    url = next(e["value"] for e in env if e["name"] == "PORTAL_AMQP_URL")
    assert url == f"amqp://{service.name}:$(AMQP_PASSWORD)@{kubernetes_broker.BROKER}:5672/"
    password = next(e for e in env if e["name"] == "AMQP_PASSWORD")
    assert password["valueFrom"]["secretKeyRef"] == {"name": secret, "key": "password"}


# Scaling, the way in, and the secrets.


def test_keda_scales_the_renderer_and_the_notifier_on_their_own_queues() -> None:
    scaled = {s["spec"]["scaleTargetRef"]["name"]: s["spec"] for s in of_kind("ScaledObject")}
    assert set(scaled) == {"renderer", "notifier"}
    for target, spec in scaled.items():
        assert spec["minReplicaCount"] >= 2
        for trigger in spec["triggers"]:
            metadata = trigger["metadata"]
            assert trigger["type"] == "rabbitmq"
            assert metadata["queueName"] in SUBSCRIPTIONS
            assert consumer_of(metadata["queueName"]) == target
            host = f"{kubernetes_broker.BROKER}.{NAMESPACE}.svc:5672"
            assert metadata["host"] == f"amqp://{host}"
            assert metadata["mode"] == "QueueLength"
            authentication = the("TriggerAuthentication", trigger["authenticationRef"]["name"])
            for reference in authentication["spec"]["secretTargetRef"]:
                assert reference["name"] == kubernetes_broker.amqp_secret(target)
                assert secret_value(reference["name"], reference["key"])


def test_the_ingress_passes_on_the_pages_and_the_buyer_api_alone_over_tls() -> None:
    spec = the("Ingress", "portal")["spec"]
    (rule,) = spec["rules"]
    assert spec["tls"] == [{"hosts": [rule["host"]], "secretName": "portal-tls"}]
    routes = {
        (p["path"], p["pathType"]): p["backend"]["service"]["name"] for p in rule["http"]["paths"]
    }
    assert routes[("/", "Prefix")] == "web"
    assert routes[("/v1/buyer", "Prefix")] == "invoice"
    hidden = {path for (path, kind), name in routes.items() if name == "not-public"}
    assert hidden == {"/healthz", "/livez", "/readyz", "/metrics"}
    assert "selector" not in the("Service", "not-public")["spec"]
    assert set(routes.values()) == {"web", "invoice", "not-public"}


def test_no_secret_is_committed_and_every_placeholder_says_so() -> None:
    for secret in of_kind("Secret"):
        assert "data" not in secret
        assert "replace" in secret["metadata"]["annotations"]["leverantorsportalen/placeholder"]
        for key, value in secret["stringData"].items():
            assert value == PLACEHOLDER or key == "username", (secret["metadata"]["name"], key)
