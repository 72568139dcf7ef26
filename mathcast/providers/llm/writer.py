"""The LLM-backed lesson writer: Qwen (or any OpenAI-compatible model) plans, solves and reflects.

Every reply must be one JSON object that validates as our pydantic model; an invalid reply gets one
repair round quoting what was wrong, then the stage fails with those problems. Nothing a model
writes is executed: it is parsed by `json` and validated, and our renderer draws it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from annotated_types import MaxLen
from pydantic import BaseModel, ValidationError

from mathcast.content import prompts
from mathcast.lesson import Claim, Language, LessonPlan, Problem, Solution
from mathcast.providers.llm.base import register_writer
from mathcast.providers.llm.chat import ChatMessage, ChatModel, ChatResult, get_chat_model
from mathcast.providers.llm.replies import ReplyFormatError, extract_json
from mathcast.providers.llm.usage import (
    CallUsage,
    Exchange,
    ExchangeCall,
    Role,
    UsageSummary,
    summarize,
)
from mathcast.settings import LLMSettings

M = TypeVar("M", bound=BaseModel)

DEFAULT_MODELS: dict[str, dict[Role, str]] = {
    "dashscope": {"plan": "qwen-plus", "solve": "qwen-math-plus", "reflect": "qwen-plus"},
    "openai": {"plan": "gpt-4o-mini", "solve": "gpt-4o-mini", "reflect": "gpt-4o-mini"},
}
MAX_TOPIC_CHARS = next(
    m.max_length for m in LessonPlan.model_fields["topic"].metadata if isinstance(m, MaxLen)
)
MAX_PROBLEMS_QUOTED = 20


class TopicError(ValueError):
    """A topic no model is asked about: empty, too long, or refused by the model."""


class LLMReplyError(ValueError):
    """The model's reply stayed invalid after the repair round; the message lists why."""


def checked_topic(topic: str) -> str:
    """The topic with its whitespace collapsed, if it names a topic rather than carrying a document."""
    cleaned = " ".join(topic.split())
    if not cleaned:
        raise TopicError(
            "the topic is empty: name a high-school math topic, e.g. 一次函数 or quadratic functions"
        )
    if len(cleaned) > MAX_TOPIC_CHARS:
        raise TopicError(
            f"the topic is {len(cleaned)} characters long; name it in at most {MAX_TOPIC_CHARS} "
            "(e.g. 二次函数的图像和性质)"
        )
    return cleaned


@cache
def _schema(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), ensure_ascii=False, separators=(",", ":"))


def _problems(error: ValidationError | ReplyFormatError) -> str:
    """What was wrong, by field; the offending values stay out (they are the model's own text)."""
    if isinstance(error, ReplyFormatError):
        return str(error)
    lines = [
        f"{'.'.join(str(part) for part in e['loc']) or '(root)'}: {e['msg']}"
        for e in error.errors(include_url=False)[:MAX_PROBLEMS_QUOTED]
    ]
    if error.error_count() > MAX_PROBLEMS_QUOTED:
        lines.append(f"... and {error.error_count() - MAX_PROBLEMS_QUOTED} more")
    return "\n".join(lines)


class LLMWriter:
    """Plans with the general model, solves with the expert, reflects with the general model."""

    def __init__(
        self,
        chat: ChatModel,
        models: dict[Role, str],
        prices: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        self.chat = chat
        self.name = chat.provider
        self.models = models
        self.prices = prices or {}
        self.calls: list[CallUsage] = []
        self.exchanged: list[ExchangeCall] = []

    @classmethod
    def from_settings(cls, provider: str, settings: LLMSettings | None = None) -> LLMWriter:
        settings = settings or LLMSettings()
        defaults = DEFAULT_MODELS[provider]
        models: dict[Role, str] = {
            "plan": settings.plan_model or defaults["plan"],
            "solve": settings.solve_model or defaults["solve"],
            "reflect": settings.reflect_model or defaults["reflect"],
        }
        return cls(get_chat_model(provider, settings), models, settings.prices)

    @property
    def config_id(self) -> str:
        """Endpoint, the model of each role and the prompt version: a change to any re-runs the stage."""
        roles = ",".join(f"{role}={model}" for role, model in sorted(self.models.items()))
        return f"llm:{self.chat.config_id}:{roles}:prompts={prompts.version()}"

    def usage(self) -> UsageSummary:
        return summarize(self.calls, self.prices)

    def exchange(self) -> Exchange:
        return Exchange(calls=list(self.exchanged))

    def plan(self, topic: str, language: Language) -> LessonPlan:
        topic = checked_topic(topic)
        prompt = prompts.render(
            "plan", language, topic=topic, schema=_schema(LessonPlan), families=prompts.families(language)
        )
        known = {"topic": topic, "language": language}
        return self._structured("plan", language, prompt, LessonPlan, known).with_family_steps()

    def solve(self, problem: Problem) -> Solution:
        prompt = prompts.render(
            "solve", problem.language, problem=problem.model_dump_json(), schema=_schema(Solution)
        )
        return self._structured("solve", problem.language, prompt, Solution, self._authored(problem, "solve"))

    def reflect(
        self, problem: Problem, solution: Solution, findings: Sequence[Claim], feedback: Sequence[str]
    ) -> Solution:
        prompt = prompts.render(
            "reflect",
            problem.language,
            problem=problem.model_dump_json(),
            solution=solution.model_dump_json(),
            findings=json.dumps([c.model_dump(mode="json") for c in findings], ensure_ascii=False),
            feedback=json.dumps(list(feedback), ensure_ascii=False),
            schema=_schema(Solution),
        )
        return self._structured(
            "reflect", problem.language, prompt, Solution, self._authored(problem, "reflect")
        )

    def _authored(self, problem: Problem, role: Role) -> dict[str, Any]:
        """Fields we know better than the model: which problem, and who wrote the solution."""
        return {"problem_id": problem.id, "author": f"{self.name}:{self.models[role]}"}

    def _structured(
        self, role: Role, language: Language, prompt: str, model: type[M], known: dict[str, Any]
    ) -> M:
        messages = [
            ChatMessage(role="system", content=prompts.render("system", language)),
            ChatMessage(role="user", content=prompt),
        ]
        reply = self._call(role, messages, repair=False)
        try:
            return self._parse(reply.text, model, known)
        except (ReplyFormatError, ValidationError) as error:
            problems = _problems(error)
        messages += [
            ChatMessage(role="assistant", content=reply.text),
            ChatMessage(
                role="user",
                content=prompts.render("repair", language, model_name=model.__name__, errors=problems),
            ),
        ]
        repaired = self._call(role, messages, repair=True)
        try:
            return self._parse(repaired.text, model, known)
        except (ReplyFormatError, ValidationError) as error:
            raise LLMReplyError(
                f"{self.models[role]} did not write a valid {model.__name__} for {role}, "
                f"even after a repair round:\n{_problems(error)}"
            ) from None

    def _parse(self, text: str, model: type[M], known: dict[str, Any]) -> M:
        data = extract_json(text)
        if "refusal" in data and model is LessonPlan:
            reason = " ".join(str(data["refusal"]).split())[:200]
            raise TopicError(f"{self.models['plan']} declined the topic: {reason}")
        return model.model_validate({**data, **known})

    def _call(self, role: Role, messages: list[ChatMessage], repair: bool) -> ChatResult:
        result = self.chat.complete(self.models[role], messages)
        self.calls.append(
            CallUsage(
                role=role,
                model=result.model,
                input_tokens=result.usage.input_tokens,
                output_tokens=result.usage.output_tokens,
                latency_ms=result.latency_ms,
                attempts=result.attempts,
                repair=repair,
                request_id=result.request_id,
            )
        )
        self.exchanged.append(
            ExchangeCall(
                role=role,
                model=result.model,
                repair=repair,
                request_id=result.request_id,
                messages=list(messages),
                reply=result.text,
            )
        )
        return result


def _factory(provider: str) -> Callable[[], LLMWriter]:
    return lambda: LLMWriter.from_settings(provider)


for _provider in DEFAULT_MODELS:
    register_writer(_provider, _factory(_provider))
