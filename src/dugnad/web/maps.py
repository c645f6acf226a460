"""Maps on pages: the front page's demonstration choropleth and the locator map of a unit page.

The specs come from :mod:`dugnad.analytics.maps.spec`; the boundaries are the shipped TopoJSON files
in ``web/static/web/maps/`` (built by ``dugnad maps build``), referenced by URL so the browser caches them.
"""

from __future__ import annotations

import datetime as dt

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dugnad.analytics.maps.boundaries import ATTRIBUTION, COUNTIES, MUNICIPALITIES, boundary_set_for
from dugnad.analytics.maps.spec import MapText, choropleth_spec, locator_spec, map_summary, number_text
from dugnad.catalogue.selectors import indicator_by_code
from dugnad.observations.selectors import latest_carried_values
from dugnad.units.selectors import units_on
from dugnad.web.figures import Cell, Column, Figure, TableAlternative
from dugnad.web.vocab import localized

#: The demo indicator the front page maps (when the demo is loaded): completion of upper secondary school.
DEMO_INDICATOR = ("dugnad-demo", "D04.1")


def topology_url(year: int) -> str:
    """URL of the shipped boundaries in force in a year."""
    return static(f"web/maps/{boundary_set_for(year).filename}")


def _language() -> str:
    """The page's language code (nb, nn or en)."""
    return (get_language() or "nb")[:2]


def _attribution() -> str:
    """The map source line Kartverket's licence asks for."""
    return _("Kartgrunnlag: %(source)s") % {"source": ATTRIBUTION}


def demo_indicator_map(*, on: dt.date | None = None) -> Figure | None:
    """Norway's municipalities coloured by the demo indicator's latest values, or None without demo data.

    The values are carried onto the municipalities in force on the map's date (``observations.selectors.
    latest_carried_values``): a value stored under a pre-reform code shows on its successor, and the tooltip and
    the table say «videreført fra 3001 Halden»."""
    indicator = indicator_by_code(*DEMO_INDICATOR)
    if indicator is None:
        return None
    day = on or dt.date.today()
    lang = _language()
    municipalities = list(units_on(level="municipality", date=day))
    latest = latest_carried_values(on=day, indicator=indicator, units=municipalities, lang=lang)
    if not latest:
        return None
    period = max(r["period"] for r in latest.values())
    shown = {code: r for code, r in latest.items() if r["period"] == period}
    demo = any(r["is_demo"] for r in shown.values())

    def display(row: dict | None) -> str:
        if row is None:
            return ""
        text = number_text(row["value"], lang=lang)
        return f"{text} ({row['origin']})" if row["origin"] else text

    data = [{"code": u.code, "name": localized(u), "value": shown[u.code]["value"] if u.code in shown else None,
             "display": display(shown.get(u.code))} for u in municipalities]
    name = localized(indicator)
    unit_text = indicator.unit_of_measure
    summary = map_summary(data)
    alt = _("Kart over Norges kommuner farget etter «%(indicator)s» i %(period)s.") % {"indicator": name, "period": period}
    if summary.highest and summary.lowest:
        alt += " " + _("Høyest: %(high)s (%(high_value)s). Lavest: %(low)s (%(low_value)s).") % {
            "high": summary.highest[0], "high_value": number_text(summary.highest[1], lang=lang),
            "low": summary.lowest[0], "low_value": number_text(summary.lowest[1], lang=lang)}
    if summary.missing:
        alt += " " + _("%(count)s kommuner mangler tall.") % {"count": summary.missing}
    value_label = f"{name} ({unit_text})" if unit_text else name
    legend = _("Verdi (%(unit)s)") % {"unit": unit_text} if unit_text else _("Verdi")
    text = MapText(description=alt, unit=_("Kommune"), value=legend, missing=_("Mangler data"))
    # the boundaries of the map's date: the values are carried onto the units in force then
    spec = choropleth_spec(topology=topology_url(day.year), layer=MUNICIPALITIES, rows=data, text=text, lang=lang)
    caption = _("%(indicator)s per kommune, %(period)s") % {"indicator": name, "period": period}
    alternative = TableAlternative(
        caption=caption, caption_id="demo-map-table",
        columns=[Column(_("Kommune")), Column(value_label, numeric=True)],
        rows=[[Cell(row["name"], href=reverse("unit-detail", args=[row["code"]])),
               Cell(row["display"] if row["value"] is not None else "–", numeric=True)] for row in data],
    )
    return Figure(kind="map", dom_id="demo-map", title=caption, alt=alt, spec=spec, table=alternative, demo=demo,
                  attribution=_attribution())


def unit_locator_map(unit, *, on: dt.date | None = None) -> Figure | None:
    """Where a unit lies: a municipality among its county's municipalities, a county among the counties."""
    day = on or dt.date.today()
    level = unit.level.code
    name = localized(unit)
    if level == "municipality" and unit.parent is not None:
        county = localized(unit.parent)
        shown = [u for u in units_on(level="municipality", date=day) if u.parent_id == unit.parent_id]
        layer, within, highlight = MUNICIPALITIES, unit.parent.code, unit.code
        others = _("Andre kommuner i %(county)s") % {"county": county}
        alt = _("Kart som viser hvor %(unit)s ligger i %(county)s.") % {"unit": name, "county": county}
        kind_label = _("Kommune")
    elif level in ("county", "country"):
        shown = list(units_on(level="county", date=day))
        layer, within = COUNTIES, None
        highlight = unit.code if level == "county" else None
        others = _("Andre fylker")
        alt = (_("Kart som viser hvor %(unit)s ligger i Norge.") % {"unit": name} if highlight
               else _("Kart over Norges fylker."))
        kind_label = _("Fylke")
    else:
        return None
    names = {u.code: localized(u) for u in shown}
    text = MapText(description=alt, unit=kind_label, value=name, missing=others)
    spec = locator_spec(topology=topology_url(day.year), layer=layer, highlight=highlight, within=within, names=names,
                        text=text, lang=_language())
    marked = _("(denne siden)")
    alternative = TableAlternative(
        caption=_("Enhetene på kartet"), caption_id="locator-map-table", columns=[Column(kind_label), Column(_("Kode"))],
        rows=[[Cell(f"{names[u.code]} {marked}" if u.code == unit.code else names[u.code],
                    href="" if u.code == unit.code else reverse("unit-detail", args=[u.code])), Cell(u.code)] for u in shown],
    )
    return Figure(kind="map", dom_id="locator-map", title=_("Hvor %(unit)s ligger") % {"unit": name}, alt=alt, spec=spec,
                  table=alternative, attribution=_attribution(), size="short")
