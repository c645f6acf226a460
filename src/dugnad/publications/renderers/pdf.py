"""The PDF renderer: the document laid out by typst (tagged, PDF/UA-1) with the shipped fonts and SVG charts."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

import typst
from django.utils.translation import gettext as _
from django.utils.translation import override

from dugnad.publications.charts import FONT_DIR, SvgEngine
from dugnad.publications.document import Document
from dugnad.publications.markup import narrative_tree
from dugnad.publications.renderers import Rendered, register
from dugnad.publications.renderers.columns import column_widths

TEMPLATE = Path(__file__).resolve().parent.parent / "typst" / "report.typ"
#: PDF standard every publication is checked against while compiling.
PDF_STANDARD = "ua-1"


@lru_cache(maxsize=1)
def fonts() -> typst.Fonts:
    """The shipped fonts and typst's own, read once per process (``typst.compile`` with font folders parses every
    font file again on each call, ~a second cold per document)."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(FONT_DIR)])


def pdf_data(document: Document) -> dict:
    """The JSON the typst template reads: the document, narratives as node trees, tables with their column widths
    (points) and translated fixed labels."""
    data = document.as_dict()
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["kind"] == "narrative":
                block["tree"] = narrative_tree(block["text"])
            elif block["kind"] == "chart":
                block.pop("spec")
            elif block["kind"] == "table":
                block["widths"] = column_widths(block["header"], block["rows"], refs=block["refs"])
    with override(document.lang):
        data["outline_title"] = _("Innhold")
        data["references_title"] = _("Referanser")
        data["score_label"] = _("Skår")
    return data


class _Typesetter(threading.local):
    """One typst compiler per thread, kept for the life of the process, with its own work folder: documents set one
    after another reuse its world (fonts, the parsed template, typst's memoised layout of what did not change)
    instead of building a new one each time. Each compile re-reads the files it uses (typst compares their content),
    so a document never sees another's data."""

    compiler: typst.Compiler | None = None
    root: Path | None = None

    def compile(self, document_json: str, svgs: dict[str, str]) -> bytes:
        if self.compiler is None:
            self.root = Path(tempfile.mkdtemp(prefix="dugnad-typst-"))
            atexit.register(shutil.rmtree, self.root, True)
            (self.root / "main.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
            self.compiler = typst.Compiler(str(self.root / "main.typ"), root=str(self.root), font_paths=fonts(),
                                           ignore_system_fonts=True)
        root = self.root
        for old in root.glob("*.svg"):
            if old.stem not in svgs:
                old.unlink()
        for name, svg in svgs.items():
            (root / f"{name}.svg").write_text(svg, encoding="utf-8")
        (root / "doc.json").write_text(document_json, encoding="utf-8")
        (root / "main.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return self.compiler.compile(pdf_standards=[PDF_STANDARD])


_typesetter = _Typesetter()


@register("pdf")
def render_pdf(document: Document, *, engine: SvgEngine | None = None) -> Rendered:
    """A tagged PDF/UA-1 file of the document; every chart carries its alternative text."""
    engine = engine or SvgEngine()
    start = time.perf_counter()
    svgs = {chart.id: engine.render(chart.spec) for chart in document.charts()}
    charts = engine.seconds
    data = json.dumps(pdf_data(document), ensure_ascii=False)
    typeset_start = time.perf_counter()
    content = _typesetter.compile(data, svgs)
    typesetting = time.perf_counter() - typeset_start
    return Rendered(content, {"charts": charts, "typesetting": typesetting, "total": time.perf_counter() - start,
                              "charts_rendered": engine.rendered, "charts_native": engine.native,
                              "charts_total": engine.count})
