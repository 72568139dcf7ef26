"""Tables of implementations chosen by name or kind, filled by decorators at import time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

K = TypeVar("K")
F = TypeVar("F", bound=Callable[..., Any])


def registrar(table: dict[K, F], what: str) -> Callable[..., Callable[[F], F]]:
    """A decorator factory `@name(key, ...)` that files a function under each key, refusing a key
    already taken (two implementations of one kind would make the choice depend on import order)."""

    def under(*keys: K) -> Callable[[F], F]:
        def register(item: F) -> F:
            for key in keys:
                if key in table:
                    raise RuntimeError(f"two {what} for {key}: {table[key].__name__} and {item.__name__}")
                table[key] = item
            return item

        return register

    return under
