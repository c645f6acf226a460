"""Narrative Markdown rendered safely: raw HTML shown as text, only http(s), mailto, same-site and anchor links kept."""

from __future__ import annotations

import re

import markdown
from markdown.treeprocessors import Treeprocessor

SAFE_PREFIXES = ("http://", "https://", "mailto:", "/", "#")
#: Characters browsers drop from URLs before reading them (so ``java\tscript:`` is ``javascript:``).
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def url_is_safe(url: str) -> bool:
    """Whether a link target is http(s), mailto, a path on this site or an anchor (not ``//other.host``)."""
    cleaned = _IGNORED_IN_URLS.sub("", url).lower()
    if cleaned.startswith(("//", "/\\", "\\")):  # protocol-relative: another host
        return False
    return cleaned.startswith(SAFE_PREFIXES)


class LinkGuard(Treeprocessor):
    """Drops link targets and image sources that are not known to be safe (javascript:, data:, //evil …)."""

    def run(self, root):
        """Walk the tree and neutralise unsafe URLs."""
        for element in root.iter():
            for attr in ("href", "src"):
                url = element.get(attr)
                if url is not None and not url_is_safe(url):
                    element.set(attr, "#")


class SafeMarkdown(markdown.Extension):
    """Raw HTML is text (escaped once, by the serializer), and the link guard runs last."""

    def extendMarkdown(self, md):
        """Remove the raw-HTML block and inline processors; add the link guard after inline processing."""
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(LinkGuard(md), "dugnad_link_guard", 0)


def narrative_html(text: str) -> str:
    """HTML of a narrative: HTML in the source is shown as text, never interpreted."""
    return markdown.markdown(text or "", extensions=["sane_lists", SafeMarkdown()], output_format="html")
