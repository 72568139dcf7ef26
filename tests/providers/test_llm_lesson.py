"""The content stages (generate → solve → reflect → verify) with each LLM writer from the registry
(DashScope's native API, an OpenAI-compatible endpoint serving Qwen), configured as a user would
(env vars), against a local endpoint speaking that provider's wire format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mathcast import stages
from mathcast.cli import _usage_line
from mathcast.content import catalog, solvers
from mathcast.lesson import LessonPlan, VerificationReport
from mathcast.providers.llm.base import get_writer
from mathcast.providers.llm.chat import MissingCredentialsError
from mathcast.providers.llm.usage import Exchange
from mathcast.store import LocalArtifactStore, get_model
from tests.providers.conftest import CLIENTS, KEY
from tests.providers.servers import DASHSCOPE_PATH, OPENAI_PATH, Dialect, ScriptedServer, ok

PLAN = catalog.lookup("一次函数", "zh-CN")
RIGHT = solvers.solve(PLAN.problems[0])
WRONG = RIGHT.model_copy(update={"answer": "y = 2 x + 2"})  # the expert slips; the verifier refutes it
PATHS = {"dashscope": DASHSCOPE_PATH, "openai": OPENAI_PATH}


@pytest.mark.parametrize("dialect", ["dashscope", "openai"])
def test_the_content_stages_run_on_the_llm_writer(
    dialect: Dialect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ScriptedServer(dialect, [ok(PLAN), ok(WRONG), ok(RIGHT)]).running() as server:
        monkeypatch.setenv(CLIENTS[dialect].key_source.key_env, KEY)
        monkeypatch.delenv("MATHCAST_LLM_CREDENTIALS_BLOCK", raising=False)
        monkeypatch.setenv("MATHCAST_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("MATHCAST_LLM_BACKOFF_S", "0")
        for role, model in (("PLAN", "qwen-plus"), ("SOLVE", "qwen-math-plus"), ("REFLECT", "qwen-plus")):
            monkeypatch.setenv(f"MATHCAST_LLM_{role}_MODEL", model)  # DashScope's defaults, for both
        store = LocalArtifactStore(tmp_path / "artifacts")

        plan = stages.generate(store, "一次函数", "zh-CN", dialect)
        solutions = stages.solve(store, plan, dialect)
        reflected = stages.reflect(store, plan, solutions, dialect, rounds=2)
        report = get_model(
            store, stages.verify(store, reflected.lesson, reflected.reflections).key, VerificationReport
        )

        assert report.overall == "verified"
        assert [r.body["model"] for r in server.requests] == ["qwen-plus", "qwen-math-plus", "qwen-plus"]
        assert {(r.path, r.headers["authorization"]) for r in server.requests} == {
            (PATHS[dialect], f"Bearer {KEY}")
        }
        lesson = get_model(store, reflected.lesson.key, LessonPlan)
        assert any(seg.text == RIGHT.summary for _, seg in lesson.segments())

        usage = stages.lesson_usage(store, [plan, solutions, reflected.lesson])
        assert [(c.role, c.model) for c in usage.calls] == [
            ("plan", "qwen-plus"),
            ("solve", "qwen-math-plus"),
            ("reflect", "qwen-plus"),
        ]
        assert usage.input_tokens == 101 + 102 + 103 and usage.cost_cny > 0
        # what `mathcast run` prints: the server counts 100 + n tokens in and 50 out per request;
        # qwen-plus ¥0.8 / ¥2.0 and qwen-math-plus ¥4 / ¥12 per million tokens in / out
        assert _usage_line(usage) == "model calls: 3, tokens in 306 / out 150, estimated cost ¥0.0014"

        exchange = get_model(store, reflected.exchange.key, Exchange)
        (call,) = exchange.calls  # the reviewer reads why the answer changed: what was sent, what came back
        assert call.role == "reflect" and WRONG.answer in call.messages[-1].content
        assert "refuted" in call.messages[-1].content and json.loads(call.reply)["answer"] == RIGHT.answer
        assert KEY not in reflected.exchange.key and all(
            KEY not in store.get_bytes(ref.key).decode() for ref in (reflected.exchange, plan, solutions)
        )

        stages.generate(store, "一次函数", "zh-CN", dialect)  # cached: no fourth request
        assert len(server.requests) == 3
        monkeypatch.setenv("MATHCAST_LLM_PLAN_MODEL", "qwen-max")
        assert get_writer(dialect).config_id != get_writer("offline").config_id
        assert "plan=qwen-max" in get_writer(dialect).config_id


def test_without_a_key_the_writer_says_where_keys_come_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.delenv("MATHCAST_LLM_CREDENTIALS_BLOCK", raising=False)
    with pytest.raises(MissingCredentialsError, match=r"DASHSCOPE_API_KEY.*MATHCAST_LLM_CREDENTIALS_BLOCK"):
        get_writer("dashscope")


def test_the_usage_line_of_an_offline_lesson_and_of_unpriced_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    offline = stages.lesson_usage(store, [stages.generate(store, "一次函数", "zh-CN", "offline")])
    assert _usage_line(offline) == "model calls: none (offline writer)"

    with ScriptedServer("openai", [ok(PLAN)]).running() as server:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.delenv("MATHCAST_LLM_CREDENTIALS_BLOCK", raising=False)
        monkeypatch.setenv("MATHCAST_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("MATHCAST_LLM_PLAN_MODEL", "mathgpt-1")
        plan = stages.generate(store, "一次函数", "zh-CN", "openai")
    assert _usage_line(stages.lesson_usage(store, [plan])) == (
        "model calls: 1, tokens in 101 / out 50, estimated cost ¥0.0000 (no price for mathgpt-1)"
    )
