"""The HTML renderer: the document through the same Django templates the web pages include, charts as inline SVG."""

from __future__ import annotations

import time

from django.template.loader import render_to_string
from django.utils.translation import override

from dugnad.publications.charts import SvgEngine
from dugnad.publications.document import Document
from dugnad.publications.renderers import Rendered, register
from dugnad.rounds.rendering import narrative_html


def document_context(document: Document, *, engine: SvgEngine | None = None) -> dict:
    """Template context of a document: its data with narratives as safe HTML and charts as SVG."""
    engine = engine or SvgEngine()
    data = document.as_dict()
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["kind"] == "narrative":
                block["html"] = narrative_html(block["text"])
            elif block["kind"] == "chart":
                block["svg"] = engine.render(block["spec"])
                block["spec_id"] = f"spec-{block['id']}"
            elif block["kind"] == "table":
                refs = block["refs"] + [""] * (len(block["rows"]) - len(block["refs"]))
                block["pairs"] = list(zip(block["rows"], refs, strict=True))
    return {"doc": data, "chart_seconds": engine.seconds, "charts_rendered": engine.rendered}


@register("html")
def render_html(document: Document) -> Rendered:
    """A standalone, accessible HTML file of the document."""
    start = time.perf_counter()
    with override(document.lang):
        context = document_context(document)
        text = render_to_string("publications/document.html", context)
    total = time.perf_counter() - start
    return Rendered(text.encode(), {"charts": context["chart_seconds"], "total": total,
                                    "charts_rendered": context["charts_rendered"]})
