"""Addresses and files of the static site, and the rewriting of a served page into a static one (no Django).

A page's address (path and query) maps to one file in a language tree: ``/enheter/0301/`` → ``enheter/0301/index.html``,
``/?mal=3`` → ``mal-3.html``, ``/sammenlign/?enheter=4601,46`` → ``sammenlign/enheter-4601-46.html``, and an address
ending in a file name (``…/data.csv``) keeps it. Links become relative to the page's own file and always name the file
(``index.html``), so the tree works from ``file://`` as well as from any web server.
"""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

#: Hosts a served page may name for itself (the test client's and a local server's).
LOCAL_HOSTS = {"testserver", "127.0.0.1", "localhost"}

_ATTRIBUTE = re.compile(r'(\s(?:href|src|action|data-vendor|poster)=)"([^"]*)"')
_FORM = re.compile(r"<form\b([^>]*)>.*?</form>", re.S)
_LANGUAGE_FORM = re.compile(r'<form class="dg-language"[^>]*>.*?</form>', re.S)
_CSRF_HEADERS = re.compile(r"\shx-headers='[^']*'")
_CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>')
_TOPOLOGY = re.compile(r"web/maps/([\w.-]+)\.topo\.json")
_CHARTS_SCRIPT = re.compile(r'<script src="[^"]*web/charts\.js"')
_EMBED_DETAILS = re.compile(r'<details class="dg-figure__embed">.*?</details>\s*', re.S)
_EMBED_CODE = re.compile(
    r'\s*<label for="[^"]*">[^<]*</label>\s*<textarea [^>]*class="dg-figure__embed-code"[^>]*>.*?</textarea>', re.S)
_EMBED_PAGE = re.compile(r'<p class="dg-figure__embed-page"><a href="([^"]*)"')
#: The snippet's address (escaped twice inside the ``<textarea>``: the snippet is HTML and the textarea's text).
_SNIPPET_SRC = re.compile(r"&lt;iframe src=&quot;(https?://.*?)&quot;")
_SELF = re.compile(r"https?://(?:testserver|127\.0\.0\.1|localhost)(?::\d+)?(?=/)")
#: Query parameters whose pages are exported (``?niva=fylke``, ``?mal=3``); an address with any other parameter
#: (a search, a chosen year, a compare choice) is left to the live site.
FOLLOWED_QUERY = frozenset({"niva", "mal"})
_LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
_LANGUAGE_LABEL = {"nb": "Språk", "nn": "Språk", "en": "Language"}


def _slug(query: str) -> str:
    text = unquote(query.replace("+", " "))
    slug = re.sub(r"[^A-Za-z0-9_.~-]+", "-", text.replace("=", "-")).strip("-.")
    if slug != text.replace("=", "-") or len(slug) > 80:
        slug = f"{slug[:60]}-{hashlib.sha256(query.encode()).hexdigest()[:8]}"
    return slug or hashlib.sha256(query.encode()).hexdigest()[:8]


@functools.lru_cache(maxsize=1 << 16)
def page_file(path: str, query: str = "") -> str:
    """The file (relative to a language tree) that holds the page at ``path?query``."""
    parts = [unquote(p) for p in path.split("/") if p not in ("", ".", "..")]
    if path.endswith("/") or not parts or "." not in parts[-1]:
        directory, name, ext = parts, "index", ".html"
    else:
        directory, (name, ext) = parts[:-1], posixpath.splitext(parts[-1])
    if query:
        name = _slug(query) if name == "index" else f"{name}-{_slug(query)}"
    return posixpath.join(*directory, name + ext) if directory else name + ext


def relative(from_file: str, to_file: str) -> str:
    """The relative link from one file of the site to another (both relative to the site's root, as ``page_file``
    writes them: no ``.`` or ``..`` parts). ``posixpath.relpath`` without its two ``abspath`` calls, which were a
    large part of rewriting a page with a thousand links."""
    start = [p for p in from_file.split("/")[:-1] if p]
    dest = [p for p in to_file.split("/") if p]
    common = 0
    for a, b in zip(start, dest, strict=False):
        if a != b:
            break
        common += 1
    return _quoted("/".join([".."] * (len(start) - common) + dest[common:]) or ".")


@functools.lru_cache(maxsize=1 << 16)
def _quoted(text: str) -> str:
    return quote(text, safe="/~-._")


@dataclass
class Rewritten:
    """A page made static: its HTML, the pages and static files it links to, and the boundaries it draws."""

    html: str
    pages: set[str] = field(default_factory=set)
    statics: set[str] = field(default_factory=set)
    topologies: set[str] = field(default_factory=set)


@dataclass
class Site:
    """What the rewriter needs to know: which addresses are exported pages, the static prefix, the live site."""

    is_page: Callable[[str], bool]
    static_url: str = "/static/"
    base_url: str = ""
    languages: tuple[str, ...] = ("nb", "nn", "en")
    #: The site's public address (``DUGNAD_PUBLIC_URL``): its links to exported pages become relative like the others.
    public_url: str = ""


def address(url: str) -> str:
    """Path and query of a same-site URL (``/enheter/0301/?a=1``), without the fragment."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@functools.lru_cache(maxsize=1 << 16)
def file_of(lang: str, url: str) -> str:
    """The site-root-relative file of a page address in a language tree."""
    parts = urlsplit(url)
    return f"{lang}/{page_file(parts.path, parts.query)}"


def static_file(path: str, static_url: str = "/static/") -> str:
    """The site-root-relative file of a static asset's URL path."""
    return "static/" + unquote(path[len(static_url):])


def _followed(query: str) -> bool:
    """Whether an address with this query is exported (no query, or only ``FOLLOWED_QUERY`` parameters)."""
    return all(p.split("=", 1)[0] in FOLLOWED_QUERY for p in query.split("&")) if query else True


def _language_links(page: str, lang: str, url: str, site: Site) -> str:
    links = []
    for code in site.languages:
        current = ' aria-current="page" data-variant="primary"' if code == lang else ' data-variant="tertiary"'
        href = relative(page, file_of(code, url))
        links.append(f'<a class="ds-button" data-size="sm"{current} href="{href}" lang="{code}" hreflang="{code}">'
                     f"{_LANGUAGE_NAMES.get(code, code)}</a>")
    label = _LANGUAGE_LABEL.get(lang, "Språk")
    return (f'<nav class="dg-language" aria-label="{label}"><span class="dg-language__label">{label}</span>'
            f'<div class="dg-language__options">{"".join(links)}</div></nav>')


def rewrite_page(text: str, *, url: str, lang: str, site: Site) -> Rewritten:
    """The served page at ``url`` made static for the ``lang`` tree: relative links, no forms that need the server.

    Links to exported pages and static files become relative to the page's file; other links of the same site point
    at ``site.base_url`` when one is given and lose their ``href`` when not. The language buttons become links to
    the same page in the other trees; other forms point at the live site (GET forms, with a base URL) or go.
    """
    page = file_of(lang, url)
    out = Rewritten(html="")
    out.topologies = set(_TOPOLOGY.findall(text))
    text = _CSRF_HEADERS.sub("", text)
    text = _CSRF_INPUT.sub("", text)
    text = _LANGUAGE_FORM.sub("\x00dugnad-language\x00", text)

    def live(path_query: str) -> str | None:
        return site.base_url.rstrip("/") + path_query if site.base_url else None

    def form(match: re.Match) -> str:
        attrs = match.group(1)
        method = re.search(r'method="([^"]*)"', attrs)
        action = re.search(r'action="([^"]*)"', attrs)
        if (method and method.group(1).lower() != "get") or not site.base_url:
            return ""
        target = urljoin(url, html.unescape(action.group(1)) if action else url)
        return match.group(0).replace(attrs, re.sub(r'\saction="[^"]*"', "", attrs)
                                      + f' action="{html.escape(live(urlsplit(target).path))}"', 1)

    text = _FORM.sub(form, text)

    def embed(match: re.Match) -> str:
        """«Bygg inn» without --base-url. A snippet naming the public address (``DUGNAD_PUBLIC_URL``) stays, and its
        link leads to the exported embed page, else to the public one. A snippet naming the host of the export
        (``testserver``) goes; the link to the embed page stays when that page is exported, else the whole box goes."""
        box = match.group(0)
        found = _EMBED_PAGE.search(box)
        target = urlsplit(html.unescape(found.group(1)) if found else "")
        exported = target.path and _followed(target.query) and site.is_page(target.path)
        public = None if _SELF.search(box) else _SNIPPET_SRC.search(box)
        if public:
            return box if exported or not found else box.replace(
                f'href="{found.group(1)}"', f'href="{html.unescape(public.group(1))}"', 1)
        return _EMBED_CODE.sub("", box) if exported else ""

    # «Bygg inn» snippets name the live site: kept with --base-url (pointing at it); see embed() without one
    text = _SELF.sub(site.base_url.rstrip("/"), text) if site.base_url else _EMBED_DETAILS.sub(embed, text)

    def attribute(match: re.Match) -> str:
        name, value = match.group(1), html.unescape(match.group(2))
        if not value or value.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            return match.group(0)
        if site.public_url and value.startswith(site.public_url + "/"):  # an embed page's link back to its page
            inside = urlsplit(value[len(site.public_url):])
            if not (_followed(inside.query) and site.is_page(inside.path)):
                return match.group(0)  # a page of the live site: its public address stays
            value = value[len(site.public_url):]
        if value.startswith("/") and not value.startswith("//") and "/." not in value:
            target = urlsplit(value)  # a same-site path (most links): urljoin would give the same
        else:
            parts = urlsplit(value)
            if parts.scheme and (parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS):
                return match.group(0)
            target = urlsplit(urljoin(url, value))
        fragment = f"#{target.fragment}" if target.fragment else ""
        path_query = target.path + (f"?{target.query}" if target.query else "")
        if target.path.startswith(site.static_url):
            out.statics.add(target.path)
            rel = relative(page, static_file(target.path, site.static_url))
            return f'{name}"{html.escape(rel + ("/" if target.path.endswith("/") else ""))}"'
        if _followed(target.query) and site.is_page(target.path):
            out.pages.add(path_query)
            return f'{name}"{html.escape(relative(page, file_of(lang, path_query)) + fragment)}"'
        elsewhere = live(path_query + fragment)
        if elsewhere:
            return f'{name}"{html.escape(elsewhere)}"'
        return "" if name.strip().startswith("href") else f'{name}""'

    text = _ATTRIBUTE.sub(attribute, text)
    # the specs' data URLs (the map boundaries) inside the figures' JSON
    text = text.replace(f'"{site.static_url}', '"' + relative(page, "static/") + "/")
    if out.topologies:
        scripts = "".join(f'<script src="{relative(page, f"static/site/{name}.topo.js")}" defer></script>'
                          for name in sorted(out.topologies))
        scripts += f'<script src="{relative(page, "static/site/site.js")}" defer></script>'
        text = _CHARTS_SCRIPT.sub(lambda m: scripts + m.group(0), text, count=1)
    out.html = text.replace("\x00dugnad-language\x00", _language_links(page, lang, url, site))
    return out


#: Loaded before charts.js on pages with maps: puts the boundaries (from the ``*.topo.js`` files, which a
#: ``<script>`` may load from ``file://`` where ``fetch`` may not) into the specs in place of their URLs.
SITE_JS = """// Dugnad static site: maps read their boundaries from the page (window.dugnadTopology), not by fetch(),
// so they draw from file:// as well as from a web server. Runs before charts.js (both deferred, in order).
(function () {
  "use strict";
  var topology = window.dugnadTopology || {};
  function inline(node) {
    var changed = false;
    if (!node || typeof node !== "object") { return false; }
    if (typeof node.url === "string") {
      var name = node.url.split("/").pop().replace(/\\.topo\\.json$/, "");
      if (topology[name]) { node.values = topology[name]; delete node.url; return true; }
    }
    Object.keys(node).forEach(function (key) {
      if (key !== "values" && inline(node[key])) { changed = true; }
    });
    return changed;
  }
  document.querySelectorAll("figure > script[type='application/json']").forEach(function (script) {
    if (script.textContent.indexOf(".topo.json") < 0) { return; }
    try {
      var spec = JSON.parse(script.textContent);
      if (inline(spec)) { script.textContent = JSON.stringify(spec); }
    } catch (error) {
      window.console.warn("Dugnad: map boundaries not inlined.", error);
    }
  });
})();
"""


def topology_js(name: str, content: bytes) -> bytes:
    """A boundary file as a script that registers it under its name (``2024``) in ``window.dugnadTopology``."""
    return (b"window.dugnadTopology = window.dugnadTopology || {};\nwindow.dugnadTopology[" + f'"{name}"'.encode()
            + b"] = " + content.strip() + b";\n")


def root_index(languages: tuple[str, ...]) -> str:
    """The site's front door: sends the visitor to the first language's front page (bokmål by default)."""
    first = languages[0]
    links = " · ".join(f'<a href="{code}/index.html" lang="{code}" hreflang="{code}">{_LANGUAGE_NAMES.get(code, code)}</a>'
                       for code in languages)
    return (f'<!doctype html>\n<html lang="{first}"><head><meta charset="utf-8"><title>Dugnad</title>'
            f'<meta http-equiv="refresh" content="0; url={first}/index.html"></head>'
            f"<body><p>Dugnad: {links}</p></body></html>\n")
