"""Narrative Markdown as a small tree of nodes (paragraphs, lists, emphasis, links, text) that the PDF template lays out."""

from __future__ import annotations

from html.parser import HTMLParser

from dugnad.rounds.rendering import narrative_html

#: HTML elements kept as nodes; others are flattened into their text.
KEPT = {"p", "ul", "ol", "li", "strong", "em", "a", "h1", "h2", "h3", "h4", "blockquote", "code", "br"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict = {"tag": "root", "children": []}
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag not in KEPT:
            return
        node = {"tag": tag, "children": []}
        if tag == "a":
            node["href"] = dict(attrs).get("href") or ""
        self.stack[-1]["children"].append(node)
        if tag != "br":
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in KEPT and tag != "br" and len(self.stack) > 1 and self.stack[-1]["tag"] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip() or (data and self.stack[-1]["tag"] not in ("root", "ul", "ol")):
            self.stack[-1]["children"].append({"tag": "text", "text": data})


def narrative_tree(text: str) -> list[dict]:
    """The nodes of a narrative, made from the same safe HTML the web shows (raw HTML in the source stays text)."""
    builder = _TreeBuilder()
    builder.feed(narrative_html(text))
    builder.close()
    return builder.root["children"]
