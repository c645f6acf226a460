"""Renderers of documents, looked up by output format in a registry (HTML and PDF are the built-ins)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dugnad.publications.document import Document


@dataclass
class Rendered:
    """The bytes of a rendered document and where the time went (seconds)."""

    content: bytes
    timings: dict[str, float] = field(default_factory=dict)


Renderer = Callable[[Document], Rendered]
RENDERERS: dict[str, Renderer] = {}


def register(fmt: str) -> Callable[[Renderer], Renderer]:
    """Decorator that registers a renderer for an output format."""

    def deco(fn: Renderer) -> Renderer:
        RENDERERS[fmt] = fn
        return fn

    return deco


def render(document: Document, fmt: str) -> Rendered:
    """The document rendered in the format (``pdf`` or ``html``)."""
    from dugnad.publications.renderers import html, pdf  # noqa: F401  (registers the built-ins)

    if fmt not in RENDERERS:
        raise KeyError(f"unknown format {fmt!r}; known: {', '.join(sorted(RENDERERS))}")
    return RENDERERS[fmt](document)


def format_of(path: Path) -> str:
    """The output format named by a file's extension (``.pdf`` or ``.html``)."""
    return path.suffix.lower().lstrip(".")
