"""Narrative Markdown rendered safely: raw HTML escaped, only http(s), mailto and relative links kept."""

from __future__ import annotations

import html

import markdown
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#")


class LinkGuard(Treeprocessor):
    """Drops link targets and image sources whose scheme is not known to be safe (javascript:, data: …)."""

    def run(self, root):
        """Walk the tree and neutralise unsafe URLs."""
        for element in root.iter():
            for attr in ("href", "src"):
                url = element.get(attr)
                if url is not None and not url.strip().lower().startswith(SAFE_SCHEMES):
                    element.set(attr, "#")


class SafeMarkdown(markdown.Extension):
    """Registers the link guard."""

    def extendMarkdown(self, md):
        """Add the link guard after inline processing."""
        md.treeprocessors.register(LinkGuard(md), "dugnad_link_guard", 0)


def narrative_html(text: str) -> str:
    """HTML of a narrative: HTML in the source is shown as text, never interpreted."""
    escaped = html.escape(text or "", quote=False)
    return markdown.markdown(escaped, extensions=["sane_lists", SafeMarkdown()], output_format="html")
