"""The figures a unit's documents quote, read once from selectors: scores, values of the unit, county, country, peers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import get_language

from dugnad.catalogue.models import IndicatorSpec
from dugnad.catalogue.selectors import indicator_specs_in_force, indicators_for_level
from dugnad.observations.models import Observation
from dugnad.observations.provenance import mix_of, provenance_of
from dugnad.observations.selectors import unit_series_carried
from dugnad.rounds.models import Round
from dugnad.scores.models import GoalScore, IndicatorScore, ScoreRun
from dugnad.scores.selectors import latest_score_run, peers_for
from dugnad.units.models import Unit
from dugnad.units.selectors import unit_country, units_current

if TYPE_CHECKING:
    from dugnad.publications.batch import VlrBatch


@dataclass(frozen=True)
class CarriedValue:
    """A value of the unit carried from its predecessors' codes (nothing stored under its own code for the
    period); it stands in a series where stored observations stand, with its origin for people."""

    value: float | None
    status: str
    carried_from: str
    origin: str
    revision: None = None
    import_run_id: None = None


@dataclass
class UnitFacts:
    """Scores and values for one unit and its comparison units in one round and score run."""

    unit: Unit
    round: Round
    run: ScoreRun | None
    county: Unit | None
    country: Unit | None
    peers: list[str] = field(default_factory=list)
    indicators: list = field(default_factory=list)
    goal_scores: dict[int, GoalScore] = field(default_factory=dict)
    scores: dict[str, dict[int, IndicatorScore]] = field(default_factory=dict)
    series: dict[tuple[str, int], dict[str, Observation | CarriedValue]] = field(default_factory=dict)
    is_demo: bool = False
    #: ``demo``, ``mixed`` or ``real`` over the unit's own values (``observations.provenance``; '' without values).
    mix: str = ""
    specs: dict[int, IndicatorSpec] = field(default_factory=dict)

    def spec_of(self, indicator) -> IndicatorSpec | None:
        """The spec in force of one of the round's indicators (None when it has none)."""
        return self.specs.get(indicator.pk)

    def score(self, code: str | None, indicator_id: int) -> IndicatorScore | None:
        """The indicator score of a unit code in the run (None when absent)."""
        return self.scores.get(code or "", {}).get(indicator_id)

    def peer_mean(self, indicator_id: int) -> float | None:
        """The mean value of the peers that have one."""
        values = [s.value for c in self.peers if (s := self.score(c, indicator_id)) and s.value is not None]
        return sum(values) / len(values) if values else None

    def goal_of(self, indicator) -> int | None:
        """The goal an indicator is scored under (spec first, then its first catalogue goal)."""
        own = self.score(self.unit.code, indicator.pk)
        if own is not None and own.goal:
            return own.goal
        spec = self.spec_of(indicator)
        if spec is not None and spec.goal_id:
            return spec.goal_id
        goals = [g.number for g in indicator.goals.all()]
        return goals[0] if goals else None


def unit_facts(unit: Unit, round_: Round, *, run: ScoreRun | None = None, with_peers: bool = True,
               batch: VlrBatch | None = None) -> UnitFacts:
    """Everything a VLR quotes about the unit, read in a handful of queries; with a ``batch`` (the documents of one
    round built one after another) what they share is read once for all of them, with the same result."""
    if batch is not None and batch.round.pk != round_.pk:
        raise ValueError(f"the batch is for round {batch.round.pk}, not {round_.pk}")
    run = batch.run if batch is not None else run or latest_score_run()
    country = batch.country if batch is not None else unit_country()
    county = unit.parent if unit.parent_id and unit.parent and unit.parent.code != "0" else None
    peers: list[str] = []
    if with_peers:
        if batch is not None:
            peers = list(batch.peers(unit))
        else:
            search = peers_for(unit, k=5)
            peers = [p.unit for p in search.peers] if search else []
    facts = UnitFacts(unit=unit, round=round_, run=run, county=county, country=country, peers=peers)
    if batch is not None:
        facts.specs = batch.specs
        facts.indicators = batch.indicators(unit.level.code)
    else:
        facts.indicators = list(round_.indicators.prefetch_related("goals").order_by("code"))
        facts.specs = indicator_specs_in_force(facts.indicators)
        # only what the unit's level reports: a municipality's VLR has no county-level indicators
        facts.indicators = indicators_for_level(facts.indicators, unit.level.code, specs=facts.specs)
    codes = [c for c in [unit.code, county.code if county else None, country.code if country else None, *peers] if c]
    series: dict[tuple[str, int], dict[str, Observation]] = defaultdict(dict)
    if batch is not None:
        facts.goal_scores = batch.goal_scores(unit)
        facts.scores = batch.scores(codes, facts.indicators)
        shared = [u for u in (county, country) if u is not None]
        for other in shared:  # the county's and the country's series, read once per batch
            series.update(batch.series(other, facts.indicators))
        read = [unit.code] + [c for c in codes[1:3] if c not in {u.code for u in shared}]
    else:
        current = units_current(codes=codes)
        if run is not None:
            facts.goal_scores = {g.goal: g for g in GoalScore.objects.filter(run=run, unit=unit)}
            rows = IndicatorScore.objects.filter(run=run, unit__in=current, indicator__in=facts.indicators)
            by_unit: dict[str, dict[int, IndicatorScore]] = defaultdict(dict)
            for row in rows.select_related("unit"):
                by_unit[row.unit.code][row.indicator_id] = row
            facts.scores = dict(by_unit)
        read = codes[:3]
    observations = (
        Observation.objects.current()
        .filter(unit__in=units_current(codes=read), indicator__in=facts.indicators,
                period__in=round_.periods, dimension_key="")
        .select_related("unit", "import_run")
    )
    own = []
    for obs in observations:
        series[(obs.unit.code, obs.indicator_id)][obs.period] = obs
        if obs.unit.code == unit.code:
            own.append(provenance_of(obs.import_run))
    facts.mix = mix_of(own)
    facts.is_demo = facts.mix in ("demo", "mixed")
    for row in unit_series_carried(unit, on=dt.date.today(), lang=(get_language() or "nb")[:2],
                                   indicators=facts.indicators, periods=round_.periods):
        if row["carried_from"] and row["period"] not in series[(unit.code, row["indicator_id"])]:
            series[(unit.code, row["indicator_id"])][row["period"]] = CarriedValue(
                value=row["value"], status=row["status"], carried_from=row["carried_from"], origin=row["origin"])
    facts.series = dict(series)
    facts.is_demo = facts.is_demo or round_.is_demo
    return facts
