"""The checking process: reads `{"check": name, "args": [...]}` lines, answers one JSON line each."""

from __future__ import annotations

import json
import sys
from typing import Any

from mathcast.lesson import Verdict
from mathcast.verify.checks import CHECKS
from mathcast.verify.parse import MathParseError
from mathcast.verify.sets import Unverifiable


def answer(request: dict[str, Any]) -> dict[str, Any]:
    try:
        value = CHECKS[request["check"]](*request["args"])
    except MathParseError as error:
        return {"ok": False, "kind": "parse", "message": str(error)}
    except Unverifiable as error:
        return {"ok": False, "kind": "unverifiable", "message": str(error)}
    except Exception as error:  # sympy's own failures: reported, never fatal to the worker
        return {"ok": False, "kind": "error", "message": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "value": value.model_dump() if isinstance(value, Verdict) else value}


def main() -> None:
    sys.setrecursionlimit(10_000)
    for line in sys.stdin:
        sys.stdout.write(json.dumps(answer(json.loads(line)), ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
