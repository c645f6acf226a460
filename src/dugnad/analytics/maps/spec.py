"""Vega-Lite specs for maps of Norway: a choropleth of a tidy value table and a locator map, for web and PDF alike.

The same spec is drawn in the browser by the vendored Vega runtime and as SVG by vl-convert for PDFs.
The topology is either inlined (PDF, tests) or referenced by URL (web, so the browser caches it).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from dugnad.analytics.scoring.types import Colour

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: Norway as in UTM zone 33 (the national mapping projection): transverse Mercator about 15° east.
PROJECTION = {"type": "transverseMercator", "rotate": [-15, 0]}
#: The SDSN dashboard colours, as in the PDFs (``grey`` = information unavailable), best first.
STATUS_COLOURS = {colour.value: colour.hex for colour in sorted(Colour, key=lambda c: -c.rank)}
#: Colour-blind-safe sequential scheme for values (perceptually uniform, readable in greyscale).
VALUE_SCHEME = "viridis"
MISSING_FILL = "#d9d9d9"
BORDER = "#ffffff"
HIGHLIGHT = "#0062ba"
CONTEXT_FILL = "#c9ced6"
#: Number formats per language for d3-format (legends) and for the tooltips' text.
NUMBER_LOCALES = {
    "nb": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
    "nn": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["NOK\u00a0", ""]},
}


class MapMode(StrEnum):
    """What colours a choropleth: the value on a sequential scale, or the four-colour status."""

    VALUE = "value"
    STATUS = "status"


@dataclass(frozen=True)
class MapText:
    """The words a map shows, already in the page's language."""

    description: str
    unit: str = "Enhet"
    value: str = "Verdi"
    missing: str = "Mangler data"
    status: Mapping[str, str] = field(default_factory=dict)
    title: str | None = None


def number_text(value: float, *, lang: str = "nb", decimals: int = 1) -> str:
    """A number as the language writes it («17 446,5» in Norwegian, "17,446.5" in English), rounded half up,
    trailing zeros cut (remembered: pages and downloads write the same values many times)."""
    return _number_text(value, lang, decimals)


@functools.lru_cache(maxsize=1 << 16)
def _number_text(value: float, lang: str, decimals: int) -> str:
    locale = NUMBER_LOCALES.get(lang, NUMBER_LOCALES["nb"])
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", locale["decimal"]).replace("\x00", locale["thousands"])


def _data(topology: dict | str, layer: str) -> dict:
    """The Vega-Lite data of one TopoJSON object, inline or by URL."""
    source: dict = {"url": topology} if isinstance(topology, str) else {"values": topology}
    return {**source, "format": {"type": "topojson", "feature": layer}}


def _base(topology: dict | str, layer: str, text: MapText, *, width: int | str, height: int, lang: str,
          font: str | None) -> dict:
    """The parts every map spec shares: data, projection, size, description and language settings."""
    config: dict = {"view": {"stroke": None}, "locale": {"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["nb"])},
                    "legend": {"orient": "bottom", "direction": "horizontal", "columns": 2, "labelFontSize": 12,
                               "titleFontSize": 12, "labelLimit": 260, "titleLimit": 320, "symbolType": "circle"}}
    if font:
        config["font"] = font
    spec: dict = {
        "$schema": SCHEMA, "description": text.description, "data": _data(topology, layer), "projection": PROJECTION,
        "width": width, "height": height, "config": config,
    }
    if width == "container":
        spec["autosize"] = {"type": "fit", "contains": "padding"}
    if text.title:
        spec["title"] = text.title
    return spec


def _within(prefix: str | None) -> list[dict]:
    """A filter keeping the shapes whose code starts with the prefix (a county's municipalities)."""
    return [{"filter": f"indexof(datum.properties.code, {json.dumps(prefix)}) === 0"}] if prefix else []


def _tooltip(text: MapText, shown: str) -> list[dict]:
    """Tooltip: the unit's name and the shown value."""
    return [{"field": "unit_name", "type": "nominal", "title": text.unit},
            {"field": shown, "type": "nominal", "title": text.value}]


def choropleth_spec(
    *, topology: dict | str, layer: str, rows: Sequence[Mapping], text: MapText, mode: MapMode = MapMode.VALUE,
    within: str | None = None, lang: str = "nb", decimals: int = 1, width: int | str = "container", height: int = 440,
    font: str | None = None, complete: bool = False,
) -> dict:
    """A choropleth of the units of one TopoJSON object (``kommuner`` or ``fylker``) coloured from a tidy table.

    ``rows`` hold ``code`` and ``name`` and either ``value`` (a number or None; :attr:`MapMode.VALUE`) or
    ``status`` (``green``/``yellow``/``orange``/``red``/``grey``; :attr:`MapMode.STATUS`); an optional
    ``display`` is the value as the tooltip should show it. Units without a value or status are grey and
    named in the legend with ``text.missing``. ``within`` keeps the units whose code starts with it.
    ``complete`` says that ``rows`` hold every unit of the layer: when they all have a value, the grey layer is
    left out (an empty mark group is met by screen readers as an unnamed image, axe ``svg-img-alt``).
    """
    table = []
    for row in rows:
        value = row.get("value")
        valid = isinstance(value, int | float) and math.isfinite(value)
        status = row.get("status") or "grey"
        item = {"code": str(row["code"]), "name": row.get("name") or "", "value": value if valid else None}
        if mode is MapMode.STATUS:
            item["status_label"] = text.status.get(status, status) if status != "grey" else text.missing
            item["status"] = status
            item["display"] = row.get("display") or item["status_label"]
        else:
            item["display"] = row.get("display") or (number_text(value, lang=lang, decimals=decimals) if valid else text.missing)
        table.append(item)
    fields = ["name", "value", "display"] + (["status", "status_label"] if mode is MapMode.STATUS else [])
    spec = _base(topology, layer, text, width=width, height=height, lang=lang, font=font)
    spec["transform"] = [
        *_within(within),
        {"lookup": "properties.code", "from": {"data": {"values": table}, "key": "code", "fields": fields}},
        {"calculate": "datum.name || datum.properties.name", "as": "unit_name"},
        {"calculate": f"datum.display || {json.dumps(text.missing)}", "as": "shown"},
    ]
    mark = {"type": "geoshape", "stroke": BORDER, "strokeWidth": 0.5}
    if mode is MapMode.STATUS:
        order = [code for code in STATUS_COLOURS if code != "grey"]
        domain = [text.status.get(code, code) for code in order] + [text.missing]
        spec["transform"].append({"calculate": f"datum.status_label || {json.dumps(text.missing)}", "as": "status_shown"})
        spec["mark"] = mark
        spec["encoding"] = {
            "color": {"field": "status_shown", "type": "nominal", "title": text.value,
                      "scale": {"domain": domain, "range": [STATUS_COLOURS[c] for c in order] + [STATUS_COLOURS["grey"]]}},
            "tooltip": _tooltip(text, "shown"),
        }
        return spec
    missing_layer = {
        "transform": [{"filter": "!isValid(datum.value)"}, {"calculate": json.dumps(text.missing), "as": "missing"}],
        "mark": mark,
        "encoding": {"fill": {"field": "missing", "type": "nominal", "title": None, "scale": {"range": [MISSING_FILL]}},
                     "tooltip": _tooltip(text, "shown")}}
    value_layer = {
        "transform": [{"filter": "isValid(datum.value)"}],
        "mark": mark,
        "encoding": {"color": {"field": "value", "type": "quantitative", "title": text.value,
                               "scale": {"scheme": VALUE_SCHEME}, "legend": {"format": f",.{decimals}~f"}},
                     "tooltip": _tooltip(text, "shown")}}
    every_unit_valued = complete and bool(table) and all(item["value"] is not None for item in table)
    spec["layer"] = [value_layer] if every_unit_valued else [missing_layer, value_layer]
    return spec


def locator_spec(
    *, topology: dict | str, layer: str, highlight: str | None, text: MapText, names: Mapping[str, str] | None = None,
    within: str | None = None, lang: str = "nb", width: int | str = "container", height: int = 300,
    font: str | None = None,
) -> dict:
    """A locator map: the unit ``highlight`` (every unit when None) coloured among the others of ``within``.

    ``text.value`` names the highlighted unit in the legend and ``text.missing`` the others; ``names``
    (code → name) replaces the official names in the tooltips.
    """
    spec = _base(topology, layer, text, width=width, height=height, lang=lang, font=font)
    test = "true" if highlight is None else f"datum.properties.code === {json.dumps(highlight)}"
    table = [{"code": code, "name": name} for code, name in (names or {}).items()]
    source = {"data": {"values": table}, "key": "code", "fields": ["name"]}
    lookup = [{"lookup": "properties.code", "from": source}] if table else []
    spec["transform"] = [
        *_within(within), *lookup,
        {"calculate": "datum.name || datum.properties.name", "as": "unit_name"},
        {"calculate": f"{test} ? {json.dumps(text.value)} : {json.dumps(text.missing)}", "as": "role"},
    ]
    spec["mark"] = {"type": "geoshape", "stroke": BORDER, "strokeWidth": 0.5}
    spec["encoding"] = {
        "color": {"field": "role", "type": "nominal", "title": None,
                  "scale": {"domain": [text.value, text.missing], "range": [HIGHLIGHT, CONTEXT_FILL]}},
        "tooltip": [{"field": "unit_name", "type": "nominal", "title": text.unit}],
    }
    return spec


@dataclass(frozen=True)
class MapSummary:
    """What a value map shows, for its alt text: the highest and lowest unit and how many have no value."""

    count: int
    missing: int
    highest: tuple[str, float] | None
    lowest: tuple[str, float] | None


def map_summary(rows: Sequence[Mapping]) -> MapSummary:
    """The highest and lowest ``(name, value)`` of a tidy value table and the number of units without a value."""
    valued = [(r.get("name") or str(r["code"]), r["value"]) for r in rows
              if isinstance(r.get("value"), int | float) and math.isfinite(r["value"])]
    ordered = sorted(valued, key=lambda pair: (pair[1], pair[0]))
    return MapSummary(count=len(rows), missing=len(rows) - len(valued),
                      highest=ordered[-1] if ordered else None, lowest=ordered[0] if ordered else None)
