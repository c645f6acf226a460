"""Peer suggestions: for a unit that is red or orange on an indicator, similar units doing well, with their actions and cases."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dugnad.actions.models import Action
from dugnad.catalogue.models import Indicator
from dugnad.practices.models import PracticeCase
from dugnad.scores.models import IndicatorScore, ScoreRun
from dugnad.scores.selectors import latest_score_run, peers_for
from dugnad.units.models import Unit
from dugnad.units.selectors import units_current

#: Colours for which suggestions are made, and colours/trends that make a peer worth learning from.
WEAK_COLOURS = frozenset({"red", "orange"})
GOOD_COLOURS = frozenset({"green"})
GOOD_TRENDS = frozenset({"on_track", "moderately_improving"})


@dataclass(frozen=True)
class PeerSuggestion:
    """A similar unit that is green or improving on the indicator, with what it has done."""

    unit: Unit
    distance: float
    colour: str
    trend: str
    score: float | None
    actions: tuple[Action, ...]
    cases: tuple[PracticeCase, ...]


@dataclass
class PeerSuggestions:
    """The suggestions for one unit and indicator, or why there are none (``reason``)."""

    unit: Unit
    indicator: Indicator
    colour: str = ""
    peers: list[PeerSuggestion] = field(default_factory=list)
    reason: str = ""


def peer_suggestions(unit: Unit, indicator: Indicator, *, run: ScoreRun | None = None, k: int = 10,
                     user=None) -> PeerSuggestions:
    """Among the unit's k most similar units, those green or improving on the indicator, with their actions and cases.

    Actions are those the peer takes part in that aim at the indicator or one of its targets (only
    actions the user may see); cases are the peer's library cases on the indicator's targets or
    with evidence on the indicator. Nothing is suggested when the unit is not red or orange.
    """
    out = PeerSuggestions(unit=unit, indicator=indicator)
    run = run or latest_score_run()
    if run is None:
        out.reason = _("Ingen beregning av måloppnåelse er lagret ennå.")
        return out
    own = IndicatorScore.objects.filter(run=run, unit=unit, indicator=indicator).first()
    out.colour = own.colour if own else ""
    if out.colour not in WEAK_COLOURS:
        out.reason = _("Enheten er ikke rød eller oransje på denne indikatoren.")
        return out
    search = peers_for(unit, k=k)
    if search is None:
        out.reason = _("Enheten mangler strukturdata for å finne lignende enheter.")
        return out
    distances = {p.unit: p.distance for p in search.peers}
    peers = {u.code: u for u in units_current(codes=list(distances))}
    scores = IndicatorScore.objects.filter(run=run, indicator=indicator, unit__code__in=list(distances)).select_related("unit")
    good = [s for s in scores if s.colour in GOOD_COLOURS or s.trend in GOOD_TRENDS]
    target_ids = list(indicator.targets.values_list("pk", flat=True))
    actions = Action.objects.visible_to(user) if user is not None else Action.objects.public()
    for score in sorted(good, key=lambda s: distances[s.unit.code]):
        peer = peers.get(score.unit.code, score.unit)
        peer_actions = (actions.with_unit(peer).filter(indicator_links__indicator=indicator)
                        | actions.with_unit(peer).filter(targets__in=target_ids)).distinct()
        peer_cases = (PracticeCase.objects.filter(unit=peer, targets__in=target_ids)
                      | PracticeCase.objects.filter(unit=peer, evidence__indicator=indicator)).distinct()
        out.peers.append(PeerSuggestion(peer, distances[score.unit.code], score.colour, score.trend, score.score,
                                        tuple(peer_actions.order_by("title")), tuple(peer_cases.order_by("title"))))
    if not out.peers:
        out.reason = _("Ingen av de mest like enhetene er grønne eller i bedring på indikatoren.")
    return out
