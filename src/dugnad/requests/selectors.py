"""Reads of requests across levels: filtered lists, CSV rows, and counts per level, SDG target and goal."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, QuerySet

from dugnad.catalogue.models import Indicator
from dugnad.observations.codes import IndicatorCodeBook
from dugnad.requests.models import LevelRequest

#: Columns of ``dugnad requests list``.
REQUEST_COLUMNS = ("id", "from_unit", "to_level", "targets", "status")


def requests_list(*, user=None, to_level: str | None = None, from_unit=None, to_unit=None, status: str | None = None,
                  target_code: str | None = None, goal: int | None = None, include_demo: bool = True,
                  from_units=None, to_units=None) -> QuerySet[LevelRequest]:
    """Requests with their units, targets and indicators (only those the user may read when ``user`` is given),
    newest first, filtered (``from_units``/``to_units``: sent by / addressed to one of these units)."""
    qs = LevelRequest.objects.all() if user is None else LevelRequest.objects.visible_to(user)
    if from_units is not None:
        qs = qs.filter(from_unit__in=from_units)
    if to_units is not None:
        qs = qs.filter(to_unit__in=to_units)
    if to_level:
        qs = qs.filter(to_level=to_level)
    if from_unit is not None:
        qs = qs.filter(from_unit=from_unit)
    if to_unit is not None:
        qs = qs.filter(to_unit=to_unit)
    if status:
        qs = qs.filter(status=status)
    if target_code:
        qs = qs.filter(targets__code=target_code)
    if goal is not None:
        qs = qs.filter(targets__goal__number=goal)
    if not include_demo:
        qs = qs.filter(is_demo=False)
    return qs.distinct().select_related("from_unit", "to_unit").prefetch_related("targets", "indicators")


def request_fields(request: LevelRequest) -> dict:
    """A request as plain data for the APIs: who asks whom, what, tied to which targets and indicators, and where it
    stands (no user names)."""
    return {"id": request.pk, "from_unit": request.from_unit.code, "from_name": request.from_unit.name,
            "to_level": request.to_level, "to_unit": request.to_unit.code, "to_name": request.to_unit.name,
            "to_body": request.to_body, "title": request.title, "text": request.text,
            "targets": sorted((t.code for t in request.targets.all()), key=_code_key),
            "indicators": sorted(i.code for i in request.indicators.all()), "status": request.status,
            "answer": request.answer}


def request_row(request: LevelRequest) -> tuple:
    """One row of ``REQUEST_COLUMNS``: id, sender (code name), level, target codes, status."""
    targets = " ".join(sorted((t.code for t in request.targets.all()), key=_code_key))
    return (request.pk, f"{request.from_unit.code} {request.from_unit.name}", request.to_level, targets, request.status)


def _code_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def request_counts_by_level(qs: QuerySet[LevelRequest] | None = None) -> dict[str, int]:
    """Number of requests per receiving level (``kommune``, ``fylke``, ``stat``)."""
    qs = LevelRequest.objects.all() if qs is None else qs
    return {row["to_level"]: row["n"] for row in qs.order_by().values("to_level").annotate(n=Count("pk", distinct=True))}


def request_counts_by_target(qs: QuerySet[LevelRequest] | None = None) -> dict[str, int]:
    """Number of requests per SDG target code, most asked first (a request counts once per target it names)."""
    qs = LevelRequest.objects.all() if qs is None else qs
    pairs = LevelRequest.targets.through.objects.filter(levelrequest__in=qs.order_by().values("pk"))
    counts = Counter(code for code in pairs.values_list("target__code", flat=True))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], _code_key(kv[0]))))


def request_counts_by_goal(qs: QuerySet[LevelRequest] | None = None) -> dict[int, int]:
    """Number of requests per SDG goal (a request counts once per goal, however many of its targets it names)."""
    qs = LevelRequest.objects.all() if qs is None else qs
    pairs = LevelRequest.targets.through.objects.filter(levelrequest__in=qs.order_by().values("pk"))
    counts = Counter(goal for _, goal in set(pairs.values_list("levelrequest_id", "target__goal__number")))
    return dict(sorted(counts.items()))


def request_get(pk: int, *, user=None) -> LevelRequest | None:
    """The request with this id (only if the user may read it, when a user is given), with units, targets and
    indicators loaded; None otherwise."""
    qs = LevelRequest.objects.all() if user is None else LevelRequest.objects.visible_to(user)
    return (qs.select_related("from_unit__level", "to_unit__level", "answered_by", "created_by")
            .prefetch_related("targets", "indicators").filter(pk=pk).first())


def requests_open_count(units) -> int:
    """How many requests to the units still wait for the receiving level to act (sent or received)."""
    return LevelRequest.objects.filter(to_unit__in=units, status__in=("submitted", "received")).count()


def indicators_by_codes(codes) -> tuple[list, list[str]]:
    """The indicators named by codes (``framework:code`` for a code several frameworks share), and the codes not found."""
    book, ids, unknown = IndicatorCodeBook(), [], []
    for code in codes:
        found = book.resolve(code)
        if found.id is None:
            unknown.append(code)
        else:
            ids.append(found.id)
    by_id = Indicator.objects.in_bulk(ids)
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id], unknown
