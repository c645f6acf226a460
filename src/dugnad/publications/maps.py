"""Maps in the publications: the portal's Vega-Lite geoshape specs (:mod:`dugnad.analytics.maps.spec`) with the
shipped boundaries inline, each as a :class:`Chart` with alt text followed by a :class:`Table` alternative.

The boundaries are the TopoJSON files the web serves (``web/static/web/maps/<period>.topo.json``), chosen by the
round's year (2020–2023: the 2020 structure, 2024 and later: the 2024 one). A map carries only the units it shows
and the arcs they use, so the spec (and its cache key) stays small.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from dugnad.analytics.maps.boundaries import ATTRIBUTION, COUNTIES, MUNICIPALITIES, boundary_set_for
from dugnad.analytics.maps.spec import STATUS_COLOURS, MapMode, MapText, choropleth_spec, locator_spec
from dugnad.publications.builders.labels import colour_label
from dugnad.publications.builders.names import goals, number, unit_name
from dugnad.publications.charts import FONT
from dugnad.publications.document import Chart, Paragraph, Table

#: The shipped boundary files (the web serves the same files as static assets).
BOUNDARIES_DIR = Path(__file__).resolve().parent.parent / "web" / "static" / "web" / "maps"
__all__ = ["COUNTIES", "MUNICIPALITIES", "locator_map", "status_map", "topology_for"]


@lru_cache(maxsize=4)
def _topology(filename: str) -> dict:
    return json.loads((BOUNDARIES_DIR / filename).read_text(encoding="utf-8"))


def topology_for(year: int) -> dict:
    """The parsed TopoJSON of the boundaries in force in a year (read once per process)."""
    return _topology(boundary_set_for(year).filename)


def _remap(arcs, index: dict[int, int]):
    """Arc references of a geometry renumbered (``~i`` = reversed arc ``i``) through ``index``."""
    if isinstance(arcs, int):
        return index[arcs] if arcs >= 0 else ~index[~arcs]
    return [_remap(a, index) for a in arcs]


def _used(arcs, into: set[int]) -> None:
    if isinstance(arcs, int):
        into.add(arcs if arcs >= 0 else ~arcs)
    else:
        for a in arcs:
            _used(a, into)


def topology_subset(topology: dict, layer: str, codes: set[str] | None = None) -> dict:
    """One object of a topology (only the units with these codes) with only the arcs it uses."""
    geometries = [g for g in topology["objects"][layer]["geometries"]
                  if codes is None or g.get("properties", {}).get("code") in codes]
    used: set[int] = set()
    for g in geometries:
        _used(g.get("arcs", []), used)
    order = sorted(used)
    index = {old: new for new, old in enumerate(order)}
    kept = [{**g, "arcs": _remap(g["arcs"], index)} if "arcs" in g else g for g in geometries]
    subset = {"type": "Topology", "objects": {layer: {"type": "GeometryCollection", "geometries": kept}},
              "arcs": [topology["arcs"][i] for i in order]}
    if "transform" in topology:
        subset["transform"] = topology["transform"]
    return subset


def _attribution() -> Paragraph:
    return Paragraph(text=_("Kartgrunnlag: %(source)s") % {"source": ATTRIBUTION})


def weakest_goal_status(own_scores, units: list, scores: dict, lang: str):
    """The goal the area scores lowest on, its name, one status row per unit for it and the colour count in words.

    ``own_scores``: the area's goal scores; ``scores``: (unit pk, goal) → goal score of the units shown. ``None``
    when the area has no scored goal.
    """
    own = [g for g in own_scores if g.score is not None]
    if not own:
        return None
    weakest = min(own, key=lambda g: (g.score, g.goal)).goal
    goal_name = {g.number: n for g, n in goals(lang)}.get(weakest, str(weakest))
    rows = []
    for unit in units:
        g = scores.get((unit.pk, weakest))
        rows.append({"code": unit.code, "name": unit_name(unit, lang), "status": (g.colour if g else "") or "grey",
                     "display": number(g.score if g else None, lang)})
    counted = Counter(r["status"] for r in rows)
    summary = ", ".join(f"{colour_label(col).lower()} {counted[col]}"
                        for col in ("green", "yellow", "orange", "red", "grey") if counted.get(col))
    return weakest, goal_name, rows, summary


def status_map(*, id: str, title: str, alt: str, year: int, layer: str, rows: list[dict], unit_label: str,
               value_label: str, table_caption: str, lang: str, refs: list[str] | None = None,
               width: int = 420, height: int = 460) -> list:
    """A four-colour status choropleth of ``rows`` (``code``, ``name``, ``status``, ``display``) with its table
    (unit, ``display`` under ``value_label``, status); the map's legend and tooltips show the status.

    Only the units in ``rows`` are drawn; they are every unit of the map, so no empty grey layer is drawn.
    """
    codes = {r["code"] for r in rows}
    topology = topology_subset(topology_for(year), layer, codes)
    statuses = {code: colour_label(code) for code in STATUS_COLOURS if code != "grey"}
    text = MapText(description=alt, unit=unit_label, value=_("Status"), missing=colour_label("grey"), status=statuses)
    shown = [{"code": r["code"], "name": r["name"], "status": r.get("status") or "grey"} for r in rows]
    spec = choropleth_spec(topology=topology, layer=layer, rows=shown, text=text, mode=MapMode.STATUS, lang=lang,
                           width=width, height=height, font=FONT, complete=True)
    table = Table(caption=table_caption, header=[unit_label, value_label, _("Status")],
                  rows=[[r["name"], r.get("display", ""), colour_label(r.get("status") or "grey")] for r in rows],
                  refs=refs or [])
    return [Chart(id=id, title=title, alt=alt, spec=spec), table, _attribution()]


def locator_map(*, id: str, title: str, alt: str, year: int, highlight: str, names: dict[str, str],
                unit_label: str, highlight_label: str, others_label: str, table_caption: str, lang: str) -> list:
    """A locator map: the unit ``highlight`` among the units ``names`` (code → name), with a table of them."""
    topology = topology_subset(topology_for(year), MUNICIPALITIES, set(names))
    text = MapText(description=alt, unit=unit_label, value=highlight_label, missing=others_label)
    spec = locator_spec(topology=topology, layer=MUNICIPALITIES, highlight=highlight, names=names, text=text,
                        lang=lang, width=360, height=300, font=FONT)
    marked = _("(denne enheten)")
    rows = [[f"{name} {marked}" if code == highlight else name, code] for code, name in names.items()]
    table = Table(caption=table_caption, header=[unit_label, _("Kode")], rows=rows)
    return [Chart(id=id, title=title, alt=alt, spec=spec), table, _attribution()]
