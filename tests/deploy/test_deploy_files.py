"""deploy/ stays usable: manifests parse, probes hit /healthz, the image runs as non-root."""

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from handlers.kernel import load_config, parse_config

DEPLOY = Path(__file__).parents[2] / "deploy"


def documents(path: Path) -> list[dict[str, Any]]:
    """Every YAML document in a file."""
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def kubernetes() -> dict[str, dict[str, Any]]:
    """The Kubernetes objects of deploy/k8s, by kind."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for document in documents(path):
            found[document["kind"]] = document
    return found


def test_kubernetes_has_deployment_service_configmap_and_secret_that_fit_together() -> None:
    """The Deployment reads the ConfigMap and Secret, probes /healthz; the Service finds it."""
    objects = kubernetes()
    assert set(objects) == {"ConfigMap", "Deployment", "Secret", "Service"}
    pod = objects["Deployment"]["spec"]["template"]
    [container] = pod["spec"]["containers"]
    sources = {next(iter(s.values()))["name"] for s in container["envFrom"]}
    assert sources == {
        objects["ConfigMap"]["metadata"]["name"],
        objects["Secret"]["metadata"]["name"],
    }
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert objects["Service"]["spec"]["selector"] == pod["metadata"]["labels"]
    assert set(objects["Secret"]["stringData"]) >= {"DATABASE_URL", "SLACK_BOT_TOKEN"}
    parse_config(tomllib.loads(objects["ConfigMap"]["data"]["ladder.toml"]))


def test_compose_runs_ladder_after_a_healthy_postgres_with_health_checks() -> None:
    """Both services have health checks and Ladder waits for PostgreSQL to be healthy."""
    [compose] = documents(DEPLOY / "docker-compose.yml")
    services = compose["services"]
    assert services["postgres"]["image"] == "postgres:15"
    assert all("healthcheck" in service for service in services.values())
    ladder = services["ladder"]
    assert ladder["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert ladder["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert ladder["build"]["dockerfile"] == "deploy/Dockerfile"


def test_image_is_slim_and_runs_as_a_non_root_user() -> None:
    """python:3.11-slim, installed with pip, and a numeric non-root USER before the entry point."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"^FROM (\S+)", text, re.MULTILINE) == ["python:3.11-slim"] * 2
    [user] = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert not user.startswith(("root", "0"))
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert text.index("USER") < text.index("ENTRYPOINT")


def test_systemd_unit_runs_ladder_as_its_own_user_and_restarts() -> None:
    """The unit names its user, environment file, command and restart policy."""
    unit = (DEPLOY / "ladder.service").read_text(encoding="utf-8")
    for line in (
        "User=ladder",
        "EnvironmentFile=/etc/ladder/ladder.env",
        "ExecStart=/opt/ladder/bin/ladder run --platform slack",
        "Restart=on-failure",
        "WantedBy=multi-user.target",
    ):
        assert line in unit.splitlines()


def test_example_config_is_valid() -> None:
    """deploy/ladder.toml.example passes the same checks as `ladder config check`."""
    config = load_config(DEPLOY / "ladder.toml.example")
    assert config.digest.cron == "0 9 * * 1"
