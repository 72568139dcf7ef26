#!/usr/bin/env bash
# The two README commands: `./run.sh demo` and `./run.sh test` (set up whatever is missing first).
# Extra arguments pass through: `./run.sh demo --quality low`, `./run.sh test -m "not slow"`.
set -euo pipefail
cd "$(dirname "$0")"

what="${1:-}"
shift || true
case "$what" in
  setup) bash scripts/setup.sh ;;
  demo)
    bash scripts/setup.sh
    exec .venv/bin/mathcast demo --out out "$@" ;;
  test)
    bash scripts/setup.sh
    exec .venv/bin/python -m pytest "$@" ;;
  *)
    echo "usage: ./run.sh demo [--quality low|medium|high]  |  ./run.sh test [pytest args]  |  ./run.sh setup" >&2
    exit 2 ;;
esac
