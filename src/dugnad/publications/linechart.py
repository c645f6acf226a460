"""Line charts drawn straight to SVG from the publications' Vega-Lite line spec, for the PDF renderer.

A VLR carries ~40 line charts (three per goal), and drawing each through vl-convert (Vega in V8) cost ~36 ms on an
idle core, ~74 % of a batch of VLRs. The spec is unchanged (the web and the portal draw it with Vega); this module
draws exactly the shape :func:`dugnad.publications.charts.line_spec` makes — periods on an ordinal x axis, values
on a zero-based linear y axis with nice ticks and grid, one line with points per series, coloured and dashed by
series (both scales in ascending series order, as Vega-Lite sorts a nominal domain), the legend below — in well
under a millisecond. A spec of any other shape (another chart, or ``line_spec`` changed without this module) gives
``None`` and is drawn by vl-convert as before.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

#: The parts of ``line_spec`` this module draws, with the data, description and y title left out (see ``_shape``).
#: A spec that differs in anything else is not drawn here.
SHAPE = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "width": 360, "height": 140,
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "period", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
        "y": {"field": "value", "type": "quantitative"},
        "color": {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                  "scale": {"range": ["#1b5e9e", "#e08a00", "#5b5b5b", "#2e8540"]}},
        "strokeDash": {"field": "series", "type": "nominal", "legend": None},
    },
    "config": {"font": "Lato", "view": {"stroke": None}},
}  # fmt: skip

#: Vega-Lite's default dash patterns of a nominal ``strokeDash`` scale, in domain order.
DASHES = ([1, 0], [4, 2], [2, 1], [1, 1], [1, 2, 1, 2])
LABEL_SIZE, TITLE_SIZE = 10, 11
PADDING, TICK, LABEL_PAD, TITLE_PAD = 5, 5, 2, 4
POINT_RADIUS = math.sqrt(30 / math.pi)  # Vega-Lite's default point size 30 (area)


def _shape(spec: dict) -> dict | None:
    """The spec without its data, description and y title (None when it lacks them)."""
    try:
        encoding = {**spec["encoding"], "y": {k: v for k, v in spec["encoding"]["y"].items() if k != "title"}}
        return {k: v for k, v in spec.items() if k not in ("data", "description")} | {"encoding": encoding}
    except (KeyError, TypeError, AttributeError):
        return None


def drawable(spec: dict) -> bool:
    """Whether the spec is a line chart of exactly the shape this module draws."""
    if _shape(spec) != SHAPE:
        return False
    rows = spec.get("data", {}).get("values")
    title = spec["encoding"]["y"].get("title")
    return (isinstance(rows, list) and (title is None or isinstance(title, str))
            and all(isinstance(r, dict) and isinstance(r.get("value"), int | float) and not isinstance(r["value"], bool)
                    and math.isfinite(r["value"]) and isinstance(r.get("series"), str) and isinstance(r.get("period"), str)
                    for r in rows))


def _text_width(text: str, size: float) -> float:
    """An estimate of the text's width in Lato at this size (advance widths by kind of character)."""
    em = 0.0
    for ch in text:
        if ch.isdigit():
            em += 0.58
        elif ch in " .,:;'|!il":
            em += 0.26
        elif ch.isupper():
            em += 0.66
        else:
            em += 0.52
    return em * size


def _nice_step(span: float, count: int) -> float:
    """d3's tick step for a span and a wanted number of ticks (1, 2 or 5 × a power of ten)."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = 10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else 2 if error >= math.sqrt(2) else 1
    return factor * power


def _ticks(low: float, high: float, count: int) -> tuple[float, float, list[float]]:
    """The nice domain and its ticks (Vega's ``nice: true`` and ``tickCount``)."""
    if high == low:
        high = low + 1
    step = _nice_step(high - low, count)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    step = _nice_step(high - low, count)
    n = round((high - low) / step)
    return low, high, [low + i * step for i in range(n + 1)]


def _format(value: float, step: float) -> str:
    """A tick label as Vega formats it by default (``,`` thousands, the decimals the step needs)."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def line_svg(spec: dict) -> str | None:
    """The SVG of a ``line_spec`` chart, or None when the spec is not of that shape."""
    if not drawable(spec):
        return None
    rows = spec["data"]["values"]
    width, height = spec["width"], spec["height"]
    y_title = spec["encoding"]["y"].get("title")
    palette = spec["encoding"]["color"]["scale"]["range"]
    periods = sorted({r["period"] for r in rows})
    series = sorted({r["series"] for r in rows})
    values = [r["value"] for r in rows] or [0.0]
    low, high, ticks = _ticks(min(0.0, *values), max(0.0, *values), math.ceil(height / 40))
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    labels = [_format(t, step) for t in ticks]

    label_width = max(_text_width(t, LABEL_SIZE) for t in labels)
    left = PADDING + (TITLE_SIZE + TITLE_PAD if y_title else 0) + label_width + LABEL_PAD + TICK
    top = PADDING + LABEL_SIZE / 2
    x_axis = TICK + LABEL_PAD + LABEL_SIZE
    entries = [(name, palette[i % len(palette)], DASHES[i % len(DASHES)]) for i, name in enumerate(series)]
    legend_rows, row, row_width = [], [], 0.0
    for entry in entries:
        item = 20 + 5 + _text_width(entry[0], LABEL_SIZE) + 10
        if row and row_width + item > width:
            legend_rows.append(row)
            row, row_width = [], 0.0
        row.append((entry, row_width))
        row_width += item
    if row:
        legend_rows.append(row)
    legend_top = top + height + x_axis + 12
    total_width = left + width + PADDING + _text_width(periods[-1] if periods else "", LABEL_SIZE) / 2
    total_height = legend_top + 16 * len(legend_rows) + PADDING

    def y_at(value: float) -> float:
        return top + height - (value - low) / (high - low) * height

    band = width / max(len(periods), 1)
    x_of = {p: left + band * (i + 0.5) for i, p in enumerate(periods)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(total_width)}" height="{_num(total_height)}" '
           f'viewBox="0 0 {_num(total_width)} {_num(total_height)}" role="img" font-family="Lato">',
           f"<title>{escape(spec.get('description') or '')}</title>",
           f'<rect width="{_num(total_width)}" height="{_num(total_height)}" fill="#ffffff"/>']
    for tick, label in zip(ticks, labels, strict=True):
        y = _num(y_at(tick))
        out.append(f'<line x1="{_num(left)}" x2="{_num(left + width)}" y1="{y}" y2="{y}" stroke="#dddddd"/>')
        out.append(f'<line x1="{_num(left - TICK)}" x2="{_num(left)}" y1="{y}" y2="{y}" stroke="#888888"/>')
        out.append(f'<text x="{_num(left - TICK - LABEL_PAD)}" y="{_num(y_at(tick) + 3)}" text-anchor="end" '
                   f'font-size="{LABEL_SIZE}">{escape(label)}</text>')
    out.append(f'<line x1="{_num(left)}" x2="{_num(left)}" y1="{_num(top)}" y2="{_num(top + height)}" stroke="#888888"/>')
    if y_title:
        cx, cy = PADDING + TITLE_SIZE - 2, top + height / 2
        out.append(f'<text transform="translate({_num(cx)},{_num(cy)}) rotate(-90)" text-anchor="middle" '
                   f'font-size="{TITLE_SIZE}" font-weight="bold">{escape(y_title)}</text>')
    base = top + height
    out.append(f'<line x1="{_num(left)}" x2="{_num(left + width)}" y1="{_num(base)}" y2="{_num(base)}" stroke="#888888"/>')
    for period, x in x_of.items():
        out.append(f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{_num(base)}" y2="{_num(base + TICK)}" stroke="#888888"/>')
        out.append(f'<text x="{_num(x)}" y="{_num(base + TICK + LABEL_PAD + LABEL_SIZE - 1)}" text-anchor="middle" '
                   f'font-size="{LABEL_SIZE}">{escape(period)}</text>')
    for name, colour, dash in entries:
        points = sorted((x_of[r["period"]], y_at(r["value"])) for r in rows if r["series"] == name)
        dash_attr = "" if dash == [1, 0] else f' stroke-dasharray="{",".join(str(d) for d in dash)}"'
        path = " ".join(f"{'M' if i == 0 else 'L'}{_num(x)},{_num(y)}" for i, (x, y) in enumerate(points))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.extend(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(POINT_RADIUS)}" fill="{colour}"/>'
                   for x, y in points)
    for i, legend_row in enumerate(legend_rows):
        y = legend_top + 16 * i + 8
        for (name, colour, dash), offset in legend_row:
            x = left + offset
            dash_attr = "" if dash == [1, 0] else f' stroke-dasharray="{",".join(str(d) for d in dash)}"'
            out.append(f'<line x1="{_num(x)}" x2="{_num(x + 20)}" y1="{_num(y)}" y2="{_num(y)}" stroke="{colour}" '
                       f'stroke-width="2"{dash_attr}/>')
            out.append(f'<circle cx="{_num(x + 10)}" cy="{_num(y)}" r="{_num(POINT_RADIUS)}" fill="{colour}"/>')
            out.append(f'<text x="{_num(x + 25)}" y="{_num(y + 3.5)}" font-size="{LABEL_SIZE}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
