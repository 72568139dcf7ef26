"""Token usage per model call and what a lesson cost, and the exchange itself (every prompt and
reply): kept beside the stage outputs, so a reviewer can read why a step changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import Field

from mathcast.lesson import Model
from mathcast.providers.llm.chat import ChatMessage

Role = Literal["plan", "solve", "reflect"]


class CallUsage(Model):
    role: Role
    model: str
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    latency_ms: int = Field(ge=0)
    attempts: int = Field(ge=1)
    repair: bool = Field(default=False, description="A second call asking to fix an invalid reply.")
    request_id: str | None = None


class UsageSummary(Model):
    calls: list[CallUsage] = Field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_cny: float = Field(default=0.0, description="Estimate from list prices of the priced models.")
    unpriced_models: list[str] = Field(default_factory=list, description="Models left out of the cost.")


def summarize(calls: Sequence[CallUsage], prices: Mapping[str, tuple[float, float]]) -> UsageSummary:
    """Totals over `calls`; `prices` are CNY per million (input, output) tokens by model."""
    cost = sum(
        (c.input_tokens * prices[c.model][0] + c.output_tokens * prices[c.model][1]) / 1e6
        for c in calls
        if c.model in prices
    )
    return UsageSummary(
        calls=list(calls),
        input_tokens=sum(c.input_tokens for c in calls),
        output_tokens=sum(c.output_tokens for c in calls),
        cost_cny=cost,
        unpriced_models=sorted({c.model for c in calls if c.model not in prices}),
    )


class ExchangeCall(Model):
    """One model call as it happened: what was sent, what came back."""

    role: Role
    model: str
    repair: bool = False
    request_id: str | None = None
    messages: list[ChatMessage]
    reply: str


class Exchange(Model):
    calls: list[ExchangeCall] = Field(default_factory=list)
