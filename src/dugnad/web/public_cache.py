"""Whole public pages kept for visitors without an account, so a cached page costs a cache read, not a render.

The portal's templates already cache their content block per data revision (``{% cache … revision %}``), but each
view still ran the whole middleware stack, the view and the page layout: about 12 ms of CPU for a cached unit
profile, which 50 concurrent readers on two cores turn into a p95 above a second. This middleware keeps the whole
response of a public page (status 200, headers, body) in the page cache (shared files by default, so every server
process renders a page once) and answers the next anonymous visitor from it, before sessions, authentication and
the view.

A page is kept only for a visitor who cannot see anything personal: a ``GET`` without an ``HX-Request`` and with
no cookie but the CSRF and language cookies (a session or a message cookie means a signed-in or just-redirected
visitor, who is served as before). The key holds the host, the full path, the page language (chosen as
``LocaleMiddleware`` chooses it), the data revision (``portal.snapshot.current_revision``, looked up at most every
few seconds; a page rendered while the process's snapshot was of other data is not kept) and the live token
(``portal.tokens.LIVE``), which every saved or deleted shared reading or local target replaces (those two are read
live on the target and unit pages). The CSRF token of the language form is stored as a placeholder and filled in
for each visitor, whose CSRF cookie is read and, when missing, set, as ``CsrfViewMiddleware`` would.

``warm_pages`` (``dugnad portal warm``) renders every public page into the cache after a data change, so readers
rarely meet a first view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_request

from dugnad.portal.tokens import LIVE

#: The public pages kept whole (URL names): portal pages, their downloads and the embeds.
PUBLIC_PAGES = frozenset({
    "home", "portal-units", "portal-goals", "portal-goal", "portal-target", "portal-indicators", "portal-indicator",
    "portal-compare", "unit-detail",
    "portal-home-data", "unit-data", "portal-goal-data", "portal-target-data", "portal-indicator-data",
    "portal-compare-data",
    "embed-index-map", "embed-goal-map", "embed-locator", "embed-indicator-map", "embed-chart", "embed-distribution",
    "embed-compare",
})
#: How long a kept page lives at most (a new data revision or live token makes a new key before that).
TIMEOUT_SECONDS = 24 * 3600
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEPT_HEADERS_EXCLUDED = {"set-cookie", "content-length"}


@dataclass(frozen=True)
class KeptPage:
    """A stored response: body (CSRF token as a placeholder) and the headers to send with it."""

    body: bytes
    headers: tuple[tuple[str, str], ...]


def _cookie_free(request: HttpRequest) -> bool:
    """Whether the request carries no cookie but the CSRF and language cookies."""
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return all(name in allowed for name in request.COOKIES)


def is_public_page(request: HttpRequest) -> bool:
    """Whether the request is for a public page the cache may answer (see the module docstring)."""
    if request.method != "GET" or request.headers.get("HX-Request") or not _cookie_free(request):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in PUBLIC_PAGES


def page_key(request: HttpRequest, revision: str) -> str:
    """The cache key of the page for this request: host, full path, language, data revision and live token."""
    language = get_language_from_request(request)
    return f"public-page:{revision}:{LIVE.current()}:{language}:{request.get_host()}:{request.get_full_path()}"


def keep(response: HttpResponse) -> KeptPage | None:
    """The response as a kept page, or None when it may not be kept (not a 200, streamed, or setting a cookie of its
    own other than the CSRF cookie)."""
    if response.status_code != 200 or response.streaming:
        return None
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return None
    body = response.content
    token = _CSRF_FIELD.search(body)
    if token:
        body = body.replace(token.group(1), CSRF_PLACEHOLDER)
    headers = tuple((name, value) for name, value in response.items() if name.lower() not in _KEPT_HEADERS_EXCLUDED)
    return KeptPage(body=body, headers=headers)


class PublicPageCacheMiddleware:
    """Answers anonymous visitors' public pages from the page cache and keeps the pages it renders."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public_page(request):
            return self.get_response(request)
        from dugnad.portal.snapshot import current_revision

        revision = current_revision()
        key = page_key(request, revision)
        kept = cache.get(key)
        if kept is not None:
            return self.replay(request, kept)
        response = self.get_response(request)
        page = keep(response)
        if page is not None and current_revision() == revision:  # rendered from the data of the key
            cache.set(key, page, TIMEOUT_SECONDS)
        return response

    def replay(self, request: HttpRequest, kept: KeptPage) -> HttpResponse:
        """The kept page with this visitor's CSRF token (and cookie, when the visitor has none yet)."""
        body = kept.body
        if CSRF_PLACEHOLDER in body:
            self.csrf.process_request(request)  # reads the visitor's CSRF cookie, as the full stack would
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body)
        for name, value in kept.headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        return self.csrf.process_response(request, response)


def public_paths() -> Iterator[str]:
    """Every public page of the current data (paths, without language): lists, units, goals, targets, indicators."""
    from dugnad.catalogue.titles import target_title
    from dugnad.portal.snapshot import portal_snapshot

    snap = portal_snapshot()
    yield from ("/", "/enheter/", "/mal/", "/indikatorer/", "/sammenlign/")
    for number, goal in snap.goals.items():
        yield f"/?mal={number}"
        yield f"/mal/{number}/"
        yield from (f"/delmal/{code}/" for code in goal.targets if target_title(code, "nb"))
    yield from (f"/indikatorer/{key}/" for key in snap.indicators)
    yield from (f"/enheter/{code}/" for code in snap.units)


@dataclass
class Warmed:
    """What ``warm_pages`` did: pages rendered now, pages already kept, and failures (path and status)."""

    rendered: int = 0
    already: int = 0
    failed: list[str] | None = None


def warm_pages(*, host: str, languages: tuple[str, ...], progress=None) -> Warmed:
    """Render every public page in each language into the page cache, as a visitor at ``host`` would see it.

    Pages already kept for the current revision are not rendered again, so a second warm-up is quick.
    ``progress(done, total)`` is called after each page.
    """
    from django.test import Client, RequestFactory

    paths = list(public_paths())
    total, done = len(paths) * len(languages), 0
    result = Warmed(failed=[])
    from dugnad.portal.snapshot import current_revision

    for language in languages:
        client = Client(HTTP_HOST=host)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        factory = RequestFactory(HTTP_HOST=host)
        for path in paths:
            request = factory.get(path)
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
            if cache.get(page_key(request, current_revision())) is not None:
                result.already += 1
            else:
                status = client.get(path).status_code
                if status == 200:
                    result.rendered += 1
                else:
                    result.failed.append(f"{language} {path}: {status}")
            done += 1
            if progress:
                progress(done, total)
    return result
