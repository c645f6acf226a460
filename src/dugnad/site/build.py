"""``dugnad site build``: the public portal rendered page by page into static files (docs/portal.md).

Pages are rendered through Django's test client against the real URLs, so a static page is the page the server
serves, then made static by :mod:`dugnad.site.links`. The crawl starts at the front page and the portal's lists and
follows every same-site link to a portal page (a view of ``web/views/portal.py`` or of an open-data, embed or
download module) and every static file; other same-site links point at ``--base-url`` or lose their ``href``.

A manifest in the output directory (``.dugnad-site.json``) keeps, per page, its file, the SHA-256 of what was
written, the digest of its inputs (:mod:`dugnad.site.inputs`) and its links. A rebuild skips a page whose inputs
are unchanged (its links come from the manifest), renders the others, and writes a file only when its bytes differ.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from dugnad.common.files import sha256_hex, write_atomic
from dugnad.portal.snapshot import held_snapshot, portal_snapshot
from dugnad.site.inputs import PageInputs, code_digest, observation_fingerprints
from dugnad.site.links import SITE_JS, Site, address, file_of, rewrite_page, root_index, static_file, topology_js
from dugnad.web.public_address import STATIC_EXPORT

MANIFEST = ".dugnad-site.json"
MANIFEST_VERSION = 1
#: Where the crawl starts (the front page and the lists the menu links to); everything else is found by links.
ENTRY_POINTS = ("/", "/enheter/", "/mal/", "/indikatorer/")
#: View modules whose pages are part of the public site (besides ``web/views/portal.py``): open data and embeds.
PUBLIC_MODULE_WORDS = ("portal", "opendata", "open_data", "embed", "download")
#: Pages of those modules left to the live site: forms and the signed-in visitor's views. The compare page is
#: exported as its example (``/sammenlign/`` without a choice); a chosen comparison (``?enheter=…``, one page per
#: choice) is not followed (``links.FOLLOWED_QUERY``) and points at the live site when --base-url is given.
LIVE_ONLY_NAMES = frozenset({"login", "logout", "unit-dashboard", "unit-upload", "unit-upload-report"})
LANGUAGES = ("nb", "nn", "en")


@dataclass
class BuildResult:
    """What a build did."""

    pages: int = 0
    rendered: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0
    out: Path | None = None


def is_site_page(path: str) -> bool:
    """Whether a same-site path is a page of the static site (the public portal, open data, embeds)."""
    if path.startswith(settings.STATIC_URL):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name in LIVE_ONLY_NAMES:
        return False
    if match.url_name == "embed-chart":
        # a unit's chart alone: exported for the country (the indicator pages' national series) only; the unit
        # pages' 41 charts each would be ~45,000 more pages in three languages (their snippets name the live site)
        country = portal_snapshot().country()
        return country is not None and match.kwargs.get("unit") == country.code
    view = getattr(match.func, "view_class", match.func)
    module = getattr(view, "__module__", "") or ""
    if module.startswith("dugnad.api") or path.startswith("/api/"):
        # open data under the API: files only (…/data.csv), not the JSON endpoints or the API's documentation
        return "." in path.rsplit("/", 1)[-1]
    return any(word in module for word in PUBLIC_MODULE_WORDS)


class PageTest:
    """``is_site_page`` remembered per path for one build: a page links hundreds of units and indicators, and Django's
    ``resolve`` for each link was a third of the time of rewriting it."""

    def __init__(self) -> None:
        self.known: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        found = self.known.get(path)
        if found is None:
            found = self.known[path] = is_site_page(path)
        return found


#: Pages of one wave of the crawl that are rendered by worker processes (fewer: by the build's own process, which
#: saves starting ``--jobs`` cold processes for a rebuild's dozen pages).
POOL_TASKS = 48
#: The templates the site's pages render (compiled once before the workers start, which then share them).
WARM_TEMPLATES = ("web/portal/*.html", "web/components/*.html", "web/base.html", "web/targets/_distance.html")

_worker: dict = {}


def _warm(languages: tuple[str, ...]) -> None:
    """Compile the pages' templates, load each language's translations and the URL patterns in this process
    before it forks the workers, so that each worker does not do it again (copy-on-write memory)."""
    from django.template.loader import get_template
    from django.utils import translation

    root = Path(__file__).resolve().parent.parent / "web" / "templates"
    for pattern in WARM_TEMPLATES:
        for path in sorted(root.glob(pattern)):
            get_template(str(path.relative_to(root)))
    for lang in languages:
        with translation.override(lang):
            translation.gettext("Forside")
    resolve("/")


def _init_worker(out: str, site: Site, old: dict[str, str]) -> None:
    _worker.update(out=Path(out), site=site, old=old, clients={})


def _client(lang: str) -> Client:
    clients = _worker["clients"]
    if lang not in clients:
        client = Client(HTTP_ACCEPT_LANGUAGE=lang, **{STATIC_EXPORT: True})  # downloads name no testserver address
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        clients[lang] = client
    return clients[lang]


def _render(task: tuple[str, str, str | None]) -> dict:
    """Render one page in one language, make it static and write it when its bytes changed."""
    lang, url, inputs = task
    result = {"lang": lang, "url": url, "inputs": inputs, "file": file_of(lang, url), "pages": [], "statics": []}
    try:
        response = _client(lang).get(url)
    except Exception as exc:  # a page that fails is reported, not the end of the build
        return {**result, "error": f"{type(exc).__name__}: {exc}"}
    if response.status_code != 200:
        return {**result, "error": f"HTTP {response.status_code}"}
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("text/html"):
        page = rewrite_page(body.decode(response.charset or "utf-8"), url=url, lang=lang, site=_worker["site"])
        body = page.html.encode()
        result.update(pages=sorted(page.pages), statics=sorted(page.statics))
    digest = sha256_hex(body)
    target = _worker["out"] / result["file"]
    written = _worker["old"].get(result["file"]) != digest or not target.exists()
    if written:
        write_atomic(target, body)
    return {**result, "sha256": digest, "written": written}


def _render_group(tasks: list[tuple[str, str, str | None]]) -> list[dict]:
    return [_render(task) for task in tasks]


def _grouped(tasks: list[tuple[str, str, str | None]], languages: tuple[str, ...]) -> list[list]:
    """The pages of one address (a page in each language; a page's downloads) as one task of one worker, language
    by language: what they share is then read once (a unit's stored values, a page's data for its three files)."""
    groups: dict[str, list] = {}
    for task in tasks:
        groups.setdefault(urlsplit(task[1]).path.rsplit("/", 1)[0], []).append(task)
    order = {lang: i for i, lang in enumerate(languages)}
    return [sorted(group, key=lambda t: (order.get(t[0], len(order)), t[1])) for group in groups.values()]


def _load_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"pages": {}, "files": {}}
    if data.get("version") != MANIFEST_VERSION:
        return {"pages": {}, "files": {}}
    return data


def _static_sources() -> dict[str, Path]:
    """Every static file of the web app (``web/…``): the CSS, the scripts, the Vega runtime and the boundaries."""
    found: dict[str, Path] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if path.startswith("web/") and path not in found:
                found[path] = Path(storage.path(path))
    return found


def _write_file(out: Path, name: str, data: bytes, old: dict[str, str], files: dict[str, str], result: BuildResult) -> None:
    digest = sha256_hex(data)
    files[name] = digest
    if old.get(name) == digest and (out / name).exists():
        result.unchanged += 1
    else:
        write_atomic(out / name, data)
        result.written += 1


def _static_files(out: Path, old: dict[str, str], result: BuildResult) -> dict[str, str]:
    files: dict[str, str] = {}
    for path, source in sorted(_static_sources().items()):
        data = source.read_bytes()
        _write_file(out, f"static/{path}", data, old, files, result)
        if path.startswith("web/maps/") and path.endswith(".topo.json"):
            name = path.rsplit("/", 1)[-1].removesuffix(".topo.json")
            _write_file(out, f"static/site/{name}.topo.js", topology_js(name, data), old, files, result)
    _write_file(out, "static/site/site.js", SITE_JS.encode(), old, files, result)
    return files


def site_build(out: Path, *, languages: tuple[str, ...] = LANGUAGES, base_url: str = "", jobs: int = 1,
               progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Export the public portal to ``out`` (see the module text); returns what was written and what was not."""
    start = time.perf_counter()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out=out)
    with _rendering():
        _build(out, result, languages=languages, base_url=base_url, jobs=jobs, progress=progress)
    result.seconds = time.perf_counter() - start
    return result


@contextlib.contextmanager
def _rendering() -> Iterator[None]:
    """What the build renders with: the test client's host allowed; one snapshot for the whole build (no look at
    the data revision per page); no page cache, neither the templates' fragments nor the whole pages of
    ``web.public_cache`` (every page is rendered once; the cache's writes, a file per page with a listing of the
    cache folder before each, were a tenth of a build; and a page kept by an earlier build of other code must not
    come back)."""
    hosts = settings.ALLOWED_HOSTS
    if "testserver" not in hosts and "*" not in hosts:
        hosts = [*hosts, "testserver"]
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    caches = {**settings.CACHES, "default": dummy, "template_fragments": dummy}
    with override_settings(ALLOWED_HOSTS=hosts, CACHES=caches), held_snapshot():
        yield


def _build(out: Path, result: BuildResult, *, languages: tuple[str, ...], base_url: str, jobs: int,
           progress: Callable[[int, int], None] | None) -> None:
    manifest = _load_manifest(out)
    old_pages: dict[str, dict] = manifest["pages"]
    old_files: dict[str, str] = {name: entry["sha256"] for entry in old_pages.values() for name in [entry["file"]]}
    inputs = PageInputs(portal_snapshot(), observation_fingerprints(),
                        f"{code_digest()} {base_url} {settings.PUBLIC_URL} {','.join(languages)}")
    files = _static_files(out, manifest.get("files", {}), result)
    _write_file(out, "index.html", root_index(languages).encode(), manifest.get("files", {}), files, result)

    site = Site(is_page=PageTest(), static_url=settings.STATIC_URL, base_url=base_url, languages=languages,
                public_url=settings.PUBLIC_URL)
    pages: dict[str, dict] = {}
    seen = {(lang, url) for lang in languages for url in ENTRY_POINTS}
    frontier = sorted(seen)
    statics: set[str] = set()

    def follow(entry: dict) -> list[tuple[str, str]]:
        found = [(entry["lang"], url) for url in entry.get("pages", [])]
        statics.update(entry.get("statics", []))
        fresh = [key for key in found if key not in seen]
        seen.update(fresh)
        return fresh

    pool = None
    _init_worker(str(out), site, old_files)  # this process renders the small waves (a rebuild's few pages) itself
    try:
        while frontier:
            following: list[tuple[str, str]] = []
            tasks = []
            for lang, url in frontier:
                parts = urlsplit(url)
                digest = inputs.page(lang, parts.path, parts.query)
                previous = old_pages.get(f"{lang} {url}")
                if (digest is not None and previous and previous.get("inputs") == digest
                        and os.path.exists(f"{out}/{previous['file']}")):  # not pathlib's: 10,000 pages
                    pages[f"{lang} {url}"] = previous
                    result.unchanged += 1
                    following += follow(previous)
                    if progress:
                        progress(len(pages) + len(result.failed) + len(result.missing), len(seen))
                else:
                    tasks.append((lang, url, digest))
            if pool is None and jobs > 1 and len(tasks) >= POOL_TASKS:
                _warm(languages)  # once, here: the workers inherit the compiled templates and loaded catalogues
                connections.close_all()  # each worker opens its own; the snapshot is inherited with the process
                pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker,
                                                                initargs=(str(out), site, old_files))
            groups = _grouped(tasks, languages)
            done = (pool.imap_unordered(_render_group, groups) if pool and len(tasks) >= POOL_TASKS
                    else map(_render_group, groups))
            for entry in itertools.chain.from_iterable(done):
                result.rendered += 1
                if entry.get("error") == "HTTP 404":  # a link of the portal to a page it does not have
                    result.missing.append(f"{entry['lang']} {entry['url']}")
                elif "error" in entry:
                    result.failed.append(f"{entry['lang']} {entry['url']}: {entry['error']}")
                else:
                    pages[f"{entry['lang']} {entry['url']}"] = {k: entry[k] for k in
                                                                ("lang", "url", "file", "sha256", "inputs", "pages", "statics")}
                    result.written += entry["written"]
                    result.unchanged += not entry["written"]
                    following += follow(entry)
                if progress:
                    progress(len(pages) + len(result.failed) + len(result.missing), len(seen))
            frontier = following
    finally:
        if pool:
            pool.close()
            pool.join()

    # static files the pages name outside the web app's own (another app's assets)
    for path in sorted(statics):
        name = static_file(path, settings.STATIC_URL)
        if name not in files and not path.endswith("/"):
            source = finders.find(name.removeprefix("static/"))
            if source:
                _write_file(out, name, Path(source).read_bytes(), manifest.get("files", {}), files, result)
    kept = {entry["file"] for entry in pages.values()} | set(files)
    for name in sorted(set(old_files) | set(manifest.get("files", {}))):
        if name not in kept and (out / name).is_file():
            (out / name).unlink()
            result.removed += 1
    result.pages = len(pages)
    fresh = {"version": MANIFEST_VERSION, "languages": list(languages), "base_url": base_url, "pages": pages,
             "files": files}
    if result.rendered == 0 and fresh == manifest:
        return  # nothing rendered, nothing gone: the manifest (16 MB for the demo) says all of it already
    write_atomic(out / MANIFEST, json.dumps(fresh, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def default_jobs() -> int:
    """Worker processes for a build: the machine's CPUs, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


__all__ = ["BuildResult", "address", "default_jobs", "is_site_page", "site_build"]
