"""The public address of a page (``DUGNAD_PUBLIC_URL``): what an embed snippet, an embed page's link back and a
download name, whichever host the request came to (a proxy's internal name, or ``testserver`` in a static export)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

#: The WSGI environ key the requests of ``dugnad site build`` carry (no HTTP header can set a key with a dot).
STATIC_EXPORT = "dugnad.static_export"


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute address of a site path (``/embed/kart/indeks/``): under ``settings.PUBLIC_URL`` when it is set,
    else under the host the request asked for (the bare path without a request)."""
    base = getattr(settings, "PUBLIC_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def download_url(path: str, request: HttpRequest) -> str:
    """The page address a download names (JSON-stat's ``href``, the XLSX's «Side»): the public one; none in a static
    export without ``DUGNAD_PUBLIC_URL``, whose requests' host (``testserver``) is nobody's and whose files, unlike
    its pages, are not rewritten (a relative address in a file has nothing to be relative to once downloaded)."""
    if not getattr(settings, "PUBLIC_URL", "") and request.META.get(STATIC_EXPORT):
        return ""
    return public_url(path, request)
