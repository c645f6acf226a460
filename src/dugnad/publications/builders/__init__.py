"""Document builders: one per document kind, each turning selector results into a Document."""

from __future__ import annotations

from collections.abc import Callable

#: Document builders by kind; each takes ``round_``, ``unit`` (None for the VSR) and ``lang`` keywords.
BUILDERS: dict[str, Callable] = {}


def builder(kind: str) -> Callable[[Callable], Callable]:
    """Decorator that registers the builder of a document kind."""

    def deco(fn: Callable) -> Callable:
        BUILDERS[kind] = fn
        return fn

    return deco
