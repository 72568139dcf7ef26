"""infra/ without Docker or Kubernetes: what can be checked here, and nothing more.

- docker-compose.yml against the Compose Specification's JSON Schema (vendored, see schemas/README.md),
  then what a schema cannot see: every dependency is a service, the worker polls prefect.yaml's pool,
  writes to the bucket the one-shot job creates, and reaches the server by its service name.
- worker.Dockerfile: it installs the system packages by running scripts/setup.sh, whose apt list holds
  every package `mathcast.system` checks for; the image's MATHCAST_HOME is prefect.yaml's working dir.
- k8s/base-job-template.json: Prefect's own server-side check of a base job template (every placeholder
  declared), its variables a valid JSON Schema whose defaults validate, its job_configuration keys the
  ones the Kubernetes worker reads, and the Job it renders to with the defaults, checked by shape (not
  against the Kubernetes OpenAPI schema, which is not here).
- k8s/worker-values.yaml against the prefect-worker Helm chart's values.schema.json (vendored).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import prefect
import pytest
import yaml
from prefect.server.schemas.actions import WorkPoolCreate
from prefect.utilities.templating import apply_values
from prefect.workers.base import BaseJobConfiguration

from mathcast.system import REQUIREMENTS

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
SCHEMAS = Path(__file__).parent / "schemas"
# KubernetesWorkerJobConfiguration's own fields in prefect-kubernetes 0.8.0 (besides the base ones)
KUBERNETES_JOB_FIELDS = {
    "annotations",
    "namespace",
    "job_manifest",
    "cluster_config",
    "job_watch_timeout_seconds",
    "pod_watch_timeout_seconds",
    "stream_output",
}
QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi)?$")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(INFRA / "docker-compose.yml")
    return loaded


def schema_errors(document: Any, schema_file: str) -> list[str]:
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_follows_the_compose_specification() -> None:
    assert schema_errors(compose(), "compose-spec.json") == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: c["services"]["worker"].update(imagee="x"),
        lambda c: c["services"]["worker"]["depends_on"]["prefect-server"].update(condition="service_ready"),
        lambda c: c["services"]["postgres"]["healthcheck"].update(intervall="5s"),
    ],
)
def test_the_schema_check_catches_a_broken_compose_file(breakage: Any) -> None:
    broken = compose()
    breakage(broken)
    assert schema_errors(broken, "compose-spec.json") != []


def test_compose_services_fit_together_and_fit_prefect_yaml() -> None:
    services = compose()["services"]
    assert {"postgres", "prefect-server", "minio", "worker"} <= set(services)
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name
    worker = services["worker"]
    pools = {d["work_pool"]["name"] for d in load_yaml(REPO / "prefect.yaml")["deployments"]}
    assert pools == {"mathcast-process"} and "--pool mathcast-process" in " ".join(worker["command"])
    environment = worker["environment"]
    assert environment["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert environment["AWS_ENDPOINT_URL"] == "http://minio:9000"
    bucket = environment["MATHCAST_STORE"].removeprefix("s3://").split("/")[0]
    assert f"local/{bucket}" in " ".join(services["minio-bucket"]["command"])
    assert services["prefect-server"]["image"].startswith(f"prefecthq/prefect:{prefect.__version__}-")
    assert (
        "postgresql+asyncpg://"
        in services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    )


def apt_packages() -> set[str]:
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    lists = re.findall(r"APT_PACKAGES\+?=\((.*?)\)", setup, flags=re.DOTALL)
    assert lists, "scripts/setup.sh has no APT_PACKAGES=( ... ) list"
    return {package for listed in lists for package in shlex.split(listed)}


def test_the_worker_image_installs_setup_sh_apt_list_which_covers_every_checked_tool() -> None:
    dockerfile = (INFRA / "worker.Dockerfile").read_text(encoding="utf-8")
    instructions = [
        line.split(None, 1) for line in dockerfile.splitlines() if line and not line.startswith("#")
    ]
    assert instructions[0][0] == "FROM" and "bookworm" in instructions[0][1]  # Debian: apt, the same names
    runs = " ".join(rest for word, rest in (i for i in instructions if len(i) == 2) if word == "RUN")
    assert "bash scripts/setup.sh" in runs
    assert {p for r in REQUIREMENTS for p in r.package.split()} <= apt_packages()
    assert "MATHCAST_HOME=/app" in dockerfile
    assert load_yaml(REPO / "prefect.yaml")["pull"][0]["prefect.deployments.steps.set_working_directory"] == {
        "directory": "{{ $MATHCAST_HOME }}"
    }
    assert '"--pool", "mathcast-process"' in dockerfile


def job_template() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (INFRA / "k8s" / "base-job-template.json").read_text(encoding="utf-8")
    )
    return loaded


def test_the_kubernetes_job_template_passes_prefects_own_check() -> None:
    template = job_template()
    pool = WorkPoolCreate(name="mathcast-k8s", type="kubernetes", base_job_template=template)
    assert pool.base_job_template == template
    undeclared = {**template, "variables": {"type": "object", "properties": {"image": {"type": "string"}}}}
    with pytest.raises(ValueError, match="undeclared"):
        WorkPoolCreate(name="mathcast-k8s", type="kubernetes", base_job_template=undeclared)


def test_the_template_variables_are_a_schema_whose_defaults_validate() -> None:
    variables = job_template()["variables"]
    jsonschema.Draft202012Validator.check_schema(variables)
    defaults = {name: p["default"] for name, p in variables["properties"].items() if "default" in p}
    jsonschema.validate(defaults, variables)
    for name, spec in variables["properties"].items():
        if "default" in spec:
            jsonschema.validate(defaults[name], spec)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**defaults, "memory_limit": "six gigs"}, variables)


def test_the_template_renders_to_a_job_the_kubernetes_worker_reads() -> None:
    template = job_template()
    configuration = template["job_configuration"]
    assert set(configuration) <= set(BaseJobConfiguration.model_fields) | KUBERNETES_JOB_FIELDS
    defaults = {n: p["default"] for n, p in template["variables"]["properties"].items() if "default" in p}
    job = apply_values(configuration, defaults)["job_manifest"]
    assert (job["apiVersion"], job["kind"]) == ("batch/v1", "Job")
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never" and job["spec"]["backoffLimit"] == 0
    (container,) = pod["containers"]
    assert container["image"] == defaults["image"] and container["env"]["MATHCAST_HOME"] == "/app"
    for bound in ("requests", "limits"):
        assert all(QUANTITY.match(str(q)) for q in container["resources"][bound].values()), container[
            "resources"
        ]
    mounted = {m["name"] for m in container["volumeMounts"]}
    assert mounted <= {v["name"] for v in pod["volumes"]}
    assert container["envFrom"][0]["secretRef"]["name"] == defaults["store_secret"]
    assert "{{" not in json.dumps(job).replace('"{{ command }}"', "")  # only Prefect's own run-time fill-ins


def test_helm_values_follow_the_prefect_worker_chart_schema() -> None:
    values = load_yaml(INFRA / "k8s" / "worker-values.yaml")
    assert schema_errors(values, "prefect-worker-values.schema.json") == []
    assert schema_errors(
        {**values, "worker": {**values["worker"], "replicas": 2}}, "prefect-worker-values.schema.json"
    )
    assert values["worker"]["config"]["type"] == "kubernetes"
