"""Chart specs (Vega-Lite, shared by the web and PDF) and their SVG rendering in one warm vl-convert engine, with a
cache of rendered SVGs by spec hash (in memory and on disk) shared by the documents of a batch."""

from __future__ import annotations

import hashlib
import json
import os
import time
import zlib
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "Lato"


# The specs carry their title as ``description`` (the accessible name of the drawn SVG), not as a drawn title: the
# figure around every chart (PDF caption, HTML <figcaption>, the portal's figure) shows it, and each drawn text
# costs vl-convert a measurement (a drawn title was ~25 % of a line chart's rendering time).


def line_spec(*, title: str, series: list[dict], unit_of_measure: str) -> dict:
    """A line chart of values by period for several series (``{"series", "period", "value"}`` rows)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
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
        "description": title,
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
        "description": title,
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


#: Bump when the cached SVG of the same spec would change for another reason than the renderer's version.
CACHE_FORMAT = 1
#: SVGs kept in memory per process (least recently used dropped first); the disk cache keeps every one.
MEMORY_ENTRIES = 512
_memory: OrderedDict[str, str] = OrderedDict()


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """What the SVG of a spec depends on besides the spec: vl-convert (with its Vega and Vega-Lite), fonts, format."""
    import vl_convert

    fonts = ",".join(sorted(f"{p.name}:{p.stat().st_size}" for p in FONT_DIR.iterdir() if p.is_file()))
    return f"vl-convert {vl_convert.__version__}; fonts {hashlib.sha256(fonts.encode()).hexdigest()[:12]}; v{CACHE_FORMAT}"


def spec_key(spec: dict) -> str:
    """The cache key of a spec: SHA-256 of its canonical JSON and the renderer version."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{renderer_version()}\n{text}".encode()).hexdigest()


#: Where the disk cache lives when set (benchmarks and tests); otherwise ``<data dir>/cache/charts``.
CACHE_ROOT: Path | None = None


def cache_dir() -> Path | None:
    """The on-disk chart cache below the data directory (``cache/charts/``), None when switched off."""
    from dugnad.env import data_dir, env

    if env("DUGNAD_CHART_CACHE") == "0":
        return None
    if CACHE_ROOT is not None:
        return CACHE_ROOT
    return data_dir() / "cache" / "charts"


def cache_clear_memory() -> None:
    """Forget the SVGs kept in this process (the disk cache stays)."""
    _memory.clear()


class SvgEngine:
    """Renders Vega-Lite specs to SVG with vl-convert, warmed once per process; records the time spent.

    The SVG of a spec is looked up by :func:`spec_key` first in this process's memory, then in the disk cache
    (shared by the processes of a batch and later runs), and rendered only when neither has it. ``cache=False``
    renders every spec (the benchmarks' baseline).

    A line chart of :func:`line_spec`'s shape is drawn straight to SVG by :mod:`dugnad.publications.linechart`
    (well under a millisecond, against ~36 ms in vl-convert) unless ``native=False`` (the benchmarks' baseline);
    every other spec (maps, bars, matrices) goes through vl-convert and the cache.
    """

    _warm = False

    def __init__(self, *, cache: bool = True, native: bool = True) -> None:
        self.seconds = 0.0
        self.count = 0
        self.rendered = 0
        self.native = 0
        self.cache = cache
        self.use_native = native

    def render(self, spec: dict) -> str:
        """The SVG text of one spec."""
        start = time.perf_counter()
        self.count += 1
        if self.use_native:
            from dugnad.publications.linechart import line_svg

            svg = line_svg(spec)
            if svg is not None:
                self.native += 1
                self.seconds += time.perf_counter() - start
                return svg
        if not self.cache:
            svg = self._convert(spec)
            self.seconds += time.perf_counter() - start
            return svg
        key = spec_key(spec)
        svg = _memory.get(key)
        if svg is not None:
            _memory.move_to_end(key)
        else:
            svg = self._disk_read(key)
            if svg is None:
                svg = self._convert(spec)
                self._disk_write(key, svg)
            _memory[key] = svg
            while len(_memory) > MEMORY_ENTRIES:
                _memory.popitem(last=False)
        self.seconds += time.perf_counter() - start
        return svg

    def _convert(self, spec: dict) -> str:
        import vl_convert

        if not SvgEngine._warm:
            vl_convert.register_font_directory(str(FONT_DIR))
            SvgEngine._warm = True
        self.rendered += 1
        return vl_convert.vegalite_to_svg(spec)

    @staticmethod
    def _disk_read(key: str) -> str | None:
        root = cache_dir()
        if root is None:
            return None
        try:
            return zlib.decompress((root / key[:2] / f"{key}.svg.z").read_bytes()).decode("utf-8")
        except (OSError, zlib.error, UnicodeDecodeError):
            return None

    @staticmethod
    def _disk_write(key: str, svg: str) -> None:
        root = cache_dir()
        if root is None:
            return
        folder = root / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(zlib.compress(svg.encode("utf-8"), 1))
            os.replace(tmp, folder / f"{key}.svg.z")
        except OSError:  # a read-only or full disk only costs the next run its cache
            return
