"""What a page needs to show a chart or a map: the Vega-Lite spec, alt text and a table alternative."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of a table alternative (``numeric`` columns are right-aligned)."""

    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Cell:
    """A cell of a table alternative, optionally a link."""

    text: str
    href: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class TableAlternative:
    """The figure's data as a table: caption, columns and rows (the first cell of a row is its header)."""

    caption: str
    caption_id: str
    columns: list[Column]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Figure:
    """A chart or map for ``web/components/figure.html``: rendered in the browser from ``spec``, described by ``alt``.

    ``kind`` is ``chart`` or ``map``; ``demo`` adds the demo-data label; ``attribution`` names the source
    (required for maps: Kartverket's licence asks for it); ``size`` (``tall`` or ``short``) reserves the space
    the drawing will take, so the page does not jump when it appears; ``embed_url`` adds «Bygg inn» with an
    ``<iframe>`` snippet.
    """

    kind: str
    dom_id: str
    title: str
    alt: str
    spec: dict
    table: TableAlternative | None = None
    demo: bool = False
    attribution: str = ""
    table_open: bool = False
    size: str = "tall"
    #: The figure alone under ``/embed/`` (another site may frame it); the page offers an ``<iframe>`` snippet.
    embed_url: str = ""

    @property
    def spec_id(self) -> str:
        """Id of the JSON script element holding the spec."""
        return f"{self.dom_id}-spec"
