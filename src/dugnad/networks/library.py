"""The good-practice library: write cases (kept indexed for search) and search them with facets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dugnad.accounts.permissions import is_administrator
from dugnad.actions.permissions import can_act_for
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.networks.models import CaseEvidence, PracticeCase
from dugnad.networks.search import backend, case_keywords
from dugnad.units.models import Unit
from dugnad.units.selectors import size_bands
from dugnad.units.sizes import SizeBand

#: Columns of ``dugnad practices search``.
SEARCH_COLUMNS = ("rank", "score", "id", "title", "unit", "county", "size", "goals", "tags")


def _validate(report: ValidationReport, *, title: str, summary: str, contact_email: str, tags) -> None:
    if not (title or "").strip():
        report.add("Tittel mangler.", column="title")
    if not (summary or "").strip():
        report.add("Beskriv hva som ble gjort.", column="summary")
    if contact_email and "@" not in contact_email:
        report.add("Ugyldig e-postadresse.", column="contact_email", value=contact_email)
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        report.add("Stikkord må være en liste med tekster.", column="tags")


def case_index(cases: Iterable[PracticeCase]) -> int:
    """Refresh the stored keywords and the search index of cases; returns how many."""
    cases = list(cases)
    changed = []
    for case in cases:
        keywords = case_keywords(case)
        if keywords != case.keywords:
            case.keywords = keywords
            changed.append(case)
    PracticeCase.objects.bulk_update(changed, ["keywords"], batch_size=1000)
    backend().index(cases)
    return len(cases)


@transaction.atomic
def case_create(
    *, user, title: str, summary: str, results: str = "", unit=None, organisation=None, action=None,
    year: int | None = None, contact_name: str = "", contact_email: str = "", targets: Iterable = (),
    tags: Iterable[str] = (), evidence: Iterable[dict] = (), is_demo: bool = False,
) -> PracticeCase:
    """Add a case to the library (someone acting for its unit, or an administrator) and index it."""
    if not (is_administrator(user) or (unit is not None and can_act_for(user, unit))):
        raise PermissionDenied("Du kan bare dele eksempler fra din egen enhet.")
    tags, evidence = list(tags), list(evidence)
    report = ValidationReport(source="eksempel")
    _validate(report, title=title, summary=summary, contact_email=contact_email, tags=tags)
    for row, e in enumerate(evidence, start=1):
        for key in ("indicator", "before_period", "before_value", "after_period", "after_value"):
            if e.get(key) in (None, ""):
                report.add("Mangler i indikatorbevis.", row=row, column=key)
    if not report.ok:
        raise InputError(report)
    case = PracticeCase.objects.create(title=title.strip(), summary=summary, results=results, unit=unit,
                                       organisation=organisation, action=action, year=year, contact_name=contact_name,
                                       contact_email=contact_email, tags=tags, created_by=user, is_demo=is_demo)
    case.targets.set(list(targets))
    CaseEvidence.objects.bulk_create([CaseEvidence(case=case, **e) for e in evidence])
    case_index([case])
    return case


@transaction.atomic
def case_delete(*, user, case: PracticeCase) -> None:
    """Remove a case from the library and the index."""
    if not (is_administrator(user) or (case.unit_id and can_act_for(user, case.unit))):
        raise PermissionDenied("Du kan ikke slette dette eksempelet.")
    pk = case.pk
    case.delete()
    backend().remove([pk])


@transaction.atomic
def library_reindex() -> int:
    """Rebuild the search index of every case."""
    return case_index(PracticeCase.objects.select_related("unit").prefetch_related("targets"))


# --- searching ---------------------------------------------------------------------------------------------


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
