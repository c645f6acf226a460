"""The public address of a page (``DUGNAD_PUBLIC_URL``): what an embed snippet, an embed page's link back and a
download name, whichever host the request came to (a proxy's internal name, or ``testserver`` in a static export)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute address of a site path (``/embed/kart/indeks/``): under ``settings.PUBLIC_URL`` when it is set,
    else under the host the request asked for (the bare path without a request)."""
    base = getattr(settings, "PUBLIC_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path
