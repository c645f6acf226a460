"""Turning a selector's "not found" (None) into a 404, for the web views and the API."""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404

T = TypeVar("T")


def found(value: T | None, message: str = "") -> T:
    """The value, or Http404 (with the message) when the selector found nothing."""
    if value is None:
        raise Http404(message)
    return value
