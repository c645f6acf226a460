"""API of the good-practice library (ranked Norwegian search with facets, one case) and of peer suggestions."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Router, Schema
from pydantic import Field, StringConstraints

from dugnad.api.actions import Code
from dugnad.api.schemas import ErrorOut, Id, ShortText, found
from dugnad.catalogue.selectors import indicators_by_ids
from dugnad.networks.peers import peer_suggestions
from dugnad.practices.models import PracticeCase
from dugnad.practices.selectors import case_get, practices_search
from dugnad.units.selectors import unit_current

router = Router(tags=["practices"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SizeCode = Annotated[str, StringConstraints(pattern=r"^(small|medium|large|city|unknown)$")]


class CaseOut(Schema):
    """A good-practice case."""

    id: int
    title: str
    summary: str
    results: str
    unit: str | None
    year: int | None
    targets: list[str]
    tags: list[str]
    contact_name: str
    contact_email: str
    evidence: list[dict]
    is_demo: bool


class HitOut(Schema):
    """A search hit."""

    rank: int
    score: float
    case_id: int
    title: str
    unit: str | None
    county: str
    size: str
    goals: list[int]


class FacetOut(Schema):
    """One facet value and its count."""

    value: str
    label: str
    count: int


class SearchOut(Schema):
    """Ranked hits and facet counts."""

    query: str
    total: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


def case_out(c: PracticeCase) -> dict:
    """A case as the API shows it."""
    return {"id": c.pk, "title": c.title, "summary": c.summary, "results": c.results, "unit": c.unit.code if c.unit_id else None,
            "year": c.year, "targets": sorted(t.code for t in c.targets.all()), "tags": list(c.tags),
            "contact_name": c.contact_name, "contact_email": c.contact_email, "is_demo": c.is_demo,
            "evidence": [{"indicator": e.indicator.code, "before_period": e.before_period, "before_value": e.before_value,
                          "after_period": e.after_period, "after_value": e.after_value} for e in c.evidence.all()]}


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Search the library")
def practices_search_api(request, q: ShortText, goal: Annotated[int, Field(ge=1, le=17)] | None = None, county: Code = "",
                         size: SizeCode | None = None, limit: Annotated[int, Field(ge=1, le=200)] = 20):
    """Cases matching Norwegian words (stemmed), best first, with facets by goal, county and municipality size."""
    result = practices_search(q, goal=goal, county=county, size=size or "", limit=limit)
    return {"query": q, "total": result.total,
            "hits": [{"rank": h.rank, "score": h.score, "case_id": h.case.pk, "title": h.case.title,
                      "unit": h.case.unit.code if h.case.unit_id else None, "county": h.county, "size": h.size.value,
                      "goals": list(h.goals)} for h in result.hits],
            "facets": {k: [{"value": v, "label": label, "count": n} for v, label, n in rows]
                       for k, rows in result.facets.items()}}


@router.get("/peers", response={200: dict, **ERRORS}, summary="Peer suggestions")
def practices_peers(request, unit: Code, indicator_id: Id):
    """Similar units that are green or improving where the unit is red or orange, with their actions and cases."""
    place = found(unit_current(unit), "Ukjent enhet.")
    indicator = found(next(iter(indicators_by_ids([indicator_id])), None), "Ukjent indikator.")
    result = peer_suggestions(place, indicator, user=request.user)
    return {"unit": place.code, "indicator": indicator.code, "colour": result.colour, "reason": result.reason,
            "peers": [{"unit": p.unit.code, "name": p.unit.name, "distance": p.distance, "colour": p.colour, "trend": p.trend,
                       "actions": [a.pk for a in p.actions], "cases": [c.pk for c in p.cases]} for p in result.peers]}


@router.get("/{case_id}", response={200: CaseOut, **ERRORS}, summary="One case")
def practices_read(request, case_id: Id = Path(...)):
    """A good-practice case with its indicator evidence."""
    return case_out(found(case_get(case_id), "Eksempelet finnes ikke."))
