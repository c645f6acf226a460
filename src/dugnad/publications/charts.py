"""Chart specs (Vega-Lite, shared by the web and PDF) and their SVG rendering in one warm vl-convert engine."""

from __future__ import annotations

import time
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "Lato"


def line_spec(*, title: str, series: list[dict], unit_of_measure: str) -> dict:
    """A line chart of values by period for several series (``{"series", "period", "value"}`` rows)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 360, "height": 140,
        "data": {"values": series},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": unit_of_measure or None},
            "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                      "scale": {"range": ["#1b5e9e", "#e08a00", "#5b5b5b", "#2e8540"]}},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None},
        },
        "config": {"font": FONT, "view": {"stroke": None}},
    }  # fmt: skip


def bar_spec(*, title: str, rows: list[dict], x_title: str, colour: str = "#1b5e9e") -> dict:
    """A horizontal bar chart of ``{"label", "value"}`` rows (scores 0–100, shares …)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 360, "height": {"step": 14},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": colour},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "value", "type": "quantitative", "title": x_title, "scale": {"domain": [0, 100]}},
        },
        "config": {"font": FONT, "view": {"stroke": None}},
    }  # fmt: skip


def matrix_spec(*, title: str, cells: list[dict], colours: list[tuple[str, str]], x_title: str) -> dict:
    """A unit × goal matrix of ``{"row", "goal", "status"}`` cells coloured by status (``colours``: label, hex)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": {"step": 18}, "height": {"step": 16},
        "data": {"values": cells},
        "mark": {"type": "rect", "stroke": "#ffffff"},
        "encoding": {
            "x": {"field": "goal", "type": "ordinal", "title": x_title, "axis": {"labelAngle": 0}},
            "y": {"field": "row", "type": "nominal", "sort": None, "title": None},
            "color": {"field": "status", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                      "scale": {"domain": [c[0] for c in colours], "range": [c[1] for c in colours]}},
        },
        "config": {"font": FONT, "view": {"stroke": None}},
    }  # fmt: skip


class SvgEngine:
    """Renders Vega-Lite specs to SVG with vl-convert, warmed once per process; records the time spent."""

    _warm = False

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def render(self, spec: dict) -> str:
        """The SVG text of one spec."""
        import vl_convert

        start = time.perf_counter()
        if not SvgEngine._warm:
            vl_convert.register_font_directory(str(FONT_DIR))
            SvgEngine._warm = True
        svg = vl_convert.vegalite_to_svg(spec)
        self.seconds += time.perf_counter() - start
        self.count += 1
        return svg

