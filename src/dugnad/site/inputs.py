"""What each exported page is made from, as a digest: a rebuild renders only pages whose inputs changed.

The portal's pages read the snapshot of the data revision (``dugnad.portal``) and, on a unit's profile, the unit's
stored observations. Each known page kind gets a digest of exactly the slices it reads (a unit's profile: the unit,
its county and the country, their cells and series, the similar-unit means of its size band, the index of all units
for the rank, the names of all units for the maps); a page of a kind not known here (``None``) is rendered on every
build and written only when its bytes changed. Every digest also holds the code digest (templates, static files,
translations, this package), so a new version of the site re-renders every page.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs

from django.db.models import Count, Max, Q
from django.urls import Resolver404, resolve

from dugnad.observations.models import Observation
from dugnad.portal.selectors import default_comparison
from dugnad.portal.snapshot import PortalSnapshot

#: The snapshot fields the digests below account for; a test fails when the snapshot gains one, so that whoever
#: adds it decides which pages it feeds (``revision`` is the whole snapshot's fingerprint, deliberately unused).
KNOWN_FIELDS = frozenset({"revision", "run_year", "demo", "units", "goals", "indicators", "goal_cells", "index",
                          "indicator_cells", "series", "publications", "actions", "networks", "similar_mean", "origin",
                          "runs", "indicator_mix", "unit_mix", "origin_periods", "carried"})


def _h(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def code_digest() -> str:
    """A digest of what renders the pages: templates, static files, compiled translations and the site package."""
    import dugnad

    root = Path(dugnad.__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=12)
    for folder, patterns in ((root / "web", ("*.html", "*.js", "*.css", "*.json", "*.py")),
                             (root / "locale", ("*.mo",)), (root / "site", ("*.py",)), (root / "portal", ("*.py",))):
        for pattern in patterns:
            for path in sorted(folder.rglob(pattern)):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def observation_fingerprints() -> dict[str, tuple]:
    """``unit code → (newest observation id, current observations)``: changes when any value of the unit does."""
    rows = (Observation.objects.values("unit__code")
            .annotate(m=Max("pk"), n=Count("pk", filter=Q(is_current=True))).values_list("unit__code", "m", "n"))
    return {code: (m, n) for code, m, n in rows}


class PageInputs:
    """Digests of the inputs of the portal's pages for one snapshot (computed once per build, then per page)."""

    def __init__(self, snap: PortalSnapshot, observations: dict[str, tuple], code: str):
        self.snap, self.code = snap, code
        by_unit: dict[str, list] = defaultdict(list)
        for key, per_unit in snap.series.items():
            for unit, points in per_unit.items():
                by_unit[unit].append((key, points))
        origin: dict[str, list] = defaultdict(list)
        for key, per_unit in snap.origin.items():
            for unit, run in per_unit.items():
                origin[unit].append((key, run, snap.runs.get(run)))
        for key, per_unit in snap.origin_periods.items():
            for unit, runs in per_unit.items():
                origin[unit].append((key, sorted(runs.items()), [snap.runs.get(r) for r in runs.values()]))
        self.origin = origin
        carried: dict[str, list] = defaultdict(list)  # «videreført fra …» notes of carried values
        for key, per_unit in snap.carried.items():
            for unit, periods in per_unit.items():
                carried[unit].append((key, sorted(periods.items())))
        publications = defaultdict(list)
        for p in snap.publications:
            publications[p.unit].append(p)
        self.unit = {c: _h(u, snap.goal_cells.get(c), snap.index.get(c), snap.indicator_cells.get(c), by_unit.get(c),
                           observations.get(c), publications.get(c), snap.actions.get(c), snap.networks.get(c),
                           origin.get(c), snap.unit_mix.get(c), carried.get(c))
                     for c, u in snap.units.items()}
        self.meta = _h(snap.goals, snap.indicators, snap.run_year, snap.demo, code,
                       sorted(set(snap.unit_mix.values())), sorted(set(snap.indicator_mix.values())))
        self.units = _h(snap.units)
        self.index = _h(snap.index)
        self.publications = _h(snap.publications)
        bands = defaultdict(list)
        for (band, key), value in snap.similar_mean.items():
            bands[band].append((key, value))
        self.similar = {band: _h(values) for band, values in bands.items()}
        country = snap.country()
        self.country = country.code if country else None
        self._goal: dict[int, str] = {}
        self._indicator: dict[str, str] = {}
        self._readings: dict[str, list] | None = None
        self._paths: dict[tuple[str, str], str | None] = {}

    def readings(self, target: str) -> list:
        """The shared readings a target page shows (their agreed versions and states), read once per build."""
        if self._readings is None:
            from dugnad.readings.selectors import agreed_reading_keys

            self._readings = agreed_reading_keys()
        return self._readings.get(target, [])

    def goal(self, number: int) -> str:
        if number not in self._goal:
            # the cells, and where the values behind the country's and the counties' scores come from (goal_mix)
            shown = [u.code for u in self.snap.units.values() if u.level in ("country", "county")]
            self._goal[number] = _h([(c, cells.get(number)) for c, cells in self.snap.goal_cells.items()],
                                    [self.origin.get(c) for c in shown])
        return self._goal[number]

    def indicator(self, key: str) -> str:
        if key not in self._indicator:
            origin = self.snap.origin.get(key, {})
            self._indicator[key] = _h([(c, cells.get(key)) for c, cells in self.snap.indicator_cells.items()],
                                      self.snap.series.get(key, {}).get(self.country), self.snap.indicator_mix.get(key),
                                      sorted((u, sorted(r.items())) for u, r in self.snap.origin_periods.get(key, {}).items()),
                                      sorted(origin.items()), [self.snap.runs.get(r) for r in sorted(set(origin.values()),
                                                                                                  key=str)],
                                      sorted(self.snap.carried.get(key, {}).items()))
        return self._indicator[key]

    def page(self, lang: str, path: str, query: str) -> str | None:
        """The digest of a page's inputs, or None for a page whose inputs are not known here (always rendered)."""
        inputs = self._inputs(path, query)
        return None if inputs is None else _h(lang, inputs)

    def _inputs(self, path: str, query: str) -> str | None:
        """A page's inputs but its language, once per address (its three languages and its downloads share them)."""
        inputs = self._paths.get((path, query), False)
        if inputs is False:
            inputs = self._paths[(path, query)] = self._digest(path, query)
        return inputs

    def _digest(self, path: str, query: str) -> str | None:
        last = path.rsplit("/", 1)[-1]
        if "." in last:  # a download beside its page (…/data.csv): the page's inputs and the file's name
            page = self._inputs(path[: -len(last)], query)
            return _h(page, last) if page else None
        try:
            match = resolve(path)
        except Resolver404:
            return None
        name, kwargs, snap = match.url_name, match.kwargs, self.snap
        base = (path, query, self.meta)
        if name == "unit-detail":
            unit = snap.units.get(kwargs["code"])
            if unit is None:
                return None
            return _h(base, self.unit[unit.code], self.unit.get(unit.parent), self.unit.get(self.country), self.units,
                      self.index, self.similar.get(f"{unit.level}:{unit.band}"))
        if name == "portal-indicator":
            return _h(base, self.indicator(f"{kwargs['framework']}/{kwargs['code']}"), self.units)
        if name == "portal-goal":
            return _h(base, self.goal(kwargs["number"]), self.units)
        if name == "portal-target":
            return _h(base, self.readings(kwargs["code"]))
        if name == "portal-indicators":
            return _h(base)
        if name == "portal-goals":
            return _h(base, self.unit.get(self.country))
        if name == "portal-units":
            return _h(base, self.units)
        if name == "home":
            return _h(base, self.units, self.index, self.publications, [self.goal(n) for n in snap.goals])
        if name in ("portal-compare", "embed-compare"):
            chosen = parse_qs(query)
            codes = (" ".join(chosen.get("enheter", [])).replace(",", " ").split()
                     if "enheter" in chosen or "indikatorer" in chosen else default_comparison(snap)[0])
            # what the table and bars show: the cells and where their values come from
            return _h(base, self.units, [(snap.indicator_cells.get(c), self.origin.get(c)) for c in codes])
        # the embed pages (one figure each, as on the page they come from)
        if name == "embed-index-map":
            return _h(base, self.units, self.index)
        if name == "embed-goal-map":
            return _h(base, self.goal(kwargs["number"]), self.units)
        if name == "embed-locator":
            return _h(base, self.units)
        if name in ("embed-indicator-map", "embed-distribution"):
            return _h(base, self.indicator(f"{kwargs['framework']}/{kwargs['code']}"), self.units)
        if name == "embed-chart":
            unit = snap.units.get(kwargs["unit"])
            if unit is None:
                return None
            return _h(base, self.unit[unit.code], self.unit.get(unit.parent), self.unit.get(self.country), self.units,
                      self.similar.get(f"{unit.level}:{unit.band}"))
        return None
