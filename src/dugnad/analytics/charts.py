"""Vega-Lite chart specs for indicator data: time series, comparison bars, ranking and distribution.

Pure functions of tidy rows (no Django), shared by the public portal, the open API and exports: the same spec is
drawn in the browser by the vendored Vega runtime and as SVG by vl-convert. Words arrive already translated
(``ChartText``); numbers follow the page's language through Vega's number locale (``lang``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dugnad.analytics.maps.spec import NUMBER_LOCALES, SCHEMA

#: Colour-blind-safe categorical colours (Okabe–Ito), the unit itself first.
SERIES_COLOURS = ["#0062ba", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000", "#8c6d31",
                  "#7f7f7f", "#3b3b98"]
BAR_COLOUR = "#0062ba"
HIGHLIGHT_COLOUR = "#d55e00"


@dataclass(frozen=True)
class ChartText:
    """The words a chart shows, already in the page's language."""

    description: str
    x: str = ""
    y: str = ""
    series: str = ""
    count: str = ""


def _config(lang: str, font: str | None) -> dict:
    config: dict = {"view": {"stroke": None}, "locale": {"number": NUMBER_LOCALES.get(lang, NUMBER_LOCALES["nb"])},
                    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 180},
                    "legend": {"orient": "bottom", "direction": "horizontal", "columns": 2, "labelFontSize": 12,
                               "labelLimit": 260, "title": None}}
    if font:
        config["font"] = font
    return config


def _number_format(decimals: int) -> str:
    return f",.{decimals}~f"


def series_spec(*, rows: Sequence[dict], text: ChartText, lang: str = "nb", decimals: int = 1,
                width: int | str = "container", height: int = 220, font: str | None = None) -> dict:
    """A line chart of ``{"series", "period", "value"}`` rows (one line per series, in the order given)."""
    order = list(dict.fromkeys(r["series"] for r in rows))
    return {
        "$schema": SCHEMA, "description": text.description, "width": width, "height": height,
        "autosize": {"type": "fit", "contains": "padding"}, "data": {"values": [dict(r) for r in rows]},
        "mark": {"type": "line", "point": {"size": 50}, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": text.x or None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": text.y or None, "scale": {"zero": False},
                  "axis": {"format": _number_format(decimals)}},
            "color": {"field": "series", "type": "nominal", "sort": order, "title": text.series or None,
                      "scale": {"domain": order, "range": SERIES_COLOURS[: max(len(order), 1)]}},
            "strokeDash": {"field": "series", "type": "nominal", "sort": order, "legend": None},
            "tooltip": [{"field": "series", "type": "nominal", "title": text.series or " "},
                        {"field": "period", "type": "ordinal", "title": text.x or " "},
                        {"field": "value", "type": "quantitative", "title": text.y or " ", "format": _number_format(decimals)}],
        },
        "config": _config(lang, font),
    }  # fmt: skip


def bars_spec(*, rows: Sequence[dict], text: ChartText, lang: str = "nb", decimals: int = 1, highlight: str | None = None,
              width: int | str = "container", step: int = 22, font: str | None = None) -> dict:
    """Horizontal bars of ``{"label", "value"}`` rows in the order given; the ``highlight`` label stands out."""
    return {
        "$schema": SCHEMA, "description": text.description, "width": width, "height": {"step": step},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": [{**r, "highlight": r["label"] == highlight} for r in rows]},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "value", "type": "quantitative", "title": text.x or None,
                  "axis": {"format": _number_format(decimals)}},
            "color": {"field": "highlight", "type": "nominal", "legend": None,
                      "scale": {"domain": [False, True], "range": [BAR_COLOUR, HIGHLIGHT_COLOUR]}},
            "tooltip": [{"field": "label", "type": "nominal", "title": text.y or " "},
                        {"field": "value", "type": "quantitative", "title": text.x or " ", "format": _number_format(decimals)}],
        },
        "config": _config(lang, font),
    }  # fmt: skip


def distribution_spec(*, values: Sequence[float], text: ChartText, lang: str = "nb", decimals: int = 1,
                      width: int | str = "container", height: int = 200, bins: int = 20, font: str | None = None) -> dict:
    """A histogram of values: how many units fall in each band."""
    return {
        "$schema": SCHEMA, "description": text.description, "width": width, "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": [{"value": v} for v in values]},
        "mark": {"type": "bar", "color": BAR_COLOUR, "binSpacing": 1},
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "bin": {"maxbins": bins}, "title": text.x or None,
                  "axis": {"format": _number_format(decimals)}},
            "y": {"aggregate": "count", "type": "quantitative", "title": text.count or None, "axis": {"tickMinStep": 1}},
            "tooltip": [{"field": "value", "type": "quantitative", "bin": {"maxbins": bins}, "title": text.x or " ",
                         "format": _number_format(decimals)},
                        {"aggregate": "count", "type": "quantitative", "title": text.count or " "}],
        },
        "config": _config(lang, font),
    }  # fmt: skip


def series_start_spec(*, rows: Sequence[dict], start: str, start_label: str, text: ChartText, lang: str = "nb",
                      decimals: int = 1, width: int | str = "container", height: int = 220,
                      font: str | None = None) -> dict:
    """``series_spec``'s lines with a dashed vertical rule at the ``start`` period, labelled ``start_label``
    (e.g. an action's first year: the yearly means of its partners and of similar units before and after)."""
    base = series_spec(rows=rows, text=text, lang=lang, decimals=decimals, width=width, height=height, font=font)
    x = {"field": "period", "type": "ordinal"}
    rule = {"data": {"values": [{"period": start, "label": start_label}]},
            "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#444444"}, "encoding": {"x": x}}
    label = {"data": {"values": [{"period": start, "label": start_label}]},
             "mark": {"type": "text", "align": "left", "dx": 4, "dy": -4, "baseline": "top", "color": "#444444"},
             "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "label"}}}
    lines = {"mark": base.pop("mark"), "encoding": base.pop("encoding")}
    return {**base, "layer": [lines, rule, label]}
