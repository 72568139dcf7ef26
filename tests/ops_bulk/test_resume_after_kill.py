"""Resume after a crash, measured: a lesson run (DashScope writer against a local endpoint, speech
clips counted in the store) is SIGKILLed with its whole process group while scenes render, then run again.
The re-run sends no model request and speaks no clip, leaves every stored object of the finished
stages untouched (same size and mtime), and adds objects only for render onwards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.bulk import compare, rendering, run_cli, snapshot, spoken_clips
from mathcast.content import catalog, solvers
from tests.providers.conftest import KEY
from tests.providers.servers import ScriptedServer, ok

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.render]

FINISHED_BEFORE_RENDER = (
    *("generate", "solve", "reflect", "verify", "content_gate"),
    *("review", "speak", "align"),
)
MADE_FROM_RENDER_ON = {"render", "mux", "media_gate", "publish", "catalog"}


def test_a_run_killed_during_render_resumes_without_repeating_a_model_or_voice_call(
    tmp_path: Path, prefect_harness: None
) -> None:
    from prefect.settings import PREFECT_API_URL

    plan = catalog.lookup("一次函数", "zh-CN")
    right = solvers.solve(plan.problems[0])
    wrong = right.model_copy(update={"answer": "y = 2 x + 2"})  # the expert slips; reflect corrects it
    store = tmp_path / "store"
    with ScriptedServer("dashscope", [ok(plan), ok(wrong), ok(right)]).running() as server:
        env = {
            **os.environ,
            "PREFECT_API_URL": str(PREFECT_API_URL.value()),
            "DASHSCOPE_API_KEY": KEY,
            "MATHCAST_LLM_BASE_URL": server.base_url,
            "MATHCAST_LLM_BACKOFF_S": "0",
            "MATHCAST_CACHE_DIR": str(tmp_path / "cache"),  # cold: the render takes long enough to be caught
        }
        args = ["run", "一次函数", "--quality", "low", "--store", str(store), "--writer", "dashscope"]
        first = run_cli(args, env, kill_when=lambda group, _: rendering(group), timeout_s=600)
        assert first.killed, first.output[-2000:]
        requests, before = len(server.requests), snapshot(store)
        assert requests == 3 and spoken_clips(before) >= len(list(plan.segments()))
        assert not [key for key in before if key.startswith(("mux/", "publish/"))]  # no video yet

        again = run_cli(args, env, timeout_s=900)
        assert again.returncode == 0, again.output[-3000:]
        assert len(server.requests) == requests  # no model call repeated
        assert spoken_clips(before, snapshot(store)) == 0  # no clip spoken again

    reuse = compare(before, snapshot(store))
    assert reuse.rewritten == {}
    assert set(reuse.added) <= MADE_FROM_RENDER_ON, reuse.added
    assert all(reuse.kept.get(stage, 0) > 0 for stage in FINISHED_BEFORE_RENDER), reuse.kept
    resumed = again.stage_seconds()
    print(f"\nkilled after {first.wall_s} s, during render; first run's stage times {first.stage_seconds()}")
    print(f"re-run {again.wall_s} s; stage times {resumed}")
    print(f"kept {reuse.kept}; added {reuse.added}")
    assert sum(resumed[stage] for stage in ("generate", "solve", "reflect", "speak")) < 5  # read, not made
