"""Runs a Great Expectations suite over a table of facts and reports every check with its evidence."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

import great_expectations as gx
import numpy as np
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations import Expectation
from great_expectations.render.renderer import ValidationResultsPageRenderer
from great_expectations.render.view import DefaultJinjaPageView
from pydantic import Field

from mathcast.lesson import Model
from mathcast.store import ArtifactRef


class CheckResult(Model):
    expectation: str
    column: str | None = None
    success: bool
    observed: Any = None
    unexpected: list[Any] = Field(default_factory=list)


class GateResult(Model):
    gate: str
    success: bool
    checks: list[CheckResult]
    facts: list[dict[str, Any]]
    html: list[str] = Field(default_factory=list, exclude=True, description="GX's rendered reports.")

    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success]


class QualityGateError(RuntimeError):
    """A gate failed; `result` carries every check and the facts it judged, `evidence` where
    the stored result lives."""

    def __init__(self, result: GateResult, evidence: ArtifactRef | None = None) -> None:
        self.result = result
        self.evidence = evidence
        failed = "; ".join(
            f"{c.expectation}({c.column or ''}) observed {c.observed!r} unexpected {c.unexpected[:5]!r}"
            for c in result.failures()
        )
        super().__init__(f"{result.gate} failed: {failed}")


@cache
def _context() -> Any:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


_VALIDATING = threading.Lock()  # one GX context per process, and it is not thread-safe


def validate(gate: str, table: str, facts: pd.DataFrame, expectations: Sequence[Expectation]) -> GateResult:
    """Validate one table; `gate` and `table` name the data source and asset in the ephemeral context.
    Lessons of a curriculum run in threads: one validation at a time."""
    with _VALIDATING:
        return _validate(gate, table, facts, expectations)


def _validate(gate: str, table: str, facts: pd.DataFrame, expectations: Sequence[Expectation]) -> GateResult:
    context = _context()
    source_name = f"{gate}:{table}"
    try:
        source = context.data_sources.get(source_name)
        asset = source.get_asset(table)
        batch_definition = asset.get_batch_definition("whole")
    except (KeyError, LookupError, ValueError):
        source = context.data_sources.add_pandas(source_name)
        asset = source.add_dataframe_asset(table)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole")
    batch = batch_definition.get_batch(batch_parameters={"dataframe": facts})
    suite = gx.ExpectationSuite(name=f"{gate}.{table}", expectations=list(expectations))
    outcome = batch.validate(suite)
    checks = [
        CheckResult(
            expectation=r.expectation_config.type,
            column=r.expectation_config.kwargs.get("column"),
            success=bool(r.success),
            observed=_plain(r.result.get("observed_value")),
            unexpected=_plain(list(r.result.get("partial_unexpected_list") or [])),
        )
        for r in outcome.results
    ]
    return GateResult(
        gate=gate,
        success=bool(outcome.success),
        checks=checks,
        html=[DefaultJinjaPageView().render(ValidationResultsPageRenderer().render(outcome))],  # type: ignore[no-untyped-call]
        facts=_plain(facts.astype(object).where(facts.notna(), None).to_dict(orient="records")),
    )


def _plain(value: Any) -> Any:
    """GX and pandas hand back numpy scalars (numpy.int64 ...): plain Python values serialise."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def combine(gate: str, results: Sequence[GateResult]) -> GateResult:
    return GateResult(
        gate=gate,
        success=all(r.success for r in results),
        checks=[c for r in results for c in r.checks],
        facts=[f for r in results for f in r.facts],
        html=[page for r in results for page in r.html],
    )
