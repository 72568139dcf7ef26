"""prefect.yaml, checked without a server the way `prefect deploy` and the server check it: the file
against Prefect's own model of it, each entrypoint imported, each deployment's parameters against
its flow's signature and parameter schema, the schedule as Prefect reads it. Then `mathcast deploy`:
clear errors for what a user gets wrong, and a real deploy onto the session's Prefect server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import yaml
from prefect.cli.deploy._models import PrefectYamlModel, RawScheduleConfig
from prefect.client.schemas.schedules import CronSchedule
from prefect.exceptions import ParameterTypeError
from prefect.flows import Flow, load_flow_from_entrypoint
from prefect.server.schemas.schedules import CronSchedule as ServerCronSchedule
from prefect.utilities.callables import parameter_schema

from mathcast.curriculum import read_manifest

REPO = Path(__file__).resolve().parents[2]
PREFECT_YAML = REPO / "prefect.yaml"
MATHCAST = str(Path(sys.executable).parent / "mathcast")


def deployments() -> list[dict[str, Any]]:
    config = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    listed: list[dict[str, Any]] = config["deployments"]
    return listed


def flow_of(deployment: dict[str, Any]) -> Flow[Any, Any]:
    path, name = deployment["entrypoint"].split(":")
    return load_flow_from_entrypoint(f"{REPO / path}:{name}")


def test_prefect_yaml_is_what_prefect_deploy_reads() -> None:
    config = PrefectYamlModel.model_validate(yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8")))
    assert {d.name for d in config.deployments} == {"lesson", "grade10-functions-weekly"}
    assert all(d.work_pool is not None and d.work_pool.name == "mathcast-process" for d in config.deployments)
    assert config.pull == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $MATHCAST_HOME }}"}}
    ]


@pytest.mark.parametrize("deployment", deployments(), ids=lambda d: d["name"])
def test_entrypoints_import_and_parameters_fit_the_flow(deployment: dict[str, Any]) -> None:
    flow = flow_of(deployment)
    assert flow.name == deployment["entrypoint"].rsplit(":", 1)[1]
    parameters = deployment.get("parameters", {})
    flow.validate_parameters(parameters)  # what the flow run does with them
    schema = parameter_schema(flow).model_dump_for_openapi()
    jsonschema.validate(parameters, schema)  # what the server enforces when a run is created


def test_a_wrong_parameter_is_refused_by_the_same_checks() -> None:
    weekly = next(d for d in deployments() if d["name"] == "grade10-functions-weekly")
    flow = flow_of(weekly)
    with pytest.raises(ParameterTypeError):
        flow.validate_parameters({**weekly["parameters"], "quality": "ultra"})
    with pytest.raises(ParameterTypeError):
        flow.validate_parameters({**weekly["parameters"], "concurrency": 0})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"manifest": 7}, parameter_schema(flow).model_dump_for_openapi())


def test_the_weekly_bulk_run_is_monday_2am_in_shanghai_over_a_manifest_that_reads_clean() -> None:
    weekly = next(d for d in deployments() if d["name"] == "grade10-functions-weekly")
    (raw,) = weekly["schedules"]
    RawScheduleConfig.model_validate(raw)
    schedule = ServerCronSchedule(cron=raw["cron"], timezone=raw["timezone"])  # as the scheduler reads it
    start = datetime(2025, 9, 3, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday
    (next_run,) = asyncio.run(schedule.get_dates(n=1, start=start))
    local = next_run.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (local.weekday(), local.hour, local.minute) == (0, 2, 0)
    assert local - start < timedelta(days=7)
    plan = read_manifest(REPO / weekly["parameters"]["manifest"])
    assert plan.errors == [] and len(plan.lessons) >= 10
    assert {lesson.grade for lesson in plan.lessons} == {"高一"}


def run_deploy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MATHCAST, "deploy", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return {**env, "PREFECT_HOME": str(tmp_path / "prefect-home"), "COLUMNS": "200", **extra}


def test_deploy_without_a_server_says_how_to_get_one(tmp_path: Path) -> None:
    result = run_deploy(env=clean_env(tmp_path))
    assert result.returncode == 2
    assert "PREFECT_API_URL is not set" in result.stdout and "prefect server start" in result.stdout


def test_deploy_to_an_api_that_does_not_answer_names_it(tmp_path: Path) -> None:
    from bench.bulk import free_port

    url = f"http://127.0.0.1:{free_port()}/api"
    result = run_deploy(env=clean_env(tmp_path, PREFECT_API_URL=url))
    assert result.returncode == 2
    assert f"cannot reach the Prefect API at {url}" in " ".join(result.stdout.split())


def test_deploy_an_unknown_name_or_file_lists_what_there_is(tmp_path: Path) -> None:
    unknown = run_deploy("lessons", env=clean_env(tmp_path))
    assert unknown.returncode == 2
    assert "no deployment lessons" in unknown.stdout and "grade10-functions-weekly" in unknown.stdout
    missing = run_deploy("--prefect-file", str(tmp_path / "prefect.yaml"), env=clean_env(tmp_path))
    assert missing.returncode == 2 and "--prefect-file" in missing.stdout


@pytest.mark.slow
@pytest.mark.integration
def test_deploy_applies_both_deployments_with_the_schedule(tmp_path: Path, prefect_harness: None) -> None:
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    result = run_deploy(env=clean_env(tmp_path, PREFECT_API_URL=str(PREFECT_API_URL.value())))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with get_client(sync_client=True) as client:
        weekly = client.read_deployment_by_name("curriculum/grade10-functions-weekly")
        lesson = client.read_deployment_by_name("lesson/lesson")
        pool = client.read_work_pool("mathcast-process")
    assert pool.type == "process"
    assert lesson.parameters["topic"] == "一次函数的图像和性质"
    (schedule,) = weekly.schedules
    assert isinstance(schedule.schedule, CronSchedule)
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * 1", "Asia/Shanghai")
    assert weekly.parameters["manifest"] == "curricula/grade10-functions.yaml"
    pull = weekly.pull_steps or []
    assert pull[0]["prefect.deployments.steps.set_working_directory"]["directory"] == str(REPO)
