"""GX results carry numpy scalars; a gate result must still serialise (stored as JSON evidence)."""

from __future__ import annotations

import great_expectations as gx
import numpy as np
import pandas as pd

from quality.gate import GateResult, validate


def test_a_gate_result_with_numpy_values_serialises() -> None:
    facts = pd.DataFrame({"duration_ms": np.array([900, 1400], dtype=np.int64), "allowed_ms": [1000, 1000]})
    result = validate(
        "media_gate",
        "numpy",
        facts,
        [gx.expectations.ExpectColumnValuesToBeBetween(column="duration_ms", max_value=1000)],
    )
    assert not result.success
    restored = GateResult.model_validate_json(result.model_dump_json())
    assert restored.facts[1]["duration_ms"] == 1400 and type(restored.facts[1]["duration_ms"]) is int
    assert 1400 in restored.checks[0].unexpected


def test_lessons_in_threads_validate_the_same_new_table_at_once() -> None:
    """A curriculum runs lessons in threads; GX's shared context once raised 'datasource ... already
    exists' when two of them added the same table first."""
    from concurrent.futures import ThreadPoolExecutor

    facts = pd.DataFrame({"segments": [1, 2, 3]})
    expectation = gx.expectations.ExpectColumnValuesToBeBetween(column="segments", min_value=1)

    def check(_: int) -> bool:
        return validate("content_gate", "threads", facts, [expectation]).success

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(check, range(16)))
