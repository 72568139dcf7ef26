"""The operator commands' side of the Prefect API: where it is, whether it answers, and the lesson
runs paused for review that a reviewer lists, reads and answers (`mathcast review ...`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx


class PrefectUnreachable(RuntimeError):
    """The configured Prefect API does not answer; the message says how to fix that."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"cannot reach the Prefect API at {url}: "
            "start it with `prefect server start` or set PREFECT_API_URL"
        )


def api_url() -> str | None:
    """PREFECT_API_URL, or None: then each command starts a temporary local server of its own."""
    from prefect.settings import PREFECT_API_URL

    url: str | None = PREFECT_API_URL.value()
    return url


@contextmanager
def reaching_api() -> Iterator[None]:
    """Turn a refused or timed-out connection to the API into PrefectUnreachable."""
    try:
        yield
    except httpx.TransportError as error:
        raise PrefectUnreachable(api_url() or "the temporary local server") from error

