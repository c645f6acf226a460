"""What the VLRs of one round have in common, read once per process of a batch (``dugnad publish vlr --all``)
instead of once per document: the score run, the round's indicators and specs, every unit's scores in the run,
the county and national series, the peers, the goals, the county lists of the locator maps and the effect
follow-up of each joint action.

A batch is made for one round and lives as long as the batch does (a worker process of ``--all``); a single
document (the web's «Lag rapport», ``dugnad publish vlr --unit``) is built without one and reads the same figures
itself, so a document comes out the same either way (``tests/publications/test_batch.py``).
"""

from __future__ import annotations

from collections import defaultdict

from dugnad.catalogue.models import IndicatorSpec
from dugnad.catalogue.selectors import indicator_specs_in_force, indicators_for_level
from dugnad.observations.models import Observation
from dugnad.rounds.models import Round
from dugnad.scores.models import GoalScore, IndicatorScore, ScoreRun
from dugnad.scores.selectors import current_units, latest_score_run, peers_for, structural_profiles
from dugnad.units.models import Unit
from dugnad.units.selectors import unit_country, units_current


class VlrBatch:
    """The shared reads of a round's VLRs; each is read on first use and kept for the rest of the batch."""

    def __init__(self, round_: Round, *, run: ScoreRun | None = None) -> None:
        self.round = round_
        self.run = run if run is not None else latest_score_run()
        self.country = unit_country()
        self._all_indicators = list(round_.indicators.prefetch_related("goals").order_by("code"))
        self.specs: dict[int, IndicatorSpec] = indicator_specs_in_force(self._all_indicators)
        self._indicators: dict[str, list] = {}
        self._units: dict[int, Unit] | None = None
        self._scores: dict[str, dict[int, IndicatorScore]] | None = None
        self._goal_scores: dict[int, dict[int, GoalScore]] | None = None
        self._series: dict[tuple, dict[tuple[str, int], dict[str, Observation]]] = {}
        self._peers: dict[int, list[str]] = {}
        self._profiles: dict[int, dict] = {}
        self._goals: dict[str, list] = {}
        self._members: dict[tuple[int, str], dict[str, str]] = {}
        self._effects: dict[int, object] = {}

    def indicators(self, level: str) -> list:
        """The round's indicators that units of the level report (``indicators_for_level``), by code."""
        if level not in self._indicators:
            self._indicators[level] = indicators_for_level(self._all_indicators, level, specs=self.specs)
        return self._indicators[level]

    def units(self) -> dict[int, Unit]:
        """Every current unit with its level, by primary key (``scores.selectors.current_units``)."""
        if self._units is None:
            self._units = current_units()
        return self._units

    def scores(self, codes: list[str], indicators: list) -> dict[str, dict[int, IndicatorScore]]:
        """The run's indicator scores of the current units with these codes, by unit code and indicator id (one
        query for every unit of the batch, on first use)."""
        if self.run is None:
            return {}
        if self._scores is None:
            by_unit: dict[str, dict[int, IndicatorScore]] = defaultdict(dict)
            current = units_current()
            rows = IndicatorScore.objects.filter(run=self.run, unit__in=current,
                                                 indicator__in=self._all_indicators).select_related("unit")
            for row in rows:
                by_unit[row.unit.code][row.indicator_id] = row
            self._scores = dict(by_unit)
        wanted = {i.pk for i in indicators}
        out = {}
        for code in codes:
            found = {pk: s for pk, s in self._scores.get(code, {}).items() if pk in wanted}
            if found:
                out[code] = found
        return out

    def goal_scores(self, unit: Unit) -> dict[int, GoalScore]:
        """The unit's goal scores in the run, by goal number (one query for every unit, on first use)."""
        if self.run is None:
            return {}
        if self._goal_scores is None:
            by_unit: dict[int, dict[int, GoalScore]] = defaultdict(dict)
            for g in GoalScore.objects.filter(run=self.run):
                by_unit[g.unit_id][g.goal] = g
            self._goal_scores = dict(by_unit)
        return self._goal_scores.get(unit.pk, {})

    def series(self, unit: Unit, indicators: list) -> dict[tuple[str, int], dict[str, Observation]]:
        """The current totals of a shared unit (a county, the country) in the round's periods, by (code, indicator
        id) and period; read once per unit."""
        key = (unit.code, tuple(i.pk for i in indicators))
        if key not in self._series:
            series: dict[tuple[str, int], dict[str, Observation]] = defaultdict(dict)
            rows = (Observation.objects.current()
                    .filter(unit__in=units_current(codes=[unit.code]), indicator__in=indicators,
                            period__in=self.round.periods, dimension_key="")
                    .select_related("unit", "import_run"))
            for obs in rows:
                series[(obs.unit.code, obs.indicator_id)][obs.period] = obs
            self._series[key] = dict(series)
        return self._series[key]

    def peers(self, unit: Unit) -> list[str]:
        """The codes of the unit's five most similar units (``peers_for``), found once per unit with the structural
        profiles of its level read once."""
        if unit.pk not in self._peers:
            units = self.units()
            if unit.level_id not in self._profiles:
                self._profiles[unit.level_id] = structural_profiles(
                    [u for u in units.values() if u.level_id == unit.level_id])
            search = peers_for(unit, k=5, units=units, profiles=self._profiles[unit.level_id])
            self._peers[unit.pk] = [p.unit for p in search.peers] if search else []
        return self._peers[unit.pk]

    def goals(self, lang: str) -> list:
        """The 17 goals with their names in the language (``builders.names.goals``)."""
        from dugnad.publications.builders.names import goals

        if lang not in self._goals:
            self._goals[lang] = goals(lang)
        return self._goals[lang]

    def members(self, county: Unit, lang: str) -> dict[str, str]:
        """The names of a county's current municipalities by code, in the language, by code."""
        from dugnad.publications.builders.names import unit_name

        key = (county.pk, lang)
        if key not in self._members:
            self._members[key] = {m.code: unit_name(m, lang) for m in units_current(parents=[county]).order_by("code")}
        return self._members[key]

    def action_effects(self, action):
        """The effect follow-up of a joint action (``actions.effects.action_effects``), once per action: every
        partner's VLR shows the same comparison."""
        if action.pk not in self._effects:
            from dugnad.actions.effects import action_effects

            self._effects[action.pk] = action_effects(action)
        return self._effects[action.pk]
