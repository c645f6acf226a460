"""Reads of the good-practice library: ranked search with facets (goal, county, size band)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dugnad.practices.models import PracticeCase
from dugnad.practices.search import backend
from dugnad.units.models import Unit
from dugnad.units.selectors import size_bands
from dugnad.units.vocab import SizeBand

#: Columns of ``dugnad practices search``.
SEARCH_COLUMNS = ("rank", "score", "id", "title", "unit", "county", "size", "goals", "tags")



@dataclass(frozen=True)
class CaseHit:
    """A case in a result list with its position and relevance."""

    case: PracticeCase
    rank: int
    score: float
    goals: tuple[int, ...]
    county: str
    size: SizeBand


@dataclass
class SearchResult:
    """Ranked cases and facet counts (goal, county, size band) over every match before filtering."""

    query: str
    hits: list[CaseHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    total: int = 0


def _facet_data(ids: list[int]) -> dict[int, tuple[tuple[int, ...], tuple[str, str], SizeBand]]:
    """Goals, county (code, name) and size band per case id, read as plain values (no model instances)."""
    goals: dict[int, set[int]] = {}
    for case_id, goal in PracticeCase.targets.through.objects.filter(practicecase_id__in=ids).values_list(
            "practicecase_id", "target__goal_id"):
        goals.setdefault(case_id, set()).add(goal)
    rows = PracticeCase.objects.filter(pk__in=ids).values_list(
        "pk", "unit__code", "unit__name", "unit__level__code", "unit__parent__code", "unit__parent__name",
        "unit__parent__level__code", "unit_id")
    units = Unit.objects.filter(pk__in={row[-1] for row in rows})
    bands = size_bands(units, dt.date.today().year)
    out = {}
    for pk, code, name, level, parent_code, parent_name, parent_level, unit_id in rows:
        if level == "county":
            county = (code, name)
        elif parent_level == "county":
            county = (parent_code, parent_name)
        else:
            county = ("", "")
        out[pk] = (tuple(sorted(goals.get(pk, ()))), county, bands.get(unit_id, SizeBand.UNKNOWN))
    return out


def practices_search(query: str, *, goal: int | None = None, county: str = "", size: str = "", limit: int = 50) -> SearchResult:
    """Cases matching a Norwegian query (stemmed), best first, filtered by goal, county code and size band, with facets.

    Facets count the best 500 matches before filtering; only the returned hits are loaded as cases.
    """
    hits = backend().search(query, 500)
    data = _facet_data([h.case_id for h in hits])
    rows = [(h.case_id, h.rank, *data[h.case_id]) for h in hits if h.case_id in data]
    facets = {
        "goal": sorted(((str(g), f"Mål {g}", n) for g, n in Counter(g for r in rows for g in r[2]).items()),
                       key=lambda x: int(x[0])),
        "county": sorted((code, name, n) for (code, name), n in Counter(r[3] for r in rows if r[3][0]).items()),
        "size": [(b.value, str(b.label), n) for b in SizeBand if (n := sum(1 for r in rows if r[4] is b))],
    }
    kept = [r for r in rows
            if (goal is None or goal in r[2]) and (not county or r[3][0] == county) and (not size or r[4] == size)]
    result = SearchResult(query=query, facets=facets, total=len(kept))
    cases = PracticeCase.objects.select_related("unit").prefetch_related("targets").in_bulk([r[0] for r in kept[:limit]])
    result.hits = [CaseHit(cases[pk], i, score, goals, c[0], band)
                   for i, (pk, score, goals, c, band) in enumerate(kept[:limit], start=1)]
    return result


def search_row(hit: CaseHit) -> tuple:
    """One CLI/CSV row of a search hit."""
    c = hit.case
    return (hit.rank, round(hit.score, 4), c.pk, c.title, c.unit.code if c.unit_id else "", hit.county, hit.size.value,
            " ".join(str(g) for g in hit.goals), "; ".join(c.tags))


def cases_recent(limit: int = 12) -> list[PracticeCase]:
    """The newest cases (by year, then title), with their unit."""
    return list(PracticeCase.objects.select_related("unit").order_by("-year", "title")[:limit])


def case_get(pk: int) -> PracticeCase | None:
    """One case with its unit, action, targets and indicator evidence, or None."""
    cases = PracticeCase.objects.select_related("unit", "action").prefetch_related("targets", "evidence__indicator")
    return cases.filter(pk=pk).first()
