"""The counties' own indicator values in the reviews: the county review's table of the county's values and the
VSR's county × county-indicator table.

County-level indicators (``catalogue.selectors.is_county_level``: upper secondary school, county roads, public
transport, dental care) are reported by the counties themselves, never rolled up from municipalities. The values
are read through the maps' and reviews' one read path, ``observations.selectors.carried_values``: a value stored
under a county code no longer in force (38 Vestfold og Telemark) appears on the county in force on the review's
date (40 Telemark), with «videreført fra 38 Vestfold og Telemark» in the table and in its reference.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dugnad.catalogue.selectors import county_level_indicators, indicator_specs_in_force, is_county_level
from dugnad.common.labels import demo_label
from dugnad.observations.selectors import carried_values
from dugnad.publications.builders.names import indicator_label, number, unit_name
from dugnad.publications.document import Paragraph, References, Section, Table
from dugnad.rounds.models import Round
from dugnad.units.models import Unit


def review_date(round_: Round) -> dt.date:
    """The date a review carries values onto: today (the units a review lists are those in force today)."""
    return dt.date.today()


def county_indicators(round_: Round) -> list:
    """The round's county-level indicators by goal and code; every county-level indicator of the catalogue when
    the round has none (a county's own figures belong in its review either way)."""
    indicators = list(round_.indicators.select_related("framework"))
    specs = indicator_specs_in_force(indicators)
    own = [i for i in indicators if is_county_level(specs.get(i.pk))]
    if not own:
        return county_level_indicators()
    return sorted(own, key=lambda i: (specs[i.pk].goal_id or 99, i.framework.code, i.code))


def _note(row: dict, lang: str) -> str:
    parts = [row["origin"]] if row["origin"] else []
    if row["is_demo"]:
        parts.append(demo_label(lang))
    return "; ".join(parts)


def _ref(refs: References, unit: str, indicator, row: dict, round_: Round, lang: str) -> str:
    return refs.add(unit=unit, indicator=indicator.code, period=row["period"], round=round_.pk,
                    source=demo_label(lang) if row["is_demo"] else "", carried=row["origin"])


def own_values_section(county: Unit, round_: Round, lang: str, refs: References) -> Section:
    """The county's own values of the county-level indicators in the round's years (one row per indicator)."""
    indicators = county_indicators(round_)
    title = _("Fylkets egne indikatorer")
    if not indicators:
        return Section(key="county_indicators", title=title,
                       blocks=[Paragraph(text=_("Katalogen har ingen fylkesindikatorer."))])
    periods = list(round_.periods)
    values = {(r["indicator_id"], r["period"]): r
              for r in carried_values(on=review_date(round_), indicators=indicators, units=[county],
                                      periods=periods, lang=lang)}
    specs = indicator_specs_in_force(indicators)
    rows, row_refs = [], []
    for ind in indicators:
        cells = [values.get((ind.pk, p)) for p in periods]
        latest = next((c for c in reversed(cells) if c and c["value"] is not None), None)
        spec = specs.get(ind.pk)
        rows.append([indicator_label(ind, lang), (spec.unit_of_measure if spec else "") or ind.unit_of_measure,
                     *[number(c["value"], lang) if c else "–" for c in cells],
                     _note(latest, lang) if latest else _("ingen verdi")])
        row_refs.append(_ref(refs, county.code, ind, latest, round_, lang) if latest else "")
    text = _("Verdiene %(county)s selv har rapportert for det fylkeskommunen har ansvar for: videregående "
             "opplæring, fylkesveier, kollektivtransport og tannhelse. De rulleres ikke opp fra kommunene.") % {
        "county": unit_name(county, lang)}
    table = Table(caption=_("Fylkets egne indikatorer per år"),
                  header=[_("Indikator"), _("Enhet"), *periods, _("Merknad")], rows=rows,
                  refs=row_refs)
    return Section(key="county_indicators", title=title, blocks=[Paragraph(text=text), table])


def counties_values_section(counties: list[Unit], round_: Round, lang: str, refs: References) -> Section:
    """Every county × the county-level indicators: the latest value in the round's years, by name."""
    indicators = county_indicators(round_)
    title = _("Fylkenes egne indikatorer")
    if not indicators or not counties:
        return Section(key="county_indicators", title=title,
                       blocks=[Paragraph(text=_("Katalogen har ingen fylkesindikatorer."))])
    latest: dict[tuple[str, int], dict] = {}
    for row in carried_values(on=review_date(round_), indicators=indicators, units=counties,
                              periods=list(round_.periods), lang=lang):
        key = (row["unit"], row["indicator_id"])
        if row["value"] is not None and (key not in latest or row["period"] >= latest[key]["period"]):
            latest[key] = row
    rows, row_refs, carried = [], [], []
    for county in counties:
        cells = []
        for ind in indicators:
            row = latest.get((county.code, ind.pk))
            cells.append(f"{number(row['value'], lang)} ({row['period']})" if row else "–")
            if row and row["origin"]:
                carried.append(f"{unit_name(county, lang)}, {indicator_label(ind, lang)}: {row['origin']}")
        first = next((latest[(county.code, i.pk)] for i in indicators if (county.code, i.pk) in latest), None)
        rows.append([unit_name(county, lang), *cells])
        row_refs.append(refs.add(unit=county.code, round=round_.pk, source=(
            demo_label(lang) if first and first["is_demo"] else "")) if first else "")
    legend = [f"{n}. {indicator_label(ind, lang)}" for n, ind in enumerate(indicators, start=1)]
    blocks = [Paragraph(text=_("Siste verdi i rundens år (året i parentes) for indikatorene fylkene selv "
                               "rapporterer. Kolonnene er nummerert: %(legend)s.") % {"legend": "; ".join(legend)}),
              Table(caption=_("Fylkenes egne indikatorer"),
                    header=[_("Fylke"), *[str(n) for n in range(1, len(indicators) + 1)]], rows=rows, refs=row_refs)]
    if carried:
        blocks.append(Paragraph(text=_("Videreførte verdier: %(list)s.") % {"list": "; ".join(carried)}))
    return Section(key="county_indicators", title=title, blocks=blocks)
