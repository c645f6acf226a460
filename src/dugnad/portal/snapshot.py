"""One snapshot of everything the public portal shows, read in a fixed number of queries and kept per data revision.

``portal_snapshot()`` returns the :class:`PortalSnapshot` of the current data revision: built once (about a second
on the demo) and then served from process memory until the revision changes. The revision (``data_revision()``)
is a fingerprint of the latest finished score run, the newest import run, observation, publication, action and
network, the newest edit of an action and the ``EDITS`` token of ``portal.tokens`` (replaced by every edit of an
action, network or finished publication), checked at most every ``REVISION_SECONDS``; pages cache their rendered
content under it. Everything is language-neutral (names in nb, nn and en): the page selectors in
:mod:`dugnad.portal.selectors` pick the language.
"""

from __future__ import annotations

import contextlib
import hashlib
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from dugnad.actions.models import Action
from dugnad.catalogue.models import Framework, Goal, Indicator
from dugnad.catalogue.selectors import indicator_specs_in_force
from dugnad.catalogue.titles import goal_texts_nn, target_titles
from dugnad.networks.models import Network
from dugnad.observations.models import ImportRun, Observation
from dugnad.observations.provenance import ENTERED_VALUE, Provenance, mix_of, provenances
from dugnad.observations.selectors import demo_import_exists
from dugnad.portal.tokens import EDITS
from dugnad.publications.models import Publication
from dugnad.publications.vocab import PublicationState
from dugnad.scores.models import GoalScore, IndexScore, IndicatorScore, ScoreRun
from dugnad.scores.selectors import latest_score_run
from dugnad.units.models import Unit
from dugnad.units.selectors import populations, units_valid_on

#: How long a process trusts its last look at the data revision.
REVISION_SECONDS = 5.0
LANGS = ("nb", "nn", "en")


def _names(obj, attribute: str = "name", base: str | None = None) -> dict[str, str]:
    nb = getattr(obj, f"{attribute}_nb", "") or getattr(obj, base or attribute, "") or ""
    return {"nb": nb, "nn": getattr(obj, f"{attribute}_nn", "") or nb, "en": getattr(obj, f"{attribute}_en", "") or nb}


@dataclass(frozen=True)
class UnitInfo:
    """A current unit: code, names, level (country, county, municipality), parent code, size band, population."""

    code: str
    names: dict[str, str]
    level: str
    parent: str | None
    band: str
    population: int | None
    demo: bool = False

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["nb"]


@dataclass(frozen=True)
class GoalInfo:
    """One of the 17 goals: number, official colour, names and full texts."""

    number: int
    colour: str
    names: dict[str, str]
    titles: dict[str, str]
    targets: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["nb"]


@dataclass(frozen=True)
class IndicatorInfo:
    """A scored indicator with what its page tells about it (spec in force, framework, licence)."""

    key: str
    framework: str
    code: str
    names: dict[str, str]
    framework_name: str
    framework_description: str
    licence: str
    publisher: str
    source: str
    source_url: str
    unit_of_measure: str
    direction: str
    goal: int | None
    targets: tuple[str, ...]
    green: float | None
    red: float | None
    upper_bound: float | None
    lower_bound: float | None
    demo: bool

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["nb"]


@dataclass(frozen=True)
class Cell:
    """A unit's result on a goal or an indicator in the score run: value (indicators), score 0–100, colour, trend."""

    score: float | None
    colour: str
    trend: str
    value: float | None = None
    year: int | None = None


@dataclass(frozen=True)
class PublicationInfo:
    pk: int
    kind: str
    unit: str | None
    language: str
    version: int
    finished: object
    demo: bool


@dataclass(frozen=True)
class LinkInfo:
    """A public joint action or a network a unit takes part in."""

    pk: int
    title: str
    role: str = ""
    status: str = ""
    demo: bool = False


@dataclass
class PortalSnapshot:
    """Everything the public pages show, language-neutral, for one data revision."""

    revision: str
    run_year: int | None
    demo: bool
    units: dict[str, UnitInfo] = field(default_factory=dict)
    goals: dict[int, GoalInfo] = field(default_factory=dict)
    indicators: dict[str, IndicatorInfo] = field(default_factory=dict)
    goal_cells: dict[str, dict[int, Cell]] = field(default_factory=dict)
    index: dict[str, tuple[float | None, int | None]] = field(default_factory=dict)
    indicator_cells: dict[str, dict[str, Cell]] = field(default_factory=dict)
    series: dict[str, dict[str, list[tuple[str, float]]]] = field(default_factory=dict)
    publications: list[PublicationInfo] = field(default_factory=list)
    actions: dict[str, list[LinkInfo]] = field(default_factory=dict)
    networks: dict[str, list[LinkInfo]] = field(default_factory=dict)
    similar_mean: dict[tuple[str, str], float] = field(default_factory=dict)
    #: ``indicator key → unit code → import run id`` of the unit's latest value (``observations.provenance``).
    origin: dict[str, dict[str, int | None]] = field(default_factory=dict)
    #: ``indicator key → unit code → period → import run id``, only where a unit's values of an indicator come from
    #: more than one run (a real series beside a generated one); otherwise ``origin`` holds the one run.
    origin_periods: dict[str, dict[str, dict[str, int | None]]] = field(default_factory=dict)
    #: ``import run id → Provenance`` for every run in ``origin`` (None: entered by the unit).
    runs: dict[int | None, Provenance] = field(default_factory=dict)
    #: ``demo``, ``mixed`` or ``real`` per indicator key and per unit code (what the page banner says).
    indicator_mix: dict[str, str] = field(default_factory=dict)
    unit_mix: dict[str, str] = field(default_factory=dict)
    #: ``indicator key → unit code → period → {lang: «videreført fra 3001 Halden»}`` for carried series values.
    carried: dict[str, dict[str, dict[str, dict[str, str]]]] = field(default_factory=dict)

    def provenance(self, unit: str, key: str) -> Provenance | None:
        """Where the unit's latest value of the indicator comes from (None without a value)."""
        per_unit = self.origin.get(key)
        if per_unit is None or unit not in per_unit:
            return None
        return self.runs.get(per_unit[unit], ENTERED_VALUE)

    def provenance_at(self, unit: str, key: str, period: str | int | None) -> Provenance | None:
        """Where the unit's value of the indicator in ``period`` comes from (the latest value's when ``period`` is
        None or not stored; None without a value)."""
        by_period = self.origin_periods.get(key, {}).get(unit)
        if by_period is not None and period is not None and str(period) in by_period:
            return self.runs.get(by_period[str(period)], ENTERED_VALUE)
        return self.provenance(unit, key)

    @property
    def data_mix(self) -> str:
        """``demo``, ``mixed`` or ``real`` over every unit's values ('' without values)."""
        kinds = set(self.unit_mix.values()) - {""}
        if not kinds or kinds == {"demo"}:
            return "demo" if kinds else ""
        return "mixed" if kinds & {"demo", "mixed"} else "real"

    def sources(self, key: str) -> list[Provenance]:
        """The distinct real sources of an indicator's latest values (for a «Kilde» line)."""
        seen = {self.runs.get(r, ENTERED_VALUE) for r in set(self.origin.get(key, {}).values())}
        return sorted((p for p in seen if p.kind == "real"), key=lambda p: p.source)

    def by_level(self, level: str) -> list[UnitInfo]:
        """Units of a level in code order."""
        return [u for u in self.units.values() if u.level == level]

    def country(self) -> UnitInfo | None:
        return next((u for u in self.units.values() if u.level == "country"), None)

    def goal_indicators(self, goal: int) -> list[IndicatorInfo]:
        return [i for i in self.indicators.values() if i.goal == goal]


def data_revision() -> str:
    """A fingerprint of the data the portal shows (changes when a run, import, observation, report, action or network
    does, edits of existing ones included: actions' newest ``updated_at`` and ``portal.tokens.EDITS``)."""
    return _revision()[0]


def _revision() -> tuple[str, ScoreRun | None, bool]:
    """The revision, the latest finished score run and whether demo data are loaded."""
    run = latest_score_run()
    imports = ImportRun.objects.aggregate(m=Max("pk"), demo=Count("pk", filter=Q(is_demo=True)))
    # Joint actions count twice on purpose: their number and newest ``updated_at`` reach every process, while the
    # ``EDITS`` token is per process with ``DUGNAD_PAGE_CACHE=memory``; the token catches an edit whose ``updated_at``
    # is not the newest (a clock set back) and a party's edit, which leaves the action's ``updated_at`` alone.
    parts = [
        run.pk if run else None, imports["m"], Observation.objects.aggregate(m=Max("pk"), n=Count("pk")),
        Publication.objects.filter(state=PublicationState.DONE).aggregate(m=Max("finished_at"))["m"],
        Action.objects.aggregate(m=Max("pk"), n=Count("pk"), u=Max("updated_at")),
        Network.objects.aggregate(m=Max("pk"), n=Count("pk")),
        Unit.objects.aggregate(m=Max("pk"))["m"], Indicator.objects.aggregate(m=Max("pk"))["m"], EDITS.current(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16], run, bool(imports["demo"])


_lock = threading.Lock()
_state: dict = {"checked": 0.0, "revision": None, "snapshot": None, "held": False}


def portal_snapshot() -> PortalSnapshot:
    """The snapshot of the current data revision (built on first use after a change, then kept in memory)."""
    now = time.monotonic()
    snapshot = _state["snapshot"]
    if snapshot is not None and (_state["held"] or now - _state["checked"] < REVISION_SECONDS):
        return snapshot
    with _lock:
        if _state["snapshot"] is not None and time.monotonic() - _state["checked"] < REVISION_SECONDS:
            return _state["snapshot"]  # another thread looked while this one waited for the lock
        revision, run, demo = _revision()
        if _state["snapshot"] is None or _state["revision"] != revision:
            _state["snapshot"] = build_snapshot(revision, run=run, demo=demo)
            _state["revision"] = revision
        _state["checked"] = time.monotonic()
        return _state["snapshot"]


@contextlib.contextmanager
def held_snapshot() -> Iterator[PortalSnapshot]:
    """One snapshot for everything inside (``dugnad site build``): the current revision's, not looked at again, so
    every page of a build shows the same data and no page pays for a look at the revision (eight aggregate queries
    every ``REVISION_SECONDS`` in each process). Processes forked inside inherit it."""
    snapshot = portal_snapshot()
    with _lock:
        held, _state["held"] = _state["held"], True
    try:
        yield snapshot
    finally:
        with _lock:
            _state["held"] = held


def forget_snapshot() -> None:
    """Drop the kept snapshot (tests that change data between requests)."""
    with _lock:
        _state.update(checked=0.0, revision=None, snapshot=None)
        _seen.update(checked=0.0, revision=None)


#: The revision last looked up by ``current_revision`` without a snapshot in memory.
_seen: dict = {"checked": 0.0, "revision": None}


def current_revision() -> str:
    """The current data revision, looked up at most every ``REVISION_SECONDS``, never building a snapshot (the
    whole-page cache keys pages by it: a process with no snapshot yet answers kept pages without building one)."""
    now = time.monotonic()
    snapshot = _state["snapshot"]
    if snapshot is not None and (_state["held"] or now - _state["checked"] < REVISION_SECONDS):
        return snapshot.revision
    if _seen["revision"] is not None and now - _seen["checked"] < REVISION_SECONDS:
        return _seen["revision"]
    revision = data_revision()
    _seen.update(checked=now, revision=revision)
    return revision


def _units(day) -> tuple[dict[str, UnitInfo], dict[int, str]]:
    units = list(units_valid_on(date=day).select_related("level", "parent"))
    year = day.year
    people = populations(units, year)
    from dugnad.units.vocab import SizeBand

    out, codes = {}, {}
    order = {"country": 0, "county": 1, "municipality": 2}
    for u in sorted(units, key=lambda u: (order.get(u.level.code, 9), u.code)):
        if u.level.code not in order:
            continue
        out[u.code] = UnitInfo(code=u.code, names=_names(u, base="name"), level=u.level.code,
                               parent=u.parent.code if u.parent_id else None, band=SizeBand.of(people.get(u.pk)).value,
                               population=people.get(u.pk), demo=bool((u.attributes or {}).get("demo")))
        codes[u.pk] = u.code
    return out, codes


def build_snapshot(revision: str = "", *, run: ScoreRun | bool | None = False, demo: bool | None = None) -> PortalSnapshot:
    """Read everything the portal shows (a fixed number of queries, whatever the number of units or indicators).

    ``run`` (the latest finished score run) and ``demo`` may be given when the caller has read them already.
    """
    import datetime as dt

    day = dt.date.today()
    run = latest_score_run() if run is False else run
    snap = PortalSnapshot(revision=revision, run_year=run.year if run else None,
                          demo=demo_import_exists() if demo is None else demo)
    snap.units, codes = _units(day)
    titles = target_titles()
    nn_texts = goal_texts_nn()
    for g in Goal.objects.prefetch_related("targets").order_by("number"):
        targets = tuple(sorted((t.code for t in g.targets.all()), key=lambda c: [int(x) if x.isdigit() else 100 + ord(x)
                                                                                  for x in c.split(".")]))
        snap.goals[g.number] = GoalInfo(number=g.number, colour=g.colour, names=_names(g),
                                        titles={"nb": g.title_nb, "nn": nn_texts.get(g.number) or g.title_nb,
                                                "en": g.title_en or g.title_nb},
                                        targets=targets or tuple(c for c in titles if c.split(".")[0] == str(g.number)))
    if run is None:
        return snap
    scored_ids = set(IndicatorScore.objects.filter(run=run).values_list("indicator_id", flat=True).distinct())
    indicators = list(Indicator.objects.filter(pk__in=scored_ids).select_related("framework").prefetch_related("targets"))
    specs = indicator_specs_in_force(indicators)
    frameworks = {f.pk: f for f in Framework.objects.filter(pk__in={i.framework_id for i in indicators})}
    demo_indicators = set(Observation.objects.filter(indicator_id__in=scored_ids, import_run__is_demo=True)
                          .values_list("indicator_id", flat=True).distinct())
    keys = {}
    for i in sorted(indicators, key=lambda i: (specs[i.pk].goal_id if i.pk in specs and specs[i.pk].goal_id else 99,
                                               i.framework.code, i.code)):
        spec = specs.get(i.pk)
        framework = frameworks[i.framework_id]
        key = f"{framework.code}/{i.code}"
        keys[i.pk] = key
        names = _names(i)
        if spec and spec.label and names["nb"] == "":
            names = dict.fromkeys(LANGS, spec.label)
        snap.indicators[key] = IndicatorInfo(
            key=key, framework=framework.code, code=i.code, names=names, framework_name=framework.name,
            framework_description=framework.description, licence=framework.licence, publisher=framework.publisher,
            source=(spec.source if spec and spec.source else i.source), source_url=framework.source_url or i.uri,
            unit_of_measure=(spec.unit_of_measure if spec and spec.unit_of_measure else i.unit_of_measure),
            direction=spec.direction if spec else "higher", goal=spec.goal_id if spec else None,
            targets=tuple(sorted(t.code for t in i.targets.all())), green=spec.green if spec else None,
            red=spec.red if spec else None, upper_bound=spec.upper_bound if spec else None,
            lower_bound=spec.lower_bound if spec else None,
            demo=i.pk in demo_indicators or framework.code.endswith("demo"),
        )
    for unit_id, goal, score, colour, trend in GoalScore.objects.filter(run=run).values_list(
            "unit_id", "goal", "score", "colour", "trend"):
        if unit_id in codes:
            snap.goal_cells.setdefault(codes[unit_id], {})[goal] = Cell(score, colour or "grey", trend or "")
    for unit_id, score, rank in IndexScore.objects.filter(run=run).values_list("unit_id", "score", "rank"):
        if unit_id in codes:
            snap.index[codes[unit_id]] = (score, rank)
    for unit_id, indicator_id, year, value, score, colour, trend in IndicatorScore.objects.filter(run=run).values_list(
            "unit_id", "indicator_id", "year", "value", "score", "colour", "trend"):
        if unit_id in codes and indicator_id in keys:
            snap.indicator_cells.setdefault(codes[unit_id], {})[keys[indicator_id]] = Cell(
                score, colour or "grey", trend or "", value, year)
    series: dict[str, dict[str, list[tuple[str, float]]]] = defaultdict(lambda: defaultdict(list))
    origin: dict[str, dict[str, int | None]] = defaultdict(dict)
    periods: dict[tuple[str, str], dict[str, int | None]] = defaultdict(dict)
    rows = (Observation.objects.current().filter(indicator_id__in=list(keys), dimension_key="").exclude(value=None)
            .order_by("indicator_id", "unit__code", "period")
            .values_list("indicator_id", "unit_id", "unit__code", "period", "value", "import_run_id"))
    stored_runs: dict[tuple[int, str, str], int | None] = {}
    for indicator_id, unit_id, code, period, value, run_id in rows.iterator(chunk_size=20_000):
        stored_runs[(indicator_id, code, period)] = run_id
        if unit_id in codes:
            series[keys[indicator_id]][codes[unit_id]].append((period, value))
            origin[keys[indicator_id]][codes[unit_id]] = run_id  # ordered by period: the latest value's run wins
            periods[(keys[indicator_id], codes[unit_id])][period] = run_id
    _carried_series(snap, keys, series, origin, stored_runs, day)
    snap.series = {k: dict(v) for k, v in series.items()}
    for (key, unit), runs in periods.items():
        if len(set(runs.values())) > 1:
            snap.origin_periods.setdefault(key, {})[unit] = runs
    _provenance(snap, dict(origin))
    _similar(snap)
    _links(snap, codes)
    return snap


def _carried_series(snap: PortalSnapshot, keys: dict[int, str], series, origin, stored_runs, day) -> None:
    """Values stored under codes no longer in force, carried onto today's units (``observations.selectors.
    carried_values``, the maps' one read path): a period the unit has no value of its own for gets the carried
    value, ``snap.carried`` its origin per language («videreført fra 3001 Halden») and ``origin`` the run of its
    first source, so maps, charts and provenance read one series across reforms."""
    if not stored_runs or not {code for (_i, code, _p) in stored_runs} - set(snap.units):
        return  # every value is stored under a code in force: nothing to carry
    from dugnad.observations.selectors import carried_values
    from dugnad.units.selectors import carry_context

    context = carry_context(on=day)
    rows = carried_values(on=day, indicators=list(keys), units=list(snap.units), context=context, carried_only=True)
    added: set[tuple[str, str]] = set()
    for row in rows:
        key = keys.get(row["indicator_id"])
        if key is None or not row["carried_from"] or row["value"] is None:
            continue
        points = series[key][row["unit"]]
        if any(p == row["period"] for p, _v in points):
            continue  # the unit's own value wins
        points.append((row["period"], row["value"]))
        added.add((key, row["unit"]))
        snap.carried.setdefault(key, {}).setdefault(row["unit"], {})[row["period"]] = {
            lang: context.origin(row["carried_from"], lang=lang) for lang in LANGS}
        first = row["carried_from"].split("+")[0]
        if row["unit"] not in origin[key] or max(points)[0] == row["period"]:
            origin[key][row["unit"]] = stored_runs.get((row["indicator_id"], first, row["period"]))
    for key, unit in added:
        series[key][unit].sort()


def _similar(snap: PortalSnapshot) -> None:
    """Mean value of each indicator among units of the same level and size band (``size_bands``' rule)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u in snap.units.values():
        if u.band != "unknown":
            groups[(u.level, u.band)].append(u.code)
    for (level, band), members in groups.items():
        for key in snap.indicators:
            values = [c.value for m in members if (c := snap.indicator_cells.get(m, {}).get(key)) and c.value is not None]
            if values:
                snap.similar_mean[(f"{level}:{band}", key)] = statistics.fmean(values)


def _links(snap: PortalSnapshot, codes: dict[int, str]) -> None:
    """Finished reports, public joint actions and networks per unit."""
    for p in (Publication.objects.filter(state=PublicationState.DONE).select_related("unit")
              .order_by("-finished_at", "-pk")[:200]):
        snap.publications.append(PublicationInfo(pk=p.pk, kind=p.kind, unit=p.unit.code if p.unit_id else None,
                                                 language=p.language, version=p.version, finished=p.finished_at,
                                                 demo=p.is_demo))
    for action in Action.objects.public().prefetch_related("partners").order_by("title", "pk"):
        for part in action.partners.all():
            if part.unit_id in codes:
                snap.actions.setdefault(codes[part.unit_id], []).append(
                    LinkInfo(action.pk, action.title, part.role, action.status, action.is_demo))
    for network in Network.objects.prefetch_related("members").order_by("name"):
        for member in network.members.all():
            if member.unit_id in codes:
                snap.networks.setdefault(codes[member.unit_id], []).append(
                    LinkInfo(network.pk, network.name, demo=network.is_demo))


def _provenance(snap: PortalSnapshot, origin: dict[str, dict[str, int | None]]) -> None:
    """Per value where it comes from (one query for the runs) and the demo/real mix per indicator and unit."""
    snap.origin = origin
    snap.runs = provenances({r for per_unit in origin.values() for r in per_unit.values()})
    kinds_by_unit: dict[str, set[str]] = defaultdict(set)
    for key, per_unit in origin.items():
        kinds = set()
        for unit, run_id in per_unit.items():
            kind = snap.runs.get(run_id, ENTERED_VALUE).kind
            kinds.add(kind)
            kinds_by_unit[unit].add(kind)
        snap.indicator_mix[key] = _mix(kinds)
    snap.unit_mix = {unit: _mix(kinds) for unit, kinds in kinds_by_unit.items()}


def _mix(kinds: set[str]) -> str:
    return mix_of(Provenance(k) for k in kinds)
