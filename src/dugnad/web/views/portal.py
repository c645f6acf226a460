"""The public portal: front page, unit profiles, goals, targets, indicators and the compare page (no login).

Every page reads the precomputed snapshot of the data revision (``dugnad.portal``) and builds its figures from
the analytics core's specs; no page runs a query of its own once the snapshot is built, except the target page's
shared readings (``dugnad.readings``), which are agreed between data revisions and read live, outside the page cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dugnad.catalogue.titles import target_title
from dugnad.common.labels import mixed_label
from dugnad.imports.upload import can_upload
from dugnad.observations.provenance import banner_text
from dugnad.observations.selectors import unit_indicator_tables
from dugnad.portal import downloads
from dugnad.portal.selectors import (
    DEFAULT_COMPARE_INDICATORS,
    MAX_COMPARE_INDICATORS,
    MAX_COMPARE_UNITS,
    cell_provenance,
    compare_table,
    default_comparison,
    goal_mix,
    indicator_ranking,
    indicator_years,
    parse_codes,
    portal_snapshot,
    search_units,
    unit_profile,
    unit_years,
)
from dugnad.portal.snapshot import LANGS
from dugnad.publications.vocab import DocumentKind
from dugnad.readings.citation import citation
from dugnad.readings.permissions import reading_units_of
from dugnad.readings.selectors import agreed_readings_of_target
from dugnad.rounds.selectors import rounds_of_county
from dugnad.targets.selectors import distances_to_target
from dugnad.units.selectors import unit_current
from dugnad.web import portal_figures as figures
from dugnad.web.params import int_param
from dugnad.web.public_address import download_url


def lazy(build):
    """A value the template computes only when it renders it (not at all when the page's content comes from the cache)."""
    return functools.cache(build)


def embedded(figure, url: str):
    """The figure with the address of its embed page (``/embed/…``), or None without a figure."""
    return dataclasses.replace(figure, embed_url=url) if figure else figure


def year_param(request: HttpRequest, years: list[int]) -> int | None:
    """The year chosen with ``?ar=YYYY`` when the data have it (else None: the score run's values)."""
    year = int_param(request.GET, "ar", minimum=1900, maximum=2100)
    return year if year in years else None


def _years_nav(request: HttpRequest, years: list[int], year: int | None) -> dict:
    """The year choice offered on the page: links to ``?ar=YYYY`` for the years the data have."""
    return {"years": years, "year": year, "path": request.path}


def download_links(name: str, args: list, stem: str, query: str = "") -> list[dict]:
    """Links to the page's data as CSV, XLSX and JSON-stat: address, file name and label."""
    labels = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON-stat 2.0"}
    return [{"href": reverse(name, args=[*args, fmt]) + (f"?{query}" if query else ""),
             "filename": f"{stem}.{downloads.FORMATS[fmt][1]}", "label": label, "format": fmt}
            for fmt, label in labels.items()]


def _download_response(request: HttpRequest, data, fmt: str, stem: str) -> HttpResponse:
    if data is None:
        raise Http404(_("Ukjent side"))
    body = downloads.render(data, fmt, url=download_url(request.path.rsplit("/", 1)[0] + "/", request))
    response = HttpResponse(body, content_type=downloads.FORMATS[fmt][2])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{downloads.FORMATS[fmt][1]}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def home_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The front page's data: index and goal scores of every unit."""
    return _download_response(request, downloads.kept(portal_snapshot(), downloads.front_data, _lang()), fmt, "dugnad-indeks")


def unit_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A unit page's data (``?ar=YYYY``: that year's values)."""
    snap = portal_snapshot()
    year = year_param(request, unit_years(snap, code))
    data = downloads.kept(snap, downloads.unit_data, code, _lang(), year)
    return _download_response(request, data, fmt, f"dugnad-{code}" + (f"-{year}" if year else ""))


def goal_download(request: HttpRequest, number: int, fmt: str) -> HttpResponse:
    data = downloads.kept(portal_snapshot(), downloads.goal_data, number, _lang())
    return _download_response(request, data, fmt, f"dugnad-mal-{number}")


def target_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if not target_title(code, "nb"):
        raise Http404(_("Ukjent delmål"))
    return _download_response(request, downloads.kept(portal_snapshot(), downloads.target_data, code, _lang()), fmt,
                              f"dugnad-delmal-{code}")


def indicator_download(request: HttpRequest, framework: str, code: str, fmt: str) -> HttpResponse:
    """An indicator page's data: every unit's series (``?ar=YYYY``: that year)."""
    snap, key = portal_snapshot(), f"{framework}/{code}"
    year = year_param(request, indicator_years(snap, key))
    data = downloads.kept(snap, downloads.indicator_data, key, _lang(), year)
    return _download_response(request, data, fmt, f"dugnad-{framework}-{code}" + (f"-{year}" if year else ""))


def is_example(request: HttpRequest) -> bool:
    """Whether the compare page shows its example: the visitor has chosen neither units nor indicators."""
    return "enheter" not in request.GET and "indikatorer" not in request.GET


def _compare_choice(request: HttpRequest, snap) -> tuple[list[str], list[str], list[str]]:
    if is_example(request):
        units, keys = default_comparison(snap)
        return units, keys, []
    units, unknown_units = parse_codes(" ".join(request.GET.getlist("enheter")), snap.units, MAX_COMPARE_UNITS)
    keys, unknown_keys = parse_codes(" ".join(request.GET.getlist("indikatorer")).replace("~", "/"), snap.indicators,
                                     MAX_COMPARE_INDICATORS)
    if units and not keys:
        keys = list(snap.indicators)[:DEFAULT_COMPARE_INDICATORS]
    return units, keys, unknown_units + unknown_keys


def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The compare page's data (without a choice: its example's)."""
    snap = portal_snapshot()
    units, keys, _unknown = _compare_choice(request, snap)
    data = downloads.kept(snap, downloads.compare_data, tuple(units), tuple(keys), _lang())
    return _download_response(request, data, fmt, "dugnad-sammenligning")


def _lang() -> str:
    return (get_language() or "nb")[:2]


def _level_label(level: str) -> str:
    return {"country": _("Land"), "county": _("Fylke"), "municipality": _("Kommune")}.get(level, level)


def _publication(snap, p, lang: str) -> dict:
    return {"p": p, "kind": DocumentKind(p.kind).label if p.kind in DocumentKind.values else p.kind,
            "unit": snap.units[p.unit].name(lang) if p.unit in snap.units else ""}


def home(request: HttpRequest) -> HttpResponse:
    """Front page: search, a map of Norway (the index or a chosen goal), what Dugnad is and the latest reports."""
    snap, lang = portal_snapshot(), _lang()
    goal = int_param(request.GET, "mal", minimum=1, maximum=17)
    query = request.GET.get("q", "")[:100]
    context = {
        "snap": snap, "lang": lang, "query": query, "results": search_units(snap, query) if query else None,
        "goal": goal, "revision": snap.revision,
        "goal_map": lazy(lambda: embedded(figures.goal_map(snap, goal, lang, dom_id="front-map"),
                                          reverse("embed-goal-map", args=[goal]) if goal else reverse("embed-index-map"))),
        "downloads": download_links("portal-home-data", [], "dugnad-indeks"),
        "goals": [(g, g.name(lang)) for g in snap.goals.values()],
        "publications": [_publication(snap, p, lang) for p in snap.publications[:6]],
        "counties": snap.by_level("county"), "country": snap.country(),
        "counts": {"municipality": len(snap.by_level("municipality")), "county": len(snap.by_level("county")),
                   "indicator": len(snap.indicators)},
    }
    return render(request, "web/portal/home.html", context)


def unit_list(request: HttpRequest) -> HttpResponse:
    """Every unit, or those matching the search, grouped by level."""
    snap, lang = portal_snapshot(), _lang()
    query = request.GET.get("q", "")[:100].strip()
    units = search_units(snap, query, limit=500) if query else list(snap.units.values())
    groups = [(level, _level_label(level), [u for u in units if u.level == level])
              for level in ("country", "county", "municipality")]
    return render(request, "web/portal/unit_list.html",
                  {"lang": lang, "query": query, "groups": [g for g in groups if g[2]], "count": len(units),
                   "revision": snap.revision})


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's profile: 17 goal tiles, per goal its indicators beside county, country and similar units, charts."""
    snap, lang = portal_snapshot(), _lang()
    years = unit_years(snap, code)
    year = year_param(request, years)
    profile = unit_profile(snap, code, year)
    if profile is None:
        raise Http404(_("Ukjent enhet"))

    def blocks():
        out = []
        for block in profile.goals:
            lines = [{"line": line, "name": line.indicator.name(lang),
                      "chart": embedded(figures.line_figure(line, profile.unit, snap, lang, f"chart-{block.goal.number}-{i}"),
                                        figures.url_of("embed-chart", code, line.indicator.framework, line.indicator.code))}
                     for i, line in enumerate(block.lines)]
            out.append({"block": block, "name": block.goal.name(lang), "lines": lines,
                        "href": f"#goal-{block.goal.number}" if lines else reverse("portal-goal", args=[block.goal.number])})
        return out

    unit = profile.unit
    context = {
        "snap": snap, "lang": lang, "profile": profile, "unit": unit, "name": unit.name(lang), "blocks": lazy(blocks),
        "revision": snap.revision,
        "level": _level_label(unit.level), "parent_name": profile.parent.name(lang) if profile.parent else "",
        "country_name": profile.country.name(lang) if profile.country else "",
        "locator": lazy(lambda: embedded(figures.locator_figure(snap, unit, lang), reverse("embed-locator", args=[code]))),
        "year_choice": _years_nav(request, years, year),
        "downloads": download_links("unit-data", [code], f"dugnad-{code}" + (f"-{year}" if year else ""),
                                    f"ar={year}" if year else ""),
        "publications": [_publication(snap, p, lang) for p in snap.publications if p.unit == code],
        "actions": snap.actions.get(code, []), "networks": snap.networks.get(code, []),
        "unit_record": lazy(lambda: unit_current(code)),  # the signed-in visitor's actions table (not cached)
        # for the signed-in visitor (outside the page cache): upload, and a county's rounds and county review
        "can_upload": lazy(lambda: can_upload(request.user, unit_current(code))),
        "county_rounds": lazy(lambda: rounds_of_county(unit_current(code), user=request.user)
                              if unit.level == "county" else []),
        # every stored indicator's latest value, carried series with their origin (observations.selectors)
        "all_rows": lazy(lambda: stored_values(snap, code, lang)),
        # distance to the unit's own 2030 targets (outside the page cache: targets change without a new snapshot)
        "target_distances": lazy(lambda: distances_to_target(record, descendants=False)
                                 if (record := unit_current(code)) is not None else []),
        "children": [u for u in snap.units.values() if u.parent == code and u.code != code],
        "compare_url": reverse("portal-compare") + f"?enheter={code}"
                       + (f",{profile.parent.code}" if profile.parent else ""),
        # the banner says what this page's values are (none when they are all real; observations.provenance)
        "demo_banner": banner_text(profile.mix, lang),
    }
    return render(request, "web/portal/unit_detail.html", context)


#: The last unit's stored-value tables: ``(snapshot, code, day, {lang: rows})``, replaced as a whole (threads).
_stored: list = [None]


def stored_values(snap, code: str, lang: str) -> list[dict]:
    """The unit page's table of every stored indicator's latest value (``observations.selectors``), read and carried
    once for the three languages and kept for the unit last asked for under the current snapshot: the static site
    renders a page's nb, nn and en one after another (before, each language read and carried the values again, two
    fifths of a unit page). The page cache keeps the table as long (its key has the data revision)."""
    day, kept = dt.date.today(), _stored[0]
    if kept is not None and kept[0] is snap and kept[1:3] == (code, day) and lang in kept[3]:
        return kept[3][lang]
    record = unit_current(code)
    langs = LANGS if lang in LANGS else (lang,)
    tables = unit_indicator_tables(record, langs=langs) if record is not None else {key: [] for key in langs}
    _stored[0] = (snap, code, day, tables)
    return tables[lang]


def goal_list(request: HttpRequest) -> HttpResponse:
    """The 17 goals with their national status."""
    snap, lang = portal_snapshot(), _lang()
    country = snap.country()
    cells = snap.goal_cells.get(country.code, {}) if country else {}
    goals = [{"goal": g, "name": g.name(lang), "cell": cells.get(g.number)} for g in snap.goals.values()]
    return render(request, "web/portal/goal_list.html",
                  {"goals": goals, "lang": lang, "country": country, "revision": snap.revision})


def goal_detail(request: HttpRequest, number: int) -> HttpResponse:
    """One goal: its text, national status, map of the municipalities' status, targets and indicators."""
    snap, lang = portal_snapshot(), _lang()
    goal = snap.goals.get(number)
    if goal is None:
        raise Http404(_("Ukjent mål"))
    country = snap.country()
    counties = [{"unit": u, "name": u.name(lang), "cell": snap.goal_cells.get(u.code, {}).get(number),
                 "mix": goal_mix(snap, u.code, number)} for u in snap.by_level("county")]
    national_mix = goal_mix(snap, country.code, number) if country else ""
    context = {
        "goal": goal, "name": goal.name(lang), "text": goal.titles.get(lang) or goal.titles["nb"], "lang": lang,
        "cell": snap.goal_cells.get(country.code, {}).get(number) if country else None,
        "map": lazy(lambda: embedded(figures.goal_map(snap, number, lang), reverse("embed-goal-map", args=[number]))),
        "revision": snap.revision, "downloads": download_links("portal-goal-data", [number], f"dugnad-mal-{number}"),
        "targets": [{"code": c, "title": target_title(c, lang)} for c in goal.targets],
        "indicators": [{"info": i, "name": i.name(lang), "mix": snap.indicator_mix.get(i.key, "")}
                       for i in snap.goal_indicators(number)],
        # per value (observations.provenance): the values behind Norway's score, each county's, each indicator's
        "counties": counties, "mix": national_mix, "mixed_label": mixed_label(lang),
        "previous": number - 1 if number > 1 else None, "next": number + 1 if number < 17 else None,
    }
    return render(request, "web/portal/goal_detail.html", context)


def target_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One of the 169 targets: its title in the page's language, the UN text, and the indicators linked to it."""
    snap, lang = portal_snapshot(), _lang()
    title = target_title(code, lang)
    number = int(code.split(".")[0]) if code.split(".")[0].isdigit() else 0
    goal = snap.goals.get(number)
    if not title or goal is None:
        raise Http404(_("Ukjent delmål"))
    codes = list(goal.targets)
    at = codes.index(code) if code in codes else -1
    context = {
        "code": code, "title": title, "official": target_title(code, "en"), "goal": goal, "goal_name": goal.name(lang),
        "lang": lang, "indicators": [{"info": i, "name": i.name(lang)} for i in snap.indicators.values() if code in i.targets],
        "revision": snap.revision, "downloads": download_links("portal-target-data", [code], f"dugnad-delmal-{code}"),
        "previous": codes[at - 1] if at > 0 else None, "next": codes[at + 1] if 0 <= at < len(codes) - 1 else None,
        **_target_readings(request, code, lang),
    }
    return render(request, "web/portal/target_detail.html", context)


def _target_readings(request: HttpRequest, code: str, lang: str) -> dict:
    """The agreed shared readings of the target (outside the page cache: they change without a new data revision)."""
    readings = agreed_readings_of_target(code)
    national = readings.national
    return {"readings": readings, "reading_units": reading_units_of(request.user),
            "national_citation": citation(national.agreed_version, lang) if national else ""}


def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicators shown on the portal, by goal."""
    snap, lang = portal_snapshot(), _lang()
    groups = [{"goal": g, "name": g.name(lang),
               "indicators": [{"info": i, "name": i.name(lang)} for i in snap.goal_indicators(n)]}
              for n, g in snap.goals.items()]
    return render(request, "web/portal/indicator_list.html",
                  {"groups": [g for g in groups if g["indicators"]], "lang": lang, "demo": snap.demo,
                   "revision": snap.revision})


def indicator_detail(request: HttpRequest, framework: str, code: str) -> HttpResponse:
    """One indicator: definition, source, unit, licence, national series, maps, ranking and distribution."""
    snap, lang = portal_snapshot(), _lang()
    ind = snap.indicators.get(f"{framework}/{code}")
    if ind is None:
        raise Http404(_("Ukjent indikator"))
    level = "county" if request.GET.get("niva") == "fylke" else "municipality"
    country = snap.country()
    years = indicator_years(snap, ind.key)
    year = year_param(request, years)

    def series():
        if country is None:
            return None
        profile = unit_profile(snap, country.code)
        line = next((line for b in profile.goals for line in b.lines if line.indicator.key == ind.key), None)
        return embedded(figures.line_figure(line, country, snap, lang, "national-series"),
                        reverse("embed-chart", args=[country.code, framework, code])) if line else None

    context = {
        "ind": ind, "name": ind.name(lang), "lang": lang, "level": level,
        "goal": snap.goals.get(ind.goal) if ind.goal else None,
        "goal_name": snap.goals[ind.goal].name(lang) if ind.goal in snap.goals else "",
        "targets": [{"code": c, "title": target_title(c, lang)} for c in ind.targets],
        "series": lazy(series),
        "municipality_map": lazy(lambda: embedded(
            figures.indicator_map(snap, ind, lang, level="municipality", dom_id="municipality-map", year=year),
            reverse("embed-indicator-map", args=[framework, code, "kommuner"]) + (f"?ar={year}" if year else ""))),
        "county_map": lazy(lambda: embedded(
            figures.indicator_map(snap, ind, lang, level="county", dom_id="county-map", year=year),
            reverse("embed-indicator-map", args=[framework, code, "fylker"]) + (f"?ar={year}" if year else ""))),
        "distribution": lazy(lambda: embedded(figures.distribution_figure(snap, ind, lang, year=year),
                                              reverse("embed-distribution", args=[framework, code])
                                              + (f"?ar={year}" if year else ""))),
        "ranking": lazy(lambda: [{"row": r, "name": r.unit.name(lang), "href": figures.unit_url(r.unit.code)}
                                 for r in indicator_ranking(snap, ind.key, level, year)]),
        "year_choice": _years_nav(request, years, year), "year": year,
        "downloads": download_links("portal-indicator-data", [framework, code],
                                    f"dugnad-{framework}-{code}" + (f"-{year}" if year else ""), f"ar={year}" if year else ""),
        "revision": snap.revision,
        "country_cell": snap.indicator_cells.get(country.code, {}).get(ind.key) if country else None,
        "mix": snap.indicator_mix.get(ind.key, ""), "demo_banner": banner_text(snap.indicator_mix.get(ind.key, ""), lang),
        "value_sources": snap.sources(ind.key),
    }
    return render(request, "web/portal/indicator_detail.html", context)


def compare(request: HttpRequest) -> HttpResponse:
    """Up to 10 units × up to 10 indicators side by side; the choice lives in the URL, so the page can be shared.
    Without a choice the page shows an example (``default_comparison``: the country and the largest municipalities),
    whose embeds and downloads need no query (so the static site exports them)."""
    snap, lang = portal_snapshot(), _lang()
    example = is_example(request)
    units, keys, unknown = _compare_choice(request, snap)
    chosen = [snap.units[c] for c in units]
    rows = compare_table(snap, units, keys)
    choice = "" if example else f"enheter={','.join(units)}&indikatorer={','.join(k.replace('/', '~') for k in keys)}"
    table = [{"info": ind, "name": ind.name(lang),
              "cells": [{"cell": cell, "provenance": cell_provenance(snap, u, ind.key) if cell else None}
                        for u, cell in zip(units, cells, strict=True)]} for ind, cells in rows]
    context = {
        "lang": lang, "units": [{"unit": u, "name": u.name(lang)} for u in chosen], "example": example,
        "rows": table,
        "charts": lazy(lambda: [embedded(c, reverse("embed-compare", args=[ind.framework, ind.code])
                                          + ("" if example else f"?enheter={','.join(units)}"))
                                 for i, (ind, _cells) in enumerate(rows)
                                 if (c := figures.compare_figure(snap, ind, chosen, lang, f"compare-{i}"))]),
        "revision": snap.revision, "unknown": unknown,
        "downloads": download_links("portal-compare-data", [], "dugnad-sammenligning", choice) if units else [],
        "unit_value": "" if example else ", ".join(units),
        "chosen_keys": set() if example else {k.replace("/", "~") for k in keys},
        "all_units": [(u.code, u.name(lang), _level_label(u.level)) for u in snap.units.values()],
        "all_indicators": [(k.replace("/", "~"), i.name(lang)) for k, i in snap.indicators.items()],
        "max_units": MAX_COMPARE_UNITS, "max_indicators": MAX_COMPARE_INDICATORS,
        # per value: the heading's label only when a value shown is demo; each demo value carries its own label
        "demo": any(c["provenance"] is not None and c["provenance"].is_demo for r in table for c in r["cells"]),
    }
    return render(request, "web/portal/compare.html", context)
