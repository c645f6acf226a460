"""The PDF's own line-chart drawing: exactly line_spec's shape, every series and point drawn, others left to vl-convert."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dugnad.publications import linechart
from dugnad.publications.charts import SvgEngine, bar_spec, line_spec, matrix_spec

NS = {"s": "http://www.w3.org/2000/svg"}


def _spec(**overrides):
    rows = [{"series": s, "period": p, "value": v}
            for s, values in (("Bergen", (10.0, 12.5, 40.0)), ("Vestland", (8.0, 9.0, 11.0)), ("Norge", (7.0, 7.5, 8.0)))
            for p, v in zip(("2021", "2022", "2023"), values, strict=True)]
    return line_spec(**({"title": "Andel <barn> & unge", "series": rows, "unit_of_measure": "prosent"} | overrides))


def test_the_shape_drawn_is_the_one_line_spec_makes():
    """Guard: when line_spec changes, this fails until linechart.SHAPE (and the drawing) follow."""
    assert linechart.drawable(_spec())
    assert linechart.drawable(_spec(unit_of_measure=""))


def test_other_specs_and_altered_line_specs_are_left_to_vl_convert():
    assert linechart.line_svg(bar_spec(title="t", rows=[{"label": "a", "value": 1}], x_title="x")) is None
    assert linechart.line_svg(matrix_spec(title="t", cells=[], colours=[("a", "#000")], x_title="x")) is None
    changed = _spec()
    changed["mark"] = {"type": "line", "point": False}
    assert linechart.line_svg(changed) is None
    bad_value = _spec()
    bad_value["data"]["values"][0]["value"] = "12"
    assert linechart.line_svg(bad_value) is None


def test_every_series_point_and_label_is_drawn():
    svg = linechart.line_svg(_spec())
    root = ET.fromstring(svg)  # well-formed, the title's < and & escaped
    assert root.find("s:title", NS).text == "Andel <barn> & unge"
    paths = root.findall("s:path", NS)
    assert len(paths) == 3
    # colours and dashes in ascending series order, as Vega-Lite sorts a nominal domain
    assert [p.get("stroke") for p in paths] == ["#1b5e9e", "#e08a00", "#5b5b5b"]  # Bergen, Norge, Vestland
    assert [p.get("stroke-dasharray") for p in paths] == [None, "4,2", "2,1"]
    assert len(root.findall("s:circle", NS)) == 9 + 3  # the points and the three legend symbols
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"2021", "2022", "2023", "Bergen", "Norge", "Vestland", "prosent"} <= set(texts)
    assert "0" in texts and "40" in texts  # a zero-based axis reaching the largest value


def test_points_sit_where_their_values_are():
    svg = linechart.line_svg(_spec())
    root = ET.fromstring(svg)
    bergen = root.findall("s:path", NS)[0].get("d").split()
    ys = [float(step.split(",")[1]) for step in bergen]
    assert ys[0] > ys[1] > ys[2]  # 10 → 12.5 → 40 rises (smaller y is higher)
    xs = [float(step[1:].split(",")[0]) for step in bergen]
    assert xs[0] < xs[1] < xs[2] and abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.01


def test_negative_values_and_single_points():
    rows = [{"series": "A", "period": "2020", "value": -3.5}]
    root = ET.fromstring(linechart.line_svg(_spec(series=rows)))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "0" in texts and any(t.startswith("-") for t in texts)


def test_the_engine_draws_line_charts_itself_and_only_those():
    engine = SvgEngine(cache=False)
    svg = engine.render(_spec())
    assert svg.startswith("<svg") and engine.native == 1 and engine.rendered == 0
