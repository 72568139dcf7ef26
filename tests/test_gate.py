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
