"""Charts and maps of the public portal: ``Figure`` objects from the portal snapshot and the analytics core's specs."""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _

from dugnad.analytics.charts import ChartText, bars_spec, distribution_spec, series_spec
from dugnad.analytics.maps.boundaries import COUNTIES, MUNICIPALITIES
from dugnad.analytics.maps.spec import MapMode, MapText, choropleth_spec, map_summary, number_text
from dugnad.portal.selectors import IndicatorLine, latest_values
from dugnad.portal.snapshot import IndicatorInfo, PortalSnapshot, UnitInfo
from dugnad.web.figures import Cell, Column, Figure, TableAlternative
from dugnad.web.maps import _attribution, topology_url
from dugnad.web.vocab import status_label


@functools.cache
def _unit_url_pattern() -> str:
    return reverse("unit-detail", args=["CODE"])


def unit_url(code: str) -> str:
    """The unit page's address (one ``reverse`` per process, not one per table row)."""
    return _unit_url_pattern().replace("CODE", code)


@functools.cache
def _url_pattern(name: str, *placeholders: str) -> str:
    return reverse(name, args=list(placeholders))


#: What ``reverse`` leaves unquoted in an argument.
_URL_SAFE = "!$&'()*+,;=/~:@"


def url_of(name: str, *args: str) -> str:
    """``reverse(name, args=args)`` for a URL of ``<str:…>`` parts only, from one ``reverse`` per process (a unit page
    names ~80 indicator pages and embed charts)."""
    placeholders = tuple(f"ARG{i}X" for i in range(len(args)))
    url = _url_pattern(name, *placeholders)
    for placeholder, arg in zip(placeholders, args, strict=True):
        url = url.replace(placeholder, quote(str(arg), safe=_URL_SAFE), 1)
    return url


def num(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number in the page's language, or a dash."""
    return "–" if value is None else number_text(value, lang=lang, decimals=decimals)


def _unit_text(indicator: IndicatorInfo) -> str:
    return indicator.unit_of_measure or _("verdi")


def line_figure(line: IndicatorLine, unit: UnitInfo, snap: PortalSnapshot, lang: str, dom_id: str) -> Figure | None:
    """The unit's time series beside its county and the country (where they have one)."""
    ind = line.indicator
    groups = [(unit.name(lang), line.series)]
    for code in (unit.parent, snap.country().code if snap.country() else None):
        points = snap.series.get(ind.key, {}).get(code) if code and code != unit.code and code in snap.units else None
        if points and snap.units[code].name(lang) not in {g[0] for g in groups}:
            groups.append((snap.units[code].name(lang), points))
    if not line.series:
        return None
    rows = [{"series": name, "period": p, "value": v} for name, points in groups for p, v in points]
    title = ind.name(lang)
    alt = _("Linjediagram: %(indicator)s for %(unit)s fra %(first)s til %(last)s, %(first_value)s og %(last_value)s %(uom)s.") % {
        "indicator": title, "unit": unit.name(lang), "first": line.series[0][0], "last": line.series[-1][0],
        "first_value": num(line.series[0][1], lang), "last_value": num(line.series[-1][1], lang), "uom": _unit_text(ind)}
    spec = series_spec(rows=rows, lang=lang, text=ChartText(description=alt, x=_("År"), y=_unit_text(ind), series=_("Enhet")))
    periods = sorted({r["period"] for r in rows})
    values = {(name, p): v for name, points in groups for p, v in points}
    table = TableAlternative(
        caption=_("%(indicator)s per år") % {"indicator": title}, caption_id=f"{dom_id}-table",
        columns=[Column(_("År"))] + [Column(name, numeric=True) for name, _points in groups],
        rows=[[Cell(p)] + [Cell(num(values.get((name, p)), lang), numeric=True) for name, _points in groups] for p in periods])
    return Figure(kind="chart", dom_id=dom_id, title=title, alt=alt, spec=spec, table=table,
                  demo=line.provenance.is_demo if line.provenance else ind.demo, size="chart")


def indicator_map(snap: PortalSnapshot, ind: IndicatorInfo, lang: str, *, level: str, dom_id: str,
                  year: int | None = None) -> Figure | None:
    """A choropleth of all municipalities or all counties by the indicator's value in the score run (or in ``year``)."""
    units = snap.by_level(level)
    values = latest_values(snap, ind.key, level, year)
    if not any(v is not None for v in values.values()):
        return None
    if year is None:
        years = [c.year for u in units if (c := snap.indicator_cells.get(u.code, {}).get(ind.key)) and c.year]
        year = max(years) if years else (snap.run_year or 2024)
    data = []
    for u in units:
        row = {"code": u.code, "name": u.name(lang), "value": values[u.code]}
        carried = snap.carried.get(ind.key, {}).get(u.code, {}).get(str(year)) if values[u.code] is not None else None
        if carried:  # a value stored under a pre-reform code: say so in the tooltip and the table
            row["display"] = f"{num(values[u.code], lang)} ({carried[lang]})"
        data.append(row)
    name = ind.name(lang)
    kind = _("kommuner") if level == "municipality" else _("fylker")
    alt = _("Kart over Norges %(kind)s farget etter «%(indicator)s» (%(uom)s), %(year)s.") % {
        "kind": kind, "indicator": name, "uom": _unit_text(ind), "year": year}
    summary = map_summary(data)
    if summary.highest and summary.lowest:
        alt += " " + _("Høyest: %(high)s (%(high_value)s). Lavest: %(low)s (%(low_value)s).") % {
            "high": summary.highest[0], "high_value": num(summary.highest[1], lang),
            "low": summary.lowest[0], "low_value": num(summary.lowest[1], lang)}
    if summary.missing:
        alt += " " + _("%(count)s enheter mangler tall.") % {"count": summary.missing}
    unit_label = _("Kommune") if level == "municipality" else _("Fylke")
    text = MapText(description=alt, unit=unit_label, value=_("Verdi (%(unit)s)") % {"unit": _unit_text(ind)},
                   missing=_("Mangler data"))
    spec = choropleth_spec(topology=topology_url(max(year, 2024)), layer=MUNICIPALITIES if level == "municipality" else COUNTIES,
                           rows=data, text=text, lang=lang, height=440 if level == "municipality" else 380,
                           complete=True)  # every unit of the level is in ``data``
    caption = (_("%(indicator)s per kommune, %(year)s") if level == "municipality"
               else _("%(indicator)s per fylke, %(year)s")) % {"indicator": name, "year": year}
    table = TableAlternative(caption=caption, caption_id=f"{dom_id}-table",
                             columns=[Column(unit_label), Column(_unit_text(ind), numeric=True)],
                             rows=[[Cell(r["name"], href=unit_url(r["code"])),
                                    Cell(r.get("display") or num(r["value"], lang), numeric=True)] for r in data])
    return Figure(kind="map", dom_id=dom_id, title=caption, alt=alt, spec=spec, table=table, demo=ind.demo,
                  attribution=_attribution())


def goal_map(snap: PortalSnapshot, goal: int | None, lang: str, *, dom_id: str = "goal-map") -> Figure | None:
    """The municipalities coloured by their four-colour status on a goal (or on the index, coloured by score)."""
    units = snap.by_level("municipality")
    if not snap.goal_cells:
        return None
    unit_label = _("Kommune")
    if goal is None:
        data = [{"code": u.code, "name": u.name(lang), "value": (snap.index.get(u.code) or (None, None))[0]} for u in units]
        mode, title = MapMode.VALUE, _("Bærekraftsindeks per kommune (0–100)")
        alt = _("Kart over Norges kommuner farget etter poeng i bærekraftsindeksen (0–100).")
        value_label = _("Poeng (0–100)")
    else:
        data = []
        for u in units:
            cell = snap.goal_cells.get(u.code, {}).get(goal)
            data.append({"code": u.code, "name": u.name(lang), "status": cell.colour if cell else "grey",
                         "display": status_label(cell.colour if cell else "grey")})
        mode = MapMode.STATUS
        title = _("Status for mål %(number)s per kommune") % {"number": goal}
        alt = _("Kart over Norges kommuner farget etter status for mål %(number)s: %(goal)s.") % {
            "number": goal, "goal": snap.goals[goal].name(lang)}
        counts = {}
        for row in data:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        alt += " " + "; ".join(f"{status_label(c)}: {n}" for c, n in sorted(counts.items()))
        value_label = _("Status")
    year = snap.run_year or 2024
    text = MapText(description=alt, unit=unit_label, value=value_label, missing=_("Mangler data"),
                   status={c: status_label(c) for c in ("green", "yellow", "orange", "red", "grey")})
    spec = choropleth_spec(topology=topology_url(max(year, 2024)), layer=MUNICIPALITIES, rows=data, text=text, lang=lang,
                           mode=mode)
    table = TableAlternative(
        caption=title, caption_id=f"{dom_id}-table", columns=[Column(unit_label), Column(value_label, numeric=goal is None)],
        rows=[[Cell(r["name"], href=unit_url(r["code"])),
               Cell(num(r.get("value"), lang) if goal is None else r["display"], numeric=goal is None)] for r in data])
    return Figure(kind="map", dom_id=dom_id, title=title, alt=alt, spec=spec, table=table, demo=snap.demo,
                  attribution=_attribution())


def distribution_figure(snap: PortalSnapshot, ind: IndicatorInfo, lang: str, *, dom_id: str = "distribution",
                        year: int | None = None) -> Figure | None:
    """How the municipalities' values spread: a histogram."""
    values = [v for v in latest_values(snap, ind.key, "municipality", year).values() if v is not None]
    if len(values) < 3:
        return None
    name = ind.name(lang)
    ordered = sorted(values)
    median = ordered[len(ordered) // 2] if len(ordered) % 2 else (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2
    alt = _("Histogram over %(count)s kommuners verdier for «%(indicator)s»: fra %(low)s til %(high)s, median %(median)s.") % {
        "count": len(values), "indicator": name, "low": num(ordered[0], lang), "high": num(ordered[-1], lang),
        "median": num(median, lang)}
    spec = distribution_spec(values=values, lang=lang,
                             text=ChartText(description=alt, x=_unit_text(ind), count=_("Antall kommuner")))
    quart = [ordered[int(q * (len(ordered) - 1))] for q in (0, 0.25, 0.5, 0.75, 1)]
    labels = [_("Lavest"), _("Nedre kvartil"), _("Median"), _("Øvre kvartil"), _("Høyest")]
    table = TableAlternative(caption=_("Fordeling av kommunenes verdier"), caption_id=f"{dom_id}-table",
                             columns=[Column(_("Mål")), Column(_unit_text(ind), numeric=True)],
                             rows=[[Cell(label), Cell(num(value, lang), numeric=True)]
                                   for label, value in zip(labels, quart, strict=True)])
    return Figure(kind="chart", dom_id=dom_id, title=_("Fordeling blant kommunene"), alt=alt, spec=spec, table=table,
                  demo=ind.demo, size="chart")


def compare_figure(snap: PortalSnapshot, ind: IndicatorInfo, units: list[UnitInfo], lang: str, dom_id: str) -> Figure | None:
    """Bars of the chosen units' values on one indicator."""
    rows = [{"label": u.name(lang), "value": c.value} for u in units
            if (c := snap.indicator_cells.get(u.code, {}).get(ind.key)) and c.value is not None]
    if not rows:
        return None
    name = ind.name(lang)
    alt = _("Stolpediagram: %(indicator)s for %(units)s.") % {
        "indicator": name, "units": "; ".join(f"{r['label']} {num(r['value'], lang)}" for r in rows)}
    spec = bars_spec(rows=rows, lang=lang, text=ChartText(description=alt, x=_unit_text(ind), y=_("Enhet")))
    table = TableAlternative(caption=name, caption_id=f"{dom_id}-table",
                             columns=[Column(_("Enhet")), Column(_unit_text(ind), numeric=True)],
                             rows=[[Cell(r["label"]), Cell(num(r["value"], lang), numeric=True)] for r in rows])
    return Figure(kind="chart", dom_id=dom_id, title=name, alt=alt, spec=spec, table=table, demo=ind.demo, size="chart")


def locator_figure(snap: PortalSnapshot, unit: UnitInfo, lang: str) -> Figure | None:
    """Where the unit lies: a municipality among its county's municipalities, a county (or Norway) among the counties."""
    from dugnad.analytics.maps.spec import locator_spec

    name = unit.name(lang)
    year = max(snap.run_year or 2024, 2024)
    if unit.level == "municipality" and unit.parent in snap.units:
        county = snap.units[unit.parent].name(lang)
        shown = [u for u in snap.by_level("municipality") if u.parent == unit.parent]
        layer, within, highlight, kind_label = MUNICIPALITIES, unit.parent, unit.code, _("Kommune")
        others = _("Andre kommuner i %(county)s") % {"county": county}
        alt = _("Kart som viser hvor %(unit)s ligger i %(county)s.") % {"unit": name, "county": county}
    elif unit.level in ("county", "country"):
        shown = snap.by_level("county")
        layer, within, kind_label = COUNTIES, None, _("Fylke")
        highlight = unit.code if unit.level == "county" else None
        others = _("Andre fylker")
        alt = (_("Kart som viser hvor %(unit)s ligger i Norge.") % {"unit": name} if highlight
               else _("Kart over Norges fylker."))
    else:
        return None
    names = {u.code: u.name(lang) for u in shown}
    spec = locator_spec(topology=topology_url(year), layer=layer, highlight=highlight, within=within, names=names,
                        text=MapText(description=alt, unit=kind_label, value=name, missing=others), lang=lang)
    marked = _("(denne siden)")
    table = TableAlternative(
        caption=_("Enhetene på kartet"), caption_id="locator-map-table", columns=[Column(kind_label), Column(_("Kode"))],
        rows=[[Cell(f"{names[u.code]} {marked}" if u.code == unit.code else names[u.code],
                    href="" if u.code == unit.code else unit_url(u.code)), Cell(u.code)] for u in shown])
    return Figure(kind="map", dom_id="locator-map", title=_("Hvor %(unit)s ligger") % {"unit": name}, alt=alt, spec=spec,
                  table=table, attribution=_attribution(), size="short")
